/**
 * Write-ahead-log throughput under many concurrent writers: how many acknowledged updates per
 * second one instance sustains, and how well group commit batches them.
 * Run: `node bench/wal-throughput.ts [clients] [editsPerClient]` (needs PostgreSQL).
 */
import { createTask, readBoard, updateTask } from '../src/lib/domain/board/index.ts';
import { startTestApp } from '../tests/server/support/app.ts';
import { connect, waitFor } from '../tests/server/support/collab.ts';
import { client, createBoard, signUp } from '../tests/server/support/http.ts';

const clients = Number(process.argv[2] ?? 20);
const edits = Number(process.argv[3] ?? 200);

for (const wal of ['on', 'off']) {
	const t = await startTestApp({ WAL: wal });
	const api = client(t.url);
	const ana = await signUp(api, 'Bench');
	const board = await createBoard(api, ana);
	const peers = Array.from({ length: clients }, () =>
		connect(t.url, board.id, { token: ana.token })
	);
	await Promise.all(peers.map((p) => p.ready));
	const column = readBoard(peers[0]!.doc).columns[0]!.id;
	const ids = peers.map((p, i) =>
		createTask(p.doc, { columnId: column, title: `c${i}` }, { actorId: ana.id })
	);
	await waitFor(() => peers.every((p) => p.provider.unsyncedChanges === 0), 20_000);
	const wal0 = { ...t.app.runtime.persistence.wal.stats };

	const started = performance.now();
	// Each client edits at its own pace: one edit per event-loop turn, acknowledgements async.
	await Promise.all(
		peers.map(async (p, i) => {
			for (let n = 0; n < edits; n++) {
				updateTask(p.doc, { taskId: ids[i]!, title: `c${i} edit ${n}` }, { actorId: ana.id });
				await new Promise((r) => setImmediate(r));
			}
			await waitFor(() => p.provider.unsyncedChanges === 0, 120_000, 'acks');
		})
	);
	const seconds = (performance.now() - started) / 1000;
	const stats = t.app.runtime.persistence.wal.stats;
	const batches = stats.batches - wal0.batches;
	const entries = stats.entries - wal0.entries;
	console.log(
		`wal ${wal.padEnd(3)}: ${clients} clients x ${edits} edits acknowledged in ${seconds.toFixed(2)} s = ` +
			`${Math.round((clients * edits) / seconds)} updates/s` +
			(wal === 'on'
				? `; ${entries} log rows in ${batches} commits (mean batch ${(entries / Math.max(1, batches)).toFixed(1)}, largest ${stats.largestBatch})`
				: '')
	);
	for (const p of peers) p.destroy();
	await t.stop();
}
process.exit(0);
