/**
 * How long one board store takes, for boards of growing size: the first (snapshot + every row,
 * as startup recovery writes a board) and then live stores (snapshot + log compaction; rows
 * follow the document through the row sync, not the store). The Redis store lock
 * (STORE_LOCK_MS) must outlast the worst of these.
 * Run: `node bench/store-time.ts` (needs PostgreSQL; uses a throwaway database).
 */
import { randomUUID } from 'node:crypto';
import * as Y from 'yjs';
import { createTask, readBoard, updateTask } from '../src/lib/domain/board/index.ts';
import { createSql } from '../src/lib/server/db/client.ts';
import { persistBoard } from '../server/persistence/board-store.ts';
import { startTestApp } from '../tests/server/support/app.ts';
import { client, createBoard, signUp } from '../tests/server/support/http.ts';

const t = await startTestApp();
const sql = createSql({ url: t.db.url, max: 2 });
const ana = await signUp(client(t.url), 'Bench');
for (const size of [100, 1000, 5000]) {
	const board = await createBoard(client(t.url), ana, `Store ${size}`);
	const [row] = await sql<{ snapshot: Buffer }[]>`
		select snapshot from board_documents where board_id = ${board.id}`;
	const doc = new Y.Doc();
	Y.applyUpdate(doc, new Uint8Array(row!.snapshot));
	const column = readBoard(doc).columns[0]!.id;
	const ids: string[] = [];
	for (let i = 0; i < size; i++) {
		ids.push(
			createTask(
				doc,
				{ columnId: column, title: `task ${i}`, description: 'x'.repeat(200) },
				{ actorId: ana.id, newId: randomUUID }
			)
		);
	}
	const timings: number[] = [];
	let revision = 0;
	for (let run = 0; run < 5; run++) {
		// Every run after the first changes one card: the common case of a debounced store.
		if (run > 0)
			updateTask(doc, { taskId: ids[run]!, title: `changed ${run}` }, { actorId: ana.id });
		const started = performance.now();
		({ revision } = await persistBoard(sql, {
			boardId: board.id,
			doc,
			coveredIds: [],
			revision,
			allRows: run === 0
		}));
		timings.push(performance.now() - started);
	}
	const [first, ...rest] = timings;
	rest.sort((a, b) => a - b);
	console.log(
		`${String(size).padStart(5)} cards: first store ${first!.toFixed(0)} ms (all rows), ` +
			`then median ${rest[Math.floor(rest.length / 2)]!.toFixed(0)} ms, max ${rest.at(-1)!.toFixed(0)} ms (one changed card, live store)`
	);
}
await sql.end();
await t.stop();
process.exit(0);
