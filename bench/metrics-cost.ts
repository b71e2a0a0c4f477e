/**
 * What Prometheus metrics cost on the request path, and what one scrape costs. Two production
 * servers in child processes on one throwaway database, identical except that one has metrics
 * on (METRICS_TOKEN) and the other off; the same authenticated `GET /api/v1/boards/:id/tasks`
 * (a 20-card board) is driven at each for a fixed time, alternating which goes first, and the
 * medians of the runs' p50/p95 are printed. Then `/metrics` is scraped `scrapes` times in a row
 * (the first scrape also runs the figures query; later ones within 5 s use its cache).
 * Run: `vite build`, then `node bench/metrics-cost.ts [seconds] [connections] [repetitions]
 * [scrapes]` (needs PostgreSQL on TEST_DATABASE_URL's server).
 */
import autocannon from 'autocannon';
import { createTestDatabase } from '../tests/server/support/database.ts';
import { client, createBoard, signUp } from '../tests/server/support/http.ts';
import { startServerProcess, type ServerProcess } from '../tests/server/support/process.ts';
import { median, percentile } from './stats.ts';

const seconds = Number(process.argv[2] ?? 5);
const connections = Number(process.argv[3] ?? 10);
const repetitions = Number(process.argv[4] ?? 3);
const scrapes = Number(process.argv[5] ?? 50);
const metricsToken = 'bench-metrics-token-0123456789';

interface Run {
	rps: number;
	p50: number;
	p95: number;
	non2xx: number;
}

async function measure(url: string, token: string): Promise<Run> {
	const latencies: number[] = [];
	let ok = 0;
	const instance = autocannon({
		url,
		connections,
		duration: seconds,
		headers: { authorization: `Bearer ${token}` }
	});
	instance.on('response', (_client, status, _bytes, ms) => {
		latencies.push(ms);
		if (status >= 200 && status < 300) ok++;
	});
	const result = await instance;
	latencies.sort((a, b) => a - b);
	return {
		rps: ok / seconds,
		p50: percentile(latencies, 50),
		p95: percentile(latencies, 95),
		non2xx: result.non2xx
	};
}

const db = await createTestDatabase();
const servers: ServerProcess[] = [];
try {
	// No rate limit in the way: the point is the request path itself.
	const common = { DATABASE_URL: db.url, API_RATE_LIMIT: '1000000' };
	// Seeded by a server of its own, stopped before measuring: neither measured server holds the
	// board in memory or went first at anything.
	const seeder = await startServerProcess(common);
	const api = client(seeder.url);
	const ana = await signUp(api, 'Bench');
	const board = await createBoard(api, ana);
	for (let i = 0; i < 20; i++) {
		const res = await api.post(
			`/api/v1/boards/${board.id}/tasks`,
			{ title: `card ${i}` },
			{ token: ana.token }
		);
		if (res.status !== 201) throw new Error(`creating a card failed: ${res.status}`);
	}
	await seeder.kill('SIGTERM');
	// The first to start leads the outbox relay and the due-date scan (idle polling, but not
	// nothing): BENCH_OFF_FIRST=1 swaps which one that is.
	const start = (metrics: boolean) =>
		startServerProcess(metrics ? { ...common, METRICS_TOKEN: metricsToken } : common);
	const offFirst = process.env.BENCH_OFF_FIRST === '1';
	const first = await start(!offFirst);
	servers.push(first);
	const second = await start(offFirst);
	servers.push(second);
	const [on, off] = offFirst ? [second, first] : [first, second];
	const path = `/api/v1/boards/${board.id}/tasks`;
	const runs = { on: [] as Run[], off: [] as Run[] };
	const report = (label: string, run: Run) =>
		console.log(
			`${label.padEnd(22)} ${run.rps.toFixed(0).padStart(6)} req/s  p50 ${run.p50.toFixed(2)} ms  ` +
				`p95 ${run.p95.toFixed(2)} ms  non-2xx ${run.non2xx}`
		);
	console.log(
		`GET ${path.replace(board.id, ':id')}, ${connections} connections, ${seconds} s per run`
	);
	// A warm-up each, so neither pays for first-request compilation.
	await measure(`${on.url}${path}`, ana.token);
	await measure(`${off.url}${path}`, ana.token);
	for (let round = 1; round <= repetitions; round++) {
		const order = round % 2 === 1 ? (['on', 'off'] as const) : (['off', 'on'] as const);
		for (const which of order) {
			const run = await measure(`${(which === 'on' ? on : off).url}${path}`, ana.token);
			runs[which].push(run);
			report(`run ${round} metrics ${which}`, run);
		}
	}
	for (const which of ['on', 'off'] as const) {
		const list = runs[which];
		report(`median metrics ${which}`, {
			rps: median(list.map((r) => r.rps)),
			p50: median(list.map((r) => r.p50)),
			p95: median(list.map((r) => r.p95)),
			non2xx: list.reduce((sum, r) => sum + r.non2xx, 0)
		});
	}

	const times: number[] = [];
	let bytes = 0;
	for (let i = 0; i < scrapes; i++) {
		const started = performance.now();
		const res = await fetch(`${on.url}/metrics`, {
			headers: { authorization: `Bearer ${metricsToken}` }
		});
		const text = await res.text();
		times.push(performance.now() - started);
		if (res.status !== 200) throw new Error(`scrape failed: ${res.status}`);
		bytes = text.length;
	}
	const firstScrape = times[0]!;
	const rest = times.slice(1).sort((a, b) => a - b);
	console.log(
		`/metrics scrape (${bytes} bytes): first ${firstScrape.toFixed(1)} ms (runs the figures query), ` +
			`then p50 ${percentile(rest, 50).toFixed(1)} ms, p95 ${percentile(rest, 95).toFixed(1)} ms ` +
			`over ${rest.length}`
	);
} finally {
	for (const server of servers) await server.kill();
	await db.drop();
}
