import * as Y from 'yjs';
import { describe, expect, it } from 'vitest';
import { createTask, deleteTask, updateTask } from '#lib/domain/board/tasks.ts';
import { createBoard } from '#lib/domain/board/testing.ts';
import { holdsAll, integratedAny, lacking, unheldPart } from './update-coverage.ts';

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

const holds = (doc: Y.Doc, update: Uint8Array) => {
	const found = lacking(doc, update);
	return found !== null && holdsAll(found);
};

describe('lacking', () => {
	it('finds nothing lacking for a resync that only repeats the delete set', () => {
		const { server, client } = pair();
		const update = step2(client, server);
		expect(update.byteLength).toBeGreaterThan(2); // the delete set travels again
		expect(holds(server, update)).toBe(true);
	});

	it('finds nothing lacking for a full state the server already holds', () => {
		const { server, client } = pair();
		expect(holds(server, Y.encodeStateAsUpdate(client))).toBe(true);
	});

	it('finds a new edit lacking, and nothing once it is applied', () => {
		const { server, client, ctx } = pair();
		const card = [...client.getMap('tasks').keys()][0]!;
		const before = Y.encodeStateVector(client);
		updateTask(client, { taskId: card, title: 'changed' }, ctx);
		const edit = Y.encodeStateAsUpdate(client, before);
		const found = lacking(server, edit)!;
		expect(found.structs).toEqual([
			{
				client: client.clientID,
				from: Y.getState(server.store, client.clientID),
				to: Y.getState(client.store, client.clientID)
			}
		]);
		Y.applyUpdate(server, edit);
		expect(holds(server, edit)).toBe(true);
	});

	it('finds a deletion of content the server has but has not deleted', () => {
		const { server, client } = pair();
		const live = [...client.getMap('tasks').keys()].find(
			(id) => (client.getMap('tasks').get(id) as Y.Map<unknown>).get('deletedAt') === null
		)!;
		// A deletion without new structs: remove the entry outright (a raw client can).
		client.getMap('tasks').delete(live);
		const found = lacking(server, step2(client, server))!;
		expect(found).toEqual({ structs: [], deletions: [], undeleted: true });
	});

	it('finds content from a client the server has never seen', () => {
		const { server } = pair();
		const stranger = new Y.Doc();
		stranger.getMap('board').set('note', 'x');
		expect(lacking(server, Y.encodeStateAsUpdate(stranger))!.structs).toHaveLength(1);
	});

	it('finds deletions of content the server does not have', () => {
		const { server } = pair();
		const deletion = new Uint8Array([0, 1, 0xbf, 0x84, 0x3d, 1, 3, 2]); // client 999,999
		expect(lacking(server, deletion)).toEqual({
			structs: [],
			deletions: [{ client: 999_999, from: 3, to: 5 }],
			undeleted: false
		});
	});

	it('splits a deletion at what the document holds, and skips empty ranges', () => {
		const writer = new Y.Doc();
		writer.clientID = 7;
		writer.getMap('tasks').set('a', 1);
		writer.getMap('tasks').set('b', 2);
		const server = new Y.Doc();
		Y.applyUpdate(server, Y.encodeStateAsUpdate(writer));
		// Client 7, clocks 1 to 3: 'b' (held, live) and one clock past the state.
		expect(lacking(server, new Uint8Array([0, 1, 7, 1, 1, 2]))).toEqual({
			structs: [],
			deletions: [{ client: 7, from: 2, to: 3 }],
			undeleted: true
		});
		expect(lacking(server, new Uint8Array([0, 1, 7, 1, 1, 0]))).toEqual({
			structs: [],
			deletions: [],
			undeleted: false
		});
	});

	it("gives one range per run of a client's structs", () => {
		const writer = new Y.Doc();
		for (let i = 0; i < 5; i++) writer.getMap('tasks').set(`k${i}`, i);
		const found = lacking(new Y.Doc(), Y.encodeStateAsUpdate(writer))!;
		expect(found.structs).toEqual([{ client: writer.clientID, from: 0, to: 5 }]);
	});

	it('is null for bytes that do not decode', () => {
		const { server } = pair();
		expect(lacking(server, new Uint8Array([9, 9, 9, 9]))).toBeNull();
	});
});

describe('unheldPart', () => {
	it('keeps only the structs past what the document holds, and the deletions', () => {
		const writer = new Y.Doc();
		writer.getMap('tasks').set('a', 1);
		const server = new Y.Doc();
		Y.applyUpdate(server, Y.encodeStateAsUpdate(writer));
		writer.getMap('tasks').set('b', 2);
		writer.getMap('tasks').delete('a');
		const part = unheldPart(server, Y.encodeStateAsUpdate(writer));
		const decoded = Y.decodeUpdate(part);
		expect(decoded.structs.map((struct) => struct.id.clock)).toEqual([1]);
		expect(decoded.ds.clients.size).toBe(1);
		Y.applyUpdate(server, part);
		expect(server.getMap('tasks').toJSON()).toEqual({ b: 2 });
	});
});

describe('integratedAny', () => {
	/** The transaction of applying `update` to `doc`, and whether Yjs emitted an update for it. */
	function apply(doc: Y.Doc, update: Uint8Array) {
		let transaction: Y.Transaction | null = null;
		let emitted = false;
		const take = (tr: Y.Transaction) => void (transaction = tr);
		const saw = () => void (emitted = true);
		doc.on('beforeTransaction', take);
		doc.on('update', saw);
		Y.applyUpdate(doc, update);
		doc.off('beforeTransaction', take);
		doc.off('update', saw);
		return { transaction: transaction!, emitted };
	}

	it('agrees with Yjs: a new edit integrates, its repeat does not', () => {
		const { server, client, ctx } = pair();
		const card = [...client.getMap('tasks').keys()][0]!;
		updateTask(client, { taskId: card, title: 'new' }, ctx);
		const update = step2(client, server);
		const first = apply(server, update);
		expect(first.emitted).toBe(true);
		expect(integratedAny(first.transaction, server)).toBe(true);
		const again = apply(server, update);
		expect(again.emitted).toBe(false);
		expect(integratedAny(again.transaction, server)).toBe(false);
	});

	it('counts a deletion alone', () => {
		const { server, client, ctx } = pair();
		deleteTask(client, { taskId: [...client.getMap('tasks').keys()][0]! }, ctx);
		const update = step2(client, server);
		const { transaction, emitted } = apply(server, update);
		expect(emitted).toBe(true);
		expect(transaction.deleteSet.clients.size).toBeGreaterThan(0);
		expect(integratedAny(transaction, server)).toBe(true);
	});

	it('does not count structs left waiting for content the document lacks', () => {
		const { server, client } = pair();
		client.getMap('gap').set('a', 1);
		const afterFirst = Y.encodeStateVector(client);
		client.getMap('gap').set('b', 2);
		const second = Y.encodeStateAsUpdate(client, afterFirst);
		const { transaction, emitted } = apply(server, second);
		expect(emitted).toBe(false);
		expect(server.store.pendingStructs).not.toBeNull();
		expect(integratedAny(transaction, server)).toBe(false);
	});

	it('reads the store, not afterState: after a listener threw, Yjs cleans nothing up', () => {
		const { server, client, ctx } = pair();
		const card = [...client.getMap('tasks').keys()][0]!;
		const failing = () => {
			throw new Error('listener fault');
		};
		server.on('update', failing);
		const before = Y.encodeStateVector(client);
		updateTask(client, { taskId: card, title: 'first' }, ctx);
		expect(() => Y.applyUpdate(server, Y.encodeStateAsUpdate(client, before))).toThrow();
		server.off('update', failing);
		const next = Y.encodeStateVector(client);
		updateTask(client, { taskId: card, title: 'second' }, ctx);
		const { transaction, emitted } = apply(server, Y.encodeStateAsUpdate(client, next));
		// The document is stuck: the transaction applied but was never cleaned up.
		expect(emitted).toBe(false);
		expect(transaction.afterState.size).toBe(0);
		expect(integratedAny(transaction, server)).toBe(true);
	});
});
