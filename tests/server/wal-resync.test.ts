/**
 * A reconnect repeats what the server has (the client's whole delete set, at least): it must
 * write no write-ahead log row, whether the client's state travels in its sync step 2 or, as a
 * reloaded tab with stored state sends it, as an update; a reconnect that brings an offline edit
 * writes one.
 */
import postgres from 'postgres';
import * as Y from 'yjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTask, deleteTask, readBoard, updateTask } from '../../src/lib/domain/board/index.ts';
import { startTestApp, type TestApp } from './support/app.ts';
import { connect, waitFor } from './support/collab.ts';
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

const unchanged = () => t.app.runtime.persistence.unchangedUpdates;

/**
 * A new connection whose document holds `state` before it connects. `asUpdate`: the provider
 * sends the state as an update too (a reloaded tab); otherwise only its sync step 2 carries it.
 */
async function reconnectWith(boardId: string, state: Uint8Array, asUpdate: boolean) {
	const p = connect(t.url, boardId, { token: owner.token });
	Y.applyUpdate(p.doc, state, asUpdate ? null : p.provider);
	expect(await p.ready).toBe(true);
	return p;
}

/** A board with history (a rename and a deletion: the delete set every resync repeats). */
async function boardWithHistory(): Promise<{ id: string; state: Uint8Array; card: string }> {
	const board = await createBoard(client(t.url), owner);
	const first = connect(t.url, board.id, { token: owner.token });
	expect(await first.ready).toBe(true);
	const column = readBoard(first.doc).columns[0]!.id;
	const ctx = { actorId: owner.id };
	const card = createTask(first.doc, { columnId: column, title: 'kept' }, ctx);
	const gone = createTask(first.doc, { columnId: column, title: 'gone' }, ctx);
	deleteTask(first.doc, { taskId: gone }, ctx);
	updateTask(first.doc, { taskId: card, title: 'kept, renamed' }, ctx);
	await waitFor(() => first.provider.unsyncedChanges === 0, 5000, 'acknowledgement');
	const state = Y.encodeStateAsUpdate(first.doc);
	first.destroy();
	return { id: board.id, state, card };
}

describe('write-ahead log on resync', () => {
	it('logs nothing for reconnects that bring nothing new', async () => {
		const board = await boardWithHistory();
		// What each resync sends is not empty: at least the delete set.
		expect(Y.decodeUpdate(board.state).ds.clients.size).toBeGreaterThan(0);
		const before = await logRowsWritten();
		const seen = unchanged();
		const inStep2 = await reconnectWith(board.id, board.state, false);
		const asUpdate = await reconnectWith(board.id, board.state, true);
		// Proof the server received them: each was checked and found to add nothing.
		await waitFor(() => unchanged() >= seen + 3, 5000, 'the resyncs to be checked');
		expect(await logRowsWritten()).toBe(before);
		inStep2.destroy();
		asUpdate.destroy();
	});

	it('logs the one offline edit a reconnect brings', async () => {
		const board = await boardWithHistory();
		const offline = new Y.Doc();
		Y.applyUpdate(offline, board.state);
		updateTask(offline, { taskId: board.card, title: 'edited offline' }, { actorId: owner.id });
		const before = await logRowsWritten();
		const p = await reconnectWith(board.id, Y.encodeStateAsUpdate(offline), false);
		await waitFor(
			() => readBoard(serverDoc(board.id)).columns[0]!.tasks[0]?.title === 'edited offline',
			5000,
			'the edit on the server'
		);
		expect(await logRowsWritten()).toBe(before + 1);
		p.destroy();
	});
});

function serverDoc(boardId: string): Y.Doc {
	const doc = t.app.runtime.collab.hocuspocus.documents.get(`board:${boardId}`);
	if (!doc) throw new Error('board not loaded');
	return doc;
}
