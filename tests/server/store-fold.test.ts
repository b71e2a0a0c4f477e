/**
 * A store folds the stored snapshot in only when another writer replaced it since this copy
 * last saw it. This shows the fold is needed where two copies really diverge: two instances on
 * one database whose copies never exchanged updates (no Redis here; with Redis a lost pub/sub
 * message leaves the same state). Without the fold the second store would drop the first
 * instance's card, whose log rows that instance's own store already deleted.
 */
import postgres from 'postgres';
import * as Y from 'yjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTask, readBoard } from '../../src/lib/domain/board/index.ts';
import { startTestApp, type TestApp } from './support/app.ts';
import { connect, waitFor, type TestProvider } from './support/collab.ts';
import { createTestDatabase, type TestDatabase } from './support/database.ts';
import { client, createBoard, signUp, type TestUser } from './support/http.ts';

let db: TestDatabase;
let one: TestApp;
let two: TestApp;
let sql: postgres.Sql;
let owner: TestUser;
beforeAll(async () => {
	db = await createTestDatabase();
	one = await startTestApp({}, db);
	two = await startTestApp({}, db);
	sql = postgres(db.url, { max: 1 });
	owner = await signUp(client(one.url));
});
afterAll(async () => {
	await sql?.end();
	await one?.stop();
	await two?.stop();
	await db?.drop();
});

const loaded = (t: TestApp, boardId: string) =>
	t.app.runtime.collab.hocuspocus.documents.has(`board:${boardId}`);

async function addCard(p: TestProvider, title: string): Promise<string> {
	const column = readBoard(p.doc).columns[0]!.id;
	const id = createTask(p.doc, { columnId: column, title }, { actorId: owner.id });
	await waitFor(() => p.provider.unsyncedChanges === 0, 5000, 'acknowledgement');
	return id;
}

async function storedTitles(boardId: string): Promise<string[]> {
	const [row] = await sql<{ snapshot: Buffer; revision: string }[]>`
		select snapshot, revision from board_documents where board_id = ${boardId}`;
	const doc = new Y.Doc();
	Y.applyUpdate(doc, new Uint8Array(row!.snapshot));
	return readBoard(doc).columns.flatMap((c) => c.tasks.map((t) => t.title));
}

describe('store fold', () => {
	it('keeps the other instance’s stored card when two copies diverged', async () => {
		const board = await createBoard(client(one.url), owner);
		const onOne = connect(one.url, board.id, { token: owner.token });
		const onTwo = connect(two.url, board.id, { token: owner.token });
		expect(await onOne.ready).toBe(true);
		expect(await onTwo.ready).toBe(true);
		await addCard(onTwo, 'written on two');
		await addCard(onOne, 'written on one');
		// The copies diverged: neither instance has the other's card.
		expect(readBoard(onOne.doc).columns[0]!.tasks.map((t) => t.title)).toEqual(['written on one']);

		// Instance two stores (its last client leaves) and deletes its log rows.
		onTwo.destroy();
		await waitFor(() => !loaded(two, board.id), 5000, 'instance two unloads');
		expect(await storedTitles(board.id)).toEqual(['written on two']);
		// Then instance one stores over it.
		onOne.destroy();
		await waitFor(() => !loaded(one, board.id), 5000, 'instance one unloads');
		expect((await storedTitles(board.id)).sort()).toEqual(['written on one', 'written on two']);
		const [left] = await sql<{ n: number }[]>`
			select count(*)::int as n from board_updates where board_id = ${board.id}`;
		expect(left!.n).toBe(0);
	});
});
