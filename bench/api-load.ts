/**
 * REST API throughput on a 1,000-task board, against the production build in a child process
 * (like the crash tests start it) on 127.0.0.1 with a throwaway database: list tasks (default
 * page and limit=200) and create tasks, each for a fixed time with a fixed number of connections.
 * Each list is also measured against a reference (bench/api-reference.ts: plain node:http, the
 * same query and pool size, no framework or auth) on the same board in the same run, and the
 * ratios TaskFlow/reference printed. Every repetition gets a fresh board, so each creation run
 * starts from the same size (and adds its own as it goes). Run: `vite build`, then
 * `node bench/api-load.ts [seconds] [connections] [repetitions] [board size]` (needs
 * PostgreSQL on TEST_DATABASE_URL's server). Prints each run, then medians. BENCH_NODE_OPTIONS
 * goes to both servers' NODE_OPTIONS (e.g. `--cpu-prof --cpu-prof-dir=/tmp/prof` to see where
 * time goes; TaskFlow's own command-line flags, server/node-flags.ts, win where they overlap);
 * BENCH_ONLY=list or BENCH_ONLY=create runs only those scenarios; BENCH_ONLY=overhead runs
 * instead what any request costs: the app's `/health` (every hook, and the token read: every
 * request carries the token) and `/api/v1/me` (a user read too) against the reference's
 * `/health`, on the same board-free server. BENCH_SMALL_BOARDS=n first adds n four-task boards,
 * so the measured board is planned as a big board among small ones, as in a real workspace;
 * BENCH_RANDOM_PAGE_COST=x sets the planner's page cost on the bench's database.
 */
import autocannon from 'autocannon';
import postgres from 'postgres';
import { createTask, readBoard } from '../src/lib/domain/board/index.ts';
import { connect, waitFor } from '../tests/server/support/collab.ts';
import { createTestDatabase } from '../tests/server/support/database.ts';
import { addSmallBoards } from '../tests/server/support/small-boards.ts';
import { client, createBoard, signUp } from '../tests/server/support/http.ts';
import { startServerProcess } from '../tests/server/support/process.ts';
import type { Sql } from '../src/lib/server/db/client.ts';
import { startReference } from './api-reference.ts';
import { backendPids, cpuMs, spent } from './process-cpu.ts';
import { median, percentile } from './stats.ts';

const seconds = Number(process.argv[2] ?? 10);
const connections = Number(process.argv[3] ?? 10);
const repetitions = Number(process.argv[4] ?? 3);
const boardSize = Number(process.argv[5] ?? 1000);
const only = process.env.BENCH_ONLY;
/** Small boards (one column, four tasks) beside the measured ones, as in a real workspace. */
const smallBoards = Number(process.env.BENCH_SMALL_BOARDS ?? 0);
/** A planner page cost for the bench's database (both servers' sessions), or unset. */
const randomPageCost = process.env.BENCH_RANDOM_PAGE_COST;
if (!Number.isInteger(smallBoards) || smallBoards < 0) {
	throw new Error('BENCH_SMALL_BOARDS must be a whole number');
}
if (randomPageCost !== undefined && !(Number(randomPageCost) > 0)) {
	throw new Error('BENCH_RANDOM_PAGE_COST must be a positive number');
}

interface Run {
	rps: number;
	median: number;
	p95: number;
	non2xx: number;
	errors: number;
	/** CPU ms per successful request in the serving process, and in its PostgreSQL backends. */
	appCpu: number;
	dbCpu: number;
}

/** Who serves a measurement: its process and the application_name of its database pool. */
interface Target {
	pid: number;
	applicationName: string;
}

async function measure(
	url: string,
	options: { method?: 'GET' | 'POST'; token: string; body?: unknown; target: Target }
): Promise<Run> {
	const { pid, applicationName } = options.target;
	const backends = await backendPids(sql, applicationName);
	const before = { app: cpuMs([pid]), db: cpuMs(backends) };
	const latencies: number[] = [];
	let ok = 0;
	const instance = autocannon({
		url,
		connections,
		duration: seconds,
		method: options.method ?? 'GET',
		headers: {
			authorization: `Bearer ${options.token}`,
			...(options.body ? { 'content-type': 'application/json' } : {})
		},
		body: options.body ? JSON.stringify(options.body) : undefined
	});
	instance.on('response', (_client, status, _bytes, ms) => {
		latencies.push(ms);
		if (status >= 200 && status < 300) ok++;
	});
	const result = await instance;
	const after = { app: cpuMs([pid]), db: cpuMs(await backendPids(sql, applicationName)) };
	latencies.sort((a, b) => a - b);
	return {
		rps: ok / seconds,
		median: percentile(latencies, 50),
		p95: percentile(latencies, 95),
		non2xx: result.non2xx,
		errors: result.errors + result.timeouts,
		appCpu: spent(before.app, after.app) / ok,
		dbCpu: spent(before.db, after.db) / ok
	};
}

const db = await createTestDatabase();
if (randomPageCost !== undefined) {
	// Before either server connects: a database's settings reach the sessions opened after them.
	const admin = postgres(db.url, { max: 1, onnotice: () => {} });
	await admin.unsafe(
		`alter database "${db.name}" set random_page_cost = ${Number(randomPageCost)}`
	);
	await admin.end();
}
// No rate limit in the way: the point is what one instance sustains. Nor the card cap: a
// creation run adds ~1,000 cards a second to a 1,000-card board, past the default 10,000 in 9 s.
const server = await startServerProcess({
	DATABASE_URL: db.url,
	API_RATE_LIMIT: '1000000',
	BOARD_MAX_CARDS: '1000000',
	...(process.env.BENCH_NODE_OPTIONS ? { NODE_OPTIONS: process.env.BENCH_NODE_OPTIONS } : {})
});
const reference = await startReference(db.url, process.env.BENCH_NODE_OPTIONS);
const app: Target = { pid: server.child.pid!, applicationName: 'taskflow' };
const plain: Target = { pid: reference.pid, applicationName: 'api-reference' };
const sql = postgres(db.url, { max: 1, onnotice: () => {} });
try {
	const api = client(server.url);
	const ana = await signUp(api, 'Bench');
	const created = await api.post(
		'/api/v1/tokens',
		{ name: 'load', scope: 'read-write' },
		{ token: ana.token }
	);
	const token = created.body.token as string;
	if (smallBoards > 0) {
		// A workspace around the measured boards: the planner then costs a board by the average
		// board, which is small (docs/architecture.md, "REST reads").
		await addSmallBoards(sql as unknown as Sql, ana.id, smallBoards);
		await sql`analyze board_columns`;
	}

	/** A board of `boardSize` tasks, written by one client the way a browser would. */
	async function bigBoard(round: number): Promise<string> {
		const board = await createBoard(api, ana, `Load ${round}`);
		const peer = connect(server.url, board.id, { token: ana.token });
		if (!(await peer.ready)) throw new Error('the board did not open');
		const columns = readBoard(peer.doc).columns.map((c) => c.id);
		peer.doc.transact(() => {
			for (let i = 0; i < boardSize; i++) {
				const columnId = columns[i % columns.length]!;
				const title = `task ${i}`;
				createTask(
					peer.doc,
					{ columnId, title, description: 'x'.repeat(200) },
					{ actorId: ana.id }
				);
			}
		});
		await waitFor(() => peer.provider.unsyncedChanges === 0, 30_000, 'the board to be logged');
		peer.destroy();
		// Closing the last connection stores the board at once. Measuring starts once every board
		// is stored and every event delivered, so no run pays for the work of the one before.
		for (;;) {
			await new Promise((r) => setTimeout(r, 100));
			const [row] = await sql<{ rows: number; busy: number }[]>`
				select (select count(*)::int from tasks where board_id = ${board.id}) as rows,
					(select count(*)::int from board_updates)
					+ (select count(*)::int from event_outbox where delivered_revision < revision) as busy`;
			if (row?.rows === boardSize && row.busy === 0) break;
		}
		// Statistics as autovacuum leaves them within a minute of a load this size. Without them
		// the planner takes the tasks table for nearly empty and walks the whole board for each
		// column of a page (both servers alike): the run would measure that transient instead.
		await sql`analyze tasks`;
		return board.id;
	}

	const lists = [
		['GET tasks', ''],
		['GET tasks?limit=200', '?limit=200']
	] as const;
	/** Each against the reference's `/health`: the framework, hooks and token read, then a user read too. */
	const overheads = [
		['GET /health', '/health'],
		['GET /api/v1/me', '/api/v1/me']
	] as const;
	const scenarios =
		only === 'overhead'
			? [...overheads.map(([name]) => name), 'GET /health (reference)']
			: [
					...(only === 'create' ? [] : lists.flatMap(([name]) => [name, `${name} (reference)`])),
					...(only === 'list' ? [] : ['POST tasks'])
				];
	const runs = new Map<string, Run[]>(scenarios.map((s) => [s, []]));
	const report = (label: string, name: string, run: Run) =>
		console.log(
			`${label} ${name.padEnd(32)} ${run.rps.toFixed(1).padStart(7)} req/s  ` +
				`median ${run.median.toFixed(1)} ms  p95 ${run.p95.toFixed(1)} ms  ` +
				`non-2xx ${run.non2xx}  errors ${run.errors}  ` +
				`CPU/req app ${run.appCpu.toFixed(2)} ms + db ${run.dbCpu.toFixed(2)} ms`
		);
	console.log(
		`${only === 'overhead' ? 'no board' : `${boardSize}-task board`}` +
			`${smallBoards > 0 ? ` among ${smallBoards} small boards` : ''}` +
			`${randomPageCost ? `, random_page_cost ${randomPageCost}` : ''}, ${connections} connections, ` +
			`${seconds} s per run, ${repetitions} runs`
	);
	for (let round = 1; only === 'overhead' && round <= repetitions; round++) {
		const record = (name: string, run: Run) => {
			runs.get(name)!.push(run);
			report(`run ${round}`, name, run);
		};
		const steps = [
			...overheads.map(
				([name, path]) =>
					async () =>
						record(name, await measure(`${server.url}${path}`, { token, target: app }))
			),
			async () =>
				record(
					'GET /health (reference)',
					await measure(`${reference.url}/health`, { token, target: plain })
				)
		];
		// Alternate which goes first, so neither always gets the quieter moment.
		if (round % 2 === 0) steps.reverse();
		for (const step of steps) await step();
	}
	for (let round = 1; only !== 'overhead' && round <= repetitions; round++) {
		const boardId = await bigBoard(round);
		const tasksUrl = `${server.url}/api/v1/boards/${boardId}/tasks`;
		const referenceUrl = `${reference.url}/boards/${boardId}/tasks`;
		const record = (name: string, run: Run) => {
			runs.get(name)!.push(run);
			report(`run ${round}`, name, run);
		};
		if (only !== 'create') {
			for (const [name, query] of lists) {
				// Alternate which goes first, so neither always gets the quieter moment.
				const pair = [
					async () => record(name, await measure(`${tasksUrl}${query}`, { token, target: app })),
					async () =>
						record(
							`${name} (reference)`,
							await measure(`${referenceUrl}${query}`, { token, target: plain })
						)
				];
				if (round % 2 === 0) pair.reverse();
				for (const step of pair) await step();
			}
		}
		if (only !== 'list') {
			record(
				'POST tasks',
				await measure(tasksUrl, { method: 'POST', token, body: { title: 'load' }, target: app })
			);
		}
	}
	console.log('medians over runs:');
	for (const [name, list] of runs) {
		report('', name, {
			rps: median(list.map((r) => r.rps)),
			median: median(list.map((r) => r.median)),
			p95: median(list.map((r) => r.p95)),
			non2xx: list.reduce((n, r) => n + r.non2xx, 0),
			errors: list.reduce((n, r) => n + r.errors, 0),
			appCpu: median(list.map((r) => r.appCpu)),
			dbCpu: median(list.map((r) => r.dbCpu))
		});
	}
	if (only === 'overhead') {
		const theirs = runs.get('GET /health (reference)')!;
		console.log("CPU per request over the reference's /health (median of the runs' ratios):");
		for (const [name] of overheads) {
			const ours = runs.get(name)!;
			const ratio = median(ours.map((run, i) => run.appCpu / theirs[i]!.appCpu)).toFixed(2);
			const extra = median(ours.map((run, i) => run.appCpu - theirs[i]!.appCpu)).toFixed(3);
			console.log(`${name.padEnd(32)} app CPU ${ratio}x  (+${extra} ms a request)`);
		}
	}
	if (only !== 'create' && only !== 'overhead') {
		console.log("TaskFlow / reference (median of the runs' ratios):");
		for (const [name] of lists) {
			const ours = runs.get(name)!;
			const theirs = runs.get(`${name} (reference)`)!;
			const ratio = (pick: (r: Run) => number) =>
				median(ours.map((run, i) => pick(run) / pick(theirs[i]!))).toFixed(2);
			console.log(
				`${name.padEnd(32)} throughput ${ratio((r) => r.rps)}x  p95 ${ratio((r) => r.p95)}x  ` +
					`CPU/req ${ratio((r) => r.appCpu + r.dbCpu)}x`
			);
		}
	}
} finally {
	await sql.end();
	await reference.stop();
	await server.kill('SIGTERM');
	await db.drop();
}
