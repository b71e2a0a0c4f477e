/**
 * Edit-to-arrival latency through the y-websocket endpoint next to /collab, in one run: one
 * board, a `y-websocket` WebsocketProvider and a HocuspocusProvider writing title edits in
 * turn, each edit timed until it arrives in a y-websocket observer and in a Hocuspocus observer
 * (write-ahead log on, as in production). Run: `vite build`, then
 * `node bench/ywebsocket-latency.ts [edits per writer]` (needs PostgreSQL). Prints p50/p95/max.
 */
import * as Y from 'yjs';
import { createTask, readBoard, updateTask } from '../src/lib/domain/board/index.ts';
import { startTestApp } from '../tests/server/support/app.ts';
import { connect, waitFor } from '../tests/server/support/collab.ts';
import { client, createBoard, signUp } from '../tests/server/support/http.ts';
import { connectY } from '../tests/server/support/y-websocket.ts';
import { percentile } from './stats.ts';

const edits = Number(process.argv[2] ?? 300);
const warmUp = 30;

const t = await startTestApp();
try {
	const api = client(t.url);
	const ana = await signUp(api, 'Bench');
	const board = await createBoard(api, ana);
	const room = `board:${board.id}`;
	const hocuspocus = [0, 1].map(() => connect(t.url, board.id, { token: ana.token }));
	const ywebsocket = [0, 1].map(() => connectY(t.url, room, { token: ana.token }));
	for (const c of hocuspocus) if (!(await c.ready)) throw new Error('hocuspocus client refused');
	for (const c of ywebsocket) await c.synced;
	const writers = { 'y-websocket': ywebsocket[0]!.doc, hocuspocus: hocuspocus[0]!.doc };
	const observers = { 'y-websocket': ywebsocket[1]!.doc, hocuspocus: hocuspocus[1]!.doc };

	const column = readBoard(writers.hocuspocus).columns[0]!.id;
	const taskId = createTask(
		writers.hocuspocus,
		{ columnId: column, title: 'bench' },
		{ actorId: ana.id }
	);
	const docs = [...Object.values(writers), ...Object.values(observers)];
	await waitFor(() => docs.every((d) => d.getMap('tasks').has(taskId)), 5000, 'the card');

	/** Resolves with the time `title` shows in `doc`. */
	const arrival = (doc: Y.Doc, title: string) =>
		new Promise<number>((resolve) => {
			const task = doc.getMap('tasks').get(taskId) as Y.Map<unknown>;
			const observer = () => {
				if (task.get('title') !== title) return;
				task.unobserve(observer);
				resolve(performance.now());
			};
			task.observe(observer);
		});

	const samples = new Map<string, number[]>();
	for (let i = 0; i < warmUp + edits; i++) {
		for (const [writer, doc] of Object.entries(writers)) {
			const title = `${writer} ${i}`;
			const arrived = Object.entries(observers).map(
				async ([observer, seen]) => [observer, await arrival(seen, title)] as const
			);
			const sent = performance.now();
			updateTask(doc, { taskId, title }, { actorId: ana.id });
			for (const [observer, at] of await Promise.all(arrived)) {
				if (i < warmUp) continue;
				const key = `${writer} -> ${observer}`;
				samples.set(key, [...(samples.get(key) ?? []), at - sent]);
			}
		}
	}
	console.log(`edit -> arrival in another client, ${edits} edits per writer, WAL on (ms)`);
	for (const [key, values] of samples) {
		const sorted = values.sort((a, b) => a - b);
		console.log(
			`${key.padEnd(28)} p50 ${percentile(sorted, 50).toFixed(2)}  p95 ${percentile(sorted, 95).toFixed(2)}  max ${sorted.at(-1)!.toFixed(2)}`
		);
	}
	for (const c of [...hocuspocus, ...ywebsocket]) c.destroy();
} finally {
	await t.stop();
}
process.exit(0);
