/**
 * A store that writes thousands of rows at once (in slices), and an edit of one card on such a
 * board, which must not read the whole table.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { createTask, readBoard, updateTask } from '../../src/lib/domain/board/index.ts';
import { projectTasks } from '../../src/lib/domain/board/projection.ts';
import { upsertTouchedTasks } from '../../src/lib/server/board-rows.ts';
import { createSql, type Sql } from '../../src/lib/server/db/client.ts';
import { persistBoard } from '../../server/persistence/board-store.ts';
import { startTestApp, type TestApp } from './support/app.ts';
import { client, createBoard, signUp } from './support/http.ts';

let t: TestApp;
let sql: Sql;
beforeAll(async () => {
	t = await startTestApp();
	sql = createSql({ url: t.db.url, max: 2 });
});
afterAll(async () => {
	await sql?.end();
	await t?.stop();
});

describe('large stores', () => {
	it('writes 5,000 new card rows in one store', async () => {
		const ana = await signUp(client(t.url), 'Ana');
		const board = await createBoard(client(t.url), ana);
		const [row] = await sql<{ snapshot: Buffer }[]>`
			select snapshot from board_documents where board_id = ${board.id}`;
		const doc = new Y.Doc();
		Y.applyUpdate(doc, new Uint8Array(row!.snapshot));
		const column = readBoard(doc).columns[0]!.id;
		for (let i = 0; i < 5000; i++) {
			createTask(
				doc,
				{ columnId: column, title: `card ${i}` },
				{ actorId: ana.id, newId: randomUUID }
			);
		}
		// As startup recovery stores a board whose rows lag the whole document.
		await persistBoard(sql, { boardId: board.id, doc, coveredIds: [], revision: 0, allRows: true });
		const [count] = await sql<{ n: number }[]>`
			select count(*)::int as n from tasks where board_id = ${board.id}`;
		expect(count!.n).toBe(5000);

		// An edit's row write between stores: the touched card's row only. (Its batch comes as
		// one JSON parameter, which the planner takes for 100 rows: joined with the table as
		// it stood, it read all of it per write.)
		const card = readBoard(doc).columns[0]!.tasks[4321]!.id;
		updateTask(doc, { taskId: card, title: 'Edited' }, { actorId: ana.id });
		await sql`analyze tasks`;
		await sql.begin(async (tx) => {
			// This transaction's own counts, so nothing else on the server can move them.
			const seqScans = async () => {
				const [stats] = await tx<{ n: number }[]>`
					select seq_scan::int as n from pg_stat_xact_user_tables where relname = 'tasks'`;
				return stats!.n;
			};
			const before = await seqScans();
			await upsertTouchedTasks(tx, [
				{ boardId: board.id, tasks: projectTasks(doc, [card]), taskIds: new Set([card]) }
			]);
			expect((await seqScans()) - before).toBe(0);
		});
		const [edited] = await sql<{ title: string; version: number }[]>`
			select title, version from tasks where board_id = ${board.id} and id = ${card}`;
		expect(edited).toEqual({ title: 'Edited', version: 2 });
	}, 60_000);
});
