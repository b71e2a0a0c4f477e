/** What several benchmarks share: timing title edits between two live clients. */
import * as Y from 'yjs';
import { createTask, readBoard, updateTask } from '../src/lib/domain/board/index.ts';
import { startTestApp } from '../tests/server/support/app.ts';
import { connect, waitFor } from '../tests/server/support/collab.ts';
import { client, createBoard, signUp } from '../tests/server/support/http.ts';

export interface EditSamples {
	/** Edit in one client -> the change observed in the other (ms). */
	arrival: number[];
	/** Edit -> acknowledged by the server (ms); empty unless `awaitAck`. */
	ack: number[];
}

/**
 * Starts an app with `env`, opens one board in two clients and times `edits` title edits
 * made in the first. With `awaitAck` each edit also waits for the server's acknowledgement
 * before the next one.
 */
export async function timeEdits(
	env: Record<string, string>,
	edits: number,
	options: { awaitAck: boolean }
): Promise<EditSamples> {
	const t = await startTestApp(env);
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
		const samples: EditSamples = { arrival: [], ack: [] };
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
			samples.arrival.push((await arrived) - sent);
			if (options.awaitAck) {
				await waitFor(() => a.provider.unsyncedChanges === 0, 5000);
				samples.ack.push(performance.now() - sent);
			}
		}
		a.destroy();
		b.destroy();
		return samples;
	} finally {
		await t.stop();
	}
}
