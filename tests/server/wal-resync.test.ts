/**
 * A reconnect repeats what the server has (the client's whole delete set, at least): it must
 * write no write-ahead log row, while a reconnect that brings an offline edit writes one.
 */
import postgres from 'postgres';
import * as Y from 'yjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTask, deleteTask, readBoard, updateTask } from '../../src/lib/domain/board/index.ts';
import { startTestApp, type TestApp } from './support/app.ts';
import { connect, waitFor, type TestProvider } from './support/collab.ts';
import { client, createBoard, signUp, type TestUser } from './support/http.ts';

let t: TestApp;
let sql: postgres.Sql;
let owner: TestUser;
beforeAll(async () => {
	t = await startTestApp();
	sql = postgres(t.db.url, { max: 1 });
	owner = await signUp(client(t.url));
});
afterAll(async () => {
	await sql?.end();
	await t?.stop();
});

/** Log rows ever inserted (compaction deletes rows, so count the sequence, not the table). */
async function logRowsWritten(): Promise<number> {
	const [row] = await sql<{ n: string }[]>`
		select case when is_called then last_value else 0 end as n from board_updates_id_seq`;
	return Number(row!.n);
}

async function acknowledged(p: TestProvider) {
	await waitFor(() => p.provider.unsyncedChanges === 0, 5000, 'acknowledgement');
}

/** A new connection whose document starts from `state`, as a reloaded tab with offline storage. */
async function reconnectWith(boardId: string, state: Uint8Array, edit?: (doc: Y.Doc) => void) {
	const p = connect(t.url, boardId, { token: owner.token });
	Y.applyUpdate(p.doc, state);
	edit?.(p.doc);
	expect(await p.ready).toBe(true);
	await acknowledged(p);
	return p;
}

describe('write-ahead log on resync', () => {
	it('logs nothing for a reconnect that brings nothing new, one row for one offline edit', async () => {
		const board = await createBoard(client(t.url), owner);
		const first = connect(t.url, board.id, { token: owner.token });
		expect(await first.ready).toBe(true);
		const column = readBoard(first.doc).columns[0]!.id;
		const ctx = { actorId: owner.id };
		const kept = createTask(first.doc, { columnId: column, title: 'kept' }, ctx);
		const gone = createTask(first.doc, { columnId: column, title: 'gone' }, ctx);
		deleteTask(first.doc, { taskId: gone }, ctx);
		updateTask(first.doc, { taskId: kept, title: 'kept, renamed' }, ctx);
		await acknowledged(first);
		const state = Y.encodeStateAsUpdate(first.doc);
		first.destroy();
		// The client's step 2 is not empty: it carries the delete set of the rename and deletion.
		const server = new Y.Doc();
		expect(
			Y.decodeUpdate(Y.encodeStateAsUpdate(first.doc, Y.encodeStateVector(server))).ds.clients.size
		).toBeGreaterThan(0);

		const before = await logRowsWritten();
		const again = await reconnectWith(board.id, state);
		const third = await reconnectWith(board.id, state);
		expect(await logRowsWritten()).toBe(before);
		again.destroy();
		third.destroy();

		// The same path with an offline edit does log it: the count above could have moved.
		const edited = await reconnectWith(board.id, state, (doc) =>
			updateTask(doc, { taskId: kept, title: 'edited offline' }, ctx)
		);
		expect(await logRowsWritten()).toBe(before + 1);
		edited.destroy();
	});
});
