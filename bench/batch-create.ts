/**
 * Creating 1,000 tasks: one `POST /api/v1/boards/:id/tasks/batch` against 1,000 single
 * `POST /api/v1/boards/:id/tasks` (sequential, one connection, as a migration script would send
 * them), each on a fresh board, against the production build in a child process with a
 * throwaway database. Run: `vite build`, then `node bench/batch-create.ts [runs] [tasks]`
 * (needs PostgreSQL on TEST_DATABASE_URL's server). Prints each run's wall time, then medians.
 * BENCH_NODE_OPTIONS goes to the server's NODE_OPTIONS (e.g. `--cpu-prof`). BENCH_ONLY=batch
 * skips the single creates.
 */
import { createTestDatabase } from '../tests/server/support/database.ts';
import { client, createBoard, signUp } from '../tests/server/support/http.ts';
import { startServerProcess } from '../tests/server/support/process.ts';
import { median } from './stats.ts';

const runs = Number(process.argv[2] ?? 5);
const size = Number(process.argv[3] ?? 1000);
const only = process.env.BENCH_ONLY === 'batch';

const db = await createTestDatabase();
const server = await startServerProcess({
	DATABASE_URL: db.url,
	API_RATE_LIMIT: '1000000',
	...(process.env.BENCH_NODE_OPTIONS ? { NODE_OPTIONS: process.env.BENCH_NODE_OPTIONS } : {})
});
try {
	const api = client(server.url);
	const ana = await signUp(api, 'Bench');
	const items = Array.from({ length: size }, (_, i) => ({
		title: `Imported task ${i}`,
		description: `Line one of task ${i}\nline two`,
		priority: i % 2 === 0 ? 'high' : 'low',
		labels: ['bench', `group ${i % 10}`],
		dueDate: '2026-06-30'
	}));
	const batch: number[] = [];
	const single: number[] = [];
	for (let run = 0; run < runs; run++) {
		const board = await createBoard(api, ana, `Batch ${run}`);
		const started = performance.now();
		const res = await api.post(
			`/api/v1/boards/${board.id}/tasks/batch`,
			{ items },
			{ token: ana.token }
		);
		if (res.status !== 201) throw new Error(`batch answered ${res.status}`);
		batch.push(performance.now() - started);
		const other = await createBoard(api, ana, `Single ${run}`);
		const start = performance.now();
		for (const item of only ? [] : items) {
			const one = await api.post(`/api/v1/boards/${other.id}/tasks`, item, { token: ana.token });
			if (one.status !== 201) throw new Error(`create answered ${one.status}`);
		}
		if (!only) single.push(performance.now() - start);
		const singles = only ? '' : `, ${size} single creates ${single.at(-1)!.toFixed(0)} ms`;
		console.log(`run ${run + 1}: batch ${batch.at(-1)!.toFixed(0)} ms${singles}`);
	}
	const ratio = only
		? ''
		: `, single creates ${median(single).toFixed(0)} ms (${(median(single) / median(batch)).toFixed(1)}x)`;
	console.log(`median: batch ${median(batch).toFixed(0)} ms${ratio}`);
} finally {
	await server.kill();
	await db.drop();
}
