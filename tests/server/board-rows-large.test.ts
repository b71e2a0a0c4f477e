/** A store that writes thousands of rows at once stays within PostgreSQL's parameter limit. */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { createTask, readBoard } from '../../src/lib/domain/board/index.ts';
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
	}, 60_000);
});
