/**
 * Edit-to-arrival latency between two live clients on one board, with the write-ahead log on
 * and off. Run: `node bench/edit-latency.ts [edits]` (needs PostgreSQL; uses a throwaway
 * database on TEST_DATABASE_URL's server). Prints medians and p99 per mode.
 */
import * as Y from 'yjs';
import { createTask, readBoard, updateTask } from '../src/lib/domain/board/index.ts';
import { startTestApp } from '../tests/server/support/app.ts';
import { connect, waitFor } from '../tests/server/support/collab.ts';
import { client, createBoard, signUp } from '../tests/server/support/http.ts';

const edits = Number(process.argv[2] ?? 1000);

function percentile(sorted: number[], p: number): number {
	return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

async function measure(wal: boolean): Promise<number[]> {
	const t = await startTestApp({ WAL: wal ? 'on' : 'off' });
	try {
		const api = client(t.url);
		const ana = await signUp(api, 'Bench');
		const board = await createBoard(api, ana);
		const a = connect(t.url, board.id, { token: ana.token });
		const b = connect(t.url, board.id, { token: ana.token });
		await Promise.all([a.ready, b.ready]);
		const column = readBoard(a.doc).columns[0]!.id;
		const taskId = createTask(a.doc, { columnId: column, title: 'bench' }, { actorId: ana.id });
		await waitFor(() => b.doc.getMap('tasks').has(taskId), 5000);
		const task = () => b.doc.getMap('tasks').get(taskId) as Y.Map<unknown>;
		const samples: number[] = [];
		for (let i = 0; i < edits; i++) {
			const title = `edit ${i}`;
			const arrived = new Promise<number>((resolve) => {
				const observer = () => {
					if (task().get('title') === title) {
						task().unobserve(observer);
						resolve(performance.now());
					}
				};
				task().observe(observer);
			});
			const sent = performance.now();
			updateTask(a.doc, { taskId, title }, { actorId: ana.id });
			samples.push((await arrived) - sent);
		}
		a.destroy();
		b.destroy();
		return samples.sort((x, y) => x - y);
	} finally {
		await t.stop();
	}
}

const results: Record<string, number[]> = {};
for (const wal of [true, false, true, false]) {
	const key = wal ? 'wal on' : 'wal off';
	results[key] = [...(results[key] ?? []), ...(await measure(wal))].sort((x, y) => x - y);
}
console.log(`edit -> arrival in another client, ${edits} edits x 2 runs per mode (ms)`);
for (const [mode, s] of Object.entries(results)) {
	console.log(
		`${mode.padEnd(8)} median ${percentile(s, 50).toFixed(2)}  p90 ${percentile(s, 90).toFixed(2)}  p99 ${percentile(s, 99).toFixed(2)}  max ${s.at(-1)!.toFixed(2)}`
	);
}
const on = percentile(results['wal on']!, 50);
const off = percentile(results['wal off']!, 50);
console.log(
	`median cost of the write-ahead log: +${(on - off).toFixed(2)} ms (${(on / off).toFixed(2)}x)`
);
process.exit(0);
