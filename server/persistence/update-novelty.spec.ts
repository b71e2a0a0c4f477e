import * as Y from 'yjs';
import { describe, expect, it } from 'vitest';
import { createTask, deleteTask, updateTask } from '#lib/domain/board/tasks.ts';
import { createBoard } from '#lib/domain/board/testing.ts';
import { changesNothing } from './update-novelty.ts';

/** A server copy and a client that has synced with it and then made `edit`. */
function pair(edit?: (doc: Y.Doc, ids: { column: string; card: string }) => void) {
	const board = createBoard();
	const column = board.columnIds[0]!;
	const card = createTask(board.doc, { columnId: column, title: 'one' }, board.ctx);
	deleteTask(
		board.doc,
		{ taskId: createTask(board.doc, { columnId: column, title: 'two' }, board.ctx) },
		board.ctx
	);
	const client = new Y.Doc();
	Y.applyUpdate(client, Y.encodeStateAsUpdate(board.doc));
	edit?.(client, { column, card });
	return { server: board.doc, client, ctx: board.ctx };
}

/** What a reconnecting client sends as sync step 2: everything the server's vector lacks. */
const step2 = (client: Y.Doc, server: Y.Doc) =>
	Y.encodeStateAsUpdate(client, Y.encodeStateVector(server));

describe('changesNothing', () => {
	it('is true for a resync that only repeats the delete set', () => {
		const { server, client } = pair();
		const update = step2(client, server);
		expect(update.byteLength).toBeGreaterThan(2); // the delete set travels again
		expect(changesNothing(server, update)).toBe(true);
	});

	it('is true for a full state the server already holds', () => {
		const { server, client } = pair();
		expect(changesNothing(server, Y.encodeStateAsUpdate(client))).toBe(true);
	});

	it('is false for a new edit', () => {
		const { server, client, ctx } = pair();
		const card = [...client.getMap('tasks').keys()][0]!;
		const before = Y.encodeStateVector(client);
		updateTask(client, { taskId: card, title: 'changed' }, ctx);
		expect(changesNothing(server, Y.encodeStateAsUpdate(client, before))).toBe(false);
		expect(changesNothing(server, step2(client, server))).toBe(false);
	});

	it('is false for a deletion of content the server has but has not deleted', () => {
		const { server, client } = pair();
		const live = [...client.getMap('tasks').keys()].find(
			(id) => (client.getMap('tasks').get(id) as Y.Map<unknown>).get('deletedAt') === null
		)!;
		// A deletion without new structs: remove the entry outright (a raw client can).
		client.getMap('tasks').delete(live);
		expect(changesNothing(server, step2(client, server))).toBe(false);
	});

	it('is false for content from a client the server has never seen', () => {
		const { server } = pair();
		const stranger = new Y.Doc();
		stranger.getMap('board').set('note', 'x');
		expect(changesNothing(server, Y.encodeStateAsUpdate(stranger))).toBe(false);
	});

	it('is false (log it) for bytes that do not decode', () => {
		const { server } = pair();
		expect(changesNothing(server, new Uint8Array([9, 9, 9, 9]))).toBe(false);
	});
});
