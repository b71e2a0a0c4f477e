/**
 * An incoming update is applied to the board once (Hocuspocus's apply; the log row holds what
 * its transaction integrated) and acknowledged only after its log row commits. What waits for
 * content that has not arrived is logged too, so the log replays to what the server holds once
 * the rest arrives; an update that does not apply is refused, not acknowledged.
 */
import * as Y from 'yjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTask, readBoard } from '../../src/lib/domain/board/index.ts';
import { loadBoardState } from '../../src/lib/server/board-documents.ts';
import { startTestApp, type TestApp } from './support/app.ts';
import { waitFor } from './support/collab.ts';
import { loggedEvents, settle } from './support/events.ts';
import { client, createBoard, signUp, type TestUser } from './support/http.ts';
import {
	rawClient,
	syncStep2Frame,
	updateFrame,
	varUint,
	type RawClient
} from './support/raw-collab.ts';

let t: TestApp;
let ana: TestUser;
const open: RawClient[] = [];
beforeAll(async () => {
	t = await startTestApp();
	ana = await signUp(client(t.url), 'Ana');
});
afterAll(async () => {
	for (const c of open) c.socket.terminate();
	await t?.stop();
});

/** A raw client on a new board, authenticated, and a copy of the board as the server has it. */
async function editor(): Promise<{ boardId: string; raw: RawClient; copy: Y.Doc; column: string }> {
	const board = await createBoard(client(t.url), ana);
	const raw = rawClient(t.url, board.id);
	open.push(raw);
	expect(await raw.authenticate(ana.token)).toBe(true);
	const documents = t.app.runtime.collab.hocuspocus.documents;
	await waitFor(() => documents.has(raw.document), 5000, 'the board to load');
	const copy = new Y.Doc();
	Y.applyUpdate(copy, Y.encodeStateAsUpdate(serverDoc(board.id)));
	return { boardId: board.id, raw, copy, column: readBoard(copy).columns[0]!.id };
}

function serverDoc(boardId: string): Y.Doc {
	const doc = t.app.runtime.collab.hocuspocus.documents.get(`board:${boardId}`);
	if (!doc) throw new Error('board not loaded');
	return doc;
}

/** What `change` writes to `doc`, as one update. */
function updateOf(doc: Y.Doc, change: () => void): Uint8Array {
	const updates: Uint8Array[] = [];
	const capture = (update: Uint8Array) => updates.push(update);
	doc.on('update', capture);
	change();
	doc.off('update', capture);
	return Y.mergeUpdates(updates);
}

/** The board as the database holds it: snapshot plus every log row, replayed. */
async function stored(boardId: string): Promise<Y.Doc> {
	const state = await loadBoardState(t.app.runtime.ctx.sql, boardId);
	const doc = new Y.Doc();
	if (state.snapshot) Y.applyUpdate(doc, state.snapshot);
	for (const row of state.updates) Y.applyUpdate(doc, row.update);
	return doc;
}

/** An update that only deletes content no one has (client 999,999's first clock). */
const unknownDeletion = new Uint8Array([0, 1, ...varUint(999_999), 1, 0, 1]);

const titles = (doc: Y.Doc) => readBoard(doc).columns[0]!.tasks.map((task) => task.title);
const written = () => t.app.runtime.persistence.wal.stats.entries;

describe('an incoming update', () => {
	it('is applied once, logged once and acknowledged', async () => {
		const { boardId, raw, copy, column } = await editor();
		const doc = serverDoc(boardId);
		let transactions = 0;
		const count = (tr: Y.Transaction) => {
			if ((tr.origin as { source?: string } | null)?.source === 'connection') transactions += 1;
		};
		doc.on('afterTransaction', count);
		const before = written();
		const update = updateOf(copy, () =>
			createTask(copy, { columnId: column, title: 'once' }, { actorId: ana.id })
		);
		raw.send(updateFrame(raw.document, update));
		await waitFor(() => raw.acks.length === 1, 5000, 'the acknowledgement');
		doc.off('afterTransaction', count);
		expect(raw.acks).toEqual([true]);
		expect(transactions).toBe(1);
		expect(titles(doc)).toEqual(['once']);
		// Acknowledged, so committed: the database replays to it.
		expect(written()).toBe(before + 1);
		expect(titles(await stored(boardId))).toEqual(['once']);
	});

	it('is logged with what waits for content that has not arrived', async () => {
		const { boardId, raw, copy, column } = await editor();
		const ctx = { actorId: ana.id };
		const first = updateOf(copy, () => createTask(copy, { columnId: column, title: 'first' }, ctx));
		const second = updateOf(copy, () =>
			createTask(copy, { columnId: column, title: 'second' }, ctx)
		);
		const before = written();

		// The second card first: its structs come after the first's in its client's sequence, so
		// Yjs keeps them pending until the first arrives.
		raw.send(updateFrame(raw.document, second));
		await waitFor(() => raw.acks.length === 1, 5000, 'the second card to be acknowledged');
		expect(raw.acks).toEqual([true]);
		expect(titles(serverDoc(boardId))).toEqual([]);
		expect(serverDoc(boardId).store.pendingStructs).not.toBeNull();
		expect(written()).toBe(before + 1);
		// The row holds the waiting card: a replay with the first card added has both. (Once the
		// first card arrives, its transaction carries the second too, so the end proves less.)
		const replay = await stored(boardId);
		Y.applyUpdate(replay, first);
		expect(titles(replay)).toEqual(['first', 'second']);

		raw.send(updateFrame(raw.document, first));
		await waitFor(() => raw.acks.length === 2, 5000, 'the first card to be acknowledged');
		expect(titles(serverDoc(boardId))).toEqual(['first', 'second']);
		expect(written()).toBe(before + 2);
		// Had the waiting card not been logged, a replay would give only the first.
		expect(titles(await stored(boardId))).toEqual(['first', 'second']);
	});

	it('keeps a board that holds deletions of unknown content cheap: one row an edit, none a resync', async () => {
		const { boardId, raw, copy, column } = await editor();
		// A deletion of content no one has: Yjs keeps it waiting, and sends it to every client.
		const before = written();
		raw.send(updateFrame(raw.document, unknownDeletion));
		await waitFor(() => raw.acks.length === 1, 5000, 'the deletion to be acknowledged');
		expect(serverDoc(boardId).store.pendingDs).not.toBeNull();
		expect(written()).toBe(before + 1);

		// A live edit: its own transaction, logged once.
		const edit = updateOf(copy, () =>
			createTask(copy, { columnId: column, title: 'edited' }, { actorId: ana.id })
		);
		raw.send(updateFrame(raw.document, edit));
		await waitFor(() => raw.acks.length === 2, 5000, 'the edit to be acknowledged');
		expect(written()).toBe(before + 2);

		// A client that resyncs with everything the server sent it, the waiting deletion too.
		const seen = t.app.runtime.persistence.unchangedUpdates;
		raw.send(syncStep2Frame(raw.document, Y.encodeStateAsUpdate(serverDoc(boardId))));
		await waitFor(() => raw.acks.length === 3, 5000, 'the resync to be acknowledged');
		expect(t.app.runtime.persistence.unchangedUpdates).toBe(seen + 1);
		expect(written()).toBe(before + 2);
		expect(titles(await stored(boardId))).toEqual(['edited']);
	});

	for (const waiting of [false, true]) {
		it(`is refused when its apply fails halfway, and what did integrate is logged${waiting ? ', also on a board where something waits' : ''}`, async () => {
			const { boardId, raw, copy, column } = await editor();
			if (waiting) {
				raw.send(updateFrame(raw.document, unknownDeletion));
				await waitFor(() => raw.acks.length === 1, 5000, 'the deletion to be acknowledged');
				expect(serverDoc(boardId).store.pendingDs).not.toBeNull();
			}
			const acks = raw.acks.length;
			// Two writers' cards in one update; Yjs integrates the higher client id first.
			const [first, second] = [2_000_000, 1_000_000].map((clientID) => {
				const writer = new Y.Doc();
				writer.clientID = clientID;
				Y.applyUpdate(writer, Y.encodeStateAsUpdate(copy));
				return updateOf(writer, () =>
					createTask(writer, { columnId: column, title: `by ${clientID}` }, { actorId: ana.id })
				);
			});
			const doc = serverDoc(boardId);
			const restore = failOnce(doc, 1_000_000);
			const before = written();
			try {
				raw.send(updateFrame(raw.document, Y.mergeUpdates([first!, second!])));
				const closed = await Promise.race([
					raw.closed,
					new Promise<null>((resolve) => setTimeout(() => resolve(null), 5000))
				]);
				expect(closed?.code).toBe(4422);
				expect(closed?.reason).toBe('Board update refused: it does not apply to this board');
			} finally {
				restore();
			}
			// y-protocols printed Yjs's error and Hocuspocus acknowledged it; the gate held that.
			expect(raw.acks).toHaveLength(acks);
			expect(titles(doc)).toEqual(['by 2000000']);
			await t.app.runtime.persistence.wal.idle();
			expect(written()).toBe(before + 1);
			expect(titles(await stored(boardId))).toEqual(['by 2000000']);
		});
	}

	it('closes 1011 without acknowledging when reading an applied update fails, and logs what integrated', async () => {
		const { boardId, raw, copy, column } = await editor();
		const doc = serverDoc(boardId);
		const update = updateOf(copy, () =>
			createTask(copy, { columnId: column, title: 'kept' }, { actorId: ana.id })
		);
		const restore = failAfterApply(doc);
		const before = written();
		const seen = t.app.runtime.persistence.unchangedUpdates;
		try {
			raw.send(updateFrame(raw.document, update));
			// Our own failure, not the client's: a plain close it reconnects after, not a refusal.
			expect((await raw.closed).code).toBe(1011);
			expect(restore.fired()).toBe(true);
		} finally {
			restore();
		}
		expect(raw.acks).toEqual([]);
		// Applied and broadcast, so it must be in the log although nobody was answered.
		expect(titles(doc)).toEqual(['kept']);
		await t.app.runtime.persistence.wal.idle();
		expect(written()).toBe(before + 1);
		expect(t.app.runtime.persistence.unchangedUpdates).toBe(seen);
		expect(titles(await stored(boardId))).toEqual(['kept']);

		// The client resends on reconnect: acknowledged, and no second row for what is in already.
		const again = rawClient(t.url, boardId);
		open.push(again);
		expect(await again.authenticate(ana.token)).toBe(true);
		again.send(updateFrame(again.document, update));
		await waitFor(() => again.acks.length === 1, 5000, 'the resend to be acknowledged');
		expect(again.acks).toEqual([true]);
		expect(written()).toBe(before + 1);
	});

	it('is logged when an update listener before the log throws, and the board keeps working', async () => {
		const { boardId, raw, copy, column } = await editor();
		const held = await holdOpen(raw.document);
		const doc = serverDoc(boardId);
		const watcher = rawClient(t.url, boardId);
		open.push(watcher);
		expect(await watcher.authenticate(ana.token)).toBe(true);
		const fault = failListenerOnce(raw.document);
		const before = written();
		try {
			const update = updateOf(copy, () =>
				createTask(copy, { columnId: column, title: 'unheard' }, { actorId: ana.id })
			);
			raw.send(updateFrame(raw.document, update));
			// Logged, and every connection of the board closed to resync (none got the broadcast).
			expect((await raw.closed).code).toBe(1011);
			expect((await watcher.closed).code).toBe(1011);
		} finally {
			fault.restore();
		}
		expect(fault.thrown()).toBe(1);
		expect(raw.acks).toEqual([]);
		expect(titles(doc)).toEqual(['unheard']);
		await t.app.runtime.persistence.wal.idle();
		expect(written()).toBe(before + 1);
		expect(titles(await stored(boardId))).toEqual(['unheard']);

		// Yjs had left the document unable to clean up a transaction: the next edit would have
		// been applied with no update event, so acknowledged with no row and never broadcast.
		const again = rawClient(t.url, boardId);
		const other = rawClient(t.url, boardId);
		open.push(again, other);
		expect(await again.authenticate(ana.token)).toBe(true);
		expect(await other.authenticate(ana.token)).toBe(true);
		const heard = other.updates();
		const next = updateOf(copy, () =>
			createTask(copy, { columnId: column, title: 'heard' }, { actorId: ana.id })
		);
		again.send(updateFrame(again.document, next));
		await waitFor(() => again.acks.length === 1, 5000, 'the next edit to be acknowledged');
		expect(again.acks).toEqual([true]);
		expect(written()).toBe(before + 2);
		await waitFor(() => other.updates() > heard, 5000, 'the next edit to be broadcast');
		expect(titles(await stored(boardId))).toEqual(['unheard', 'heard']);
		// The document that had been stuck, not a copy loaded again.
		expect(serverDoc(boardId)).toBe(doc);
		await held.release();
	});

	it('commits an API write whose update a listener before the log missed', async () => {
		const { boardId, raw, column } = await editor();
		const held = await holdOpen(raw.document);
		const doc = serverDoc(boardId);
		const fault = failListenerOnce(raw.document);
		const api = client(t.url);
		const path = `/api/v1/boards/${boardId}/tasks`;
		let created;
		try {
			created = await api.post(path, { title: 'by api', columnId: column }, { token: ana.token });
		} finally {
			fault.restore();
		}
		expect(fault.thrown()).toBe(1);
		// Written, so answered as written: the change's own code did not fail, a listener did.
		expect(created.status).toBe(201);
		expect(titles(await stored(boardId))).toEqual(['by api']);
		// The board's sockets missed the broadcast: closed to resync.
		expect((await raw.closed).code).toBe(1011);

		// And the board is not left unable to log or broadcast.
		const watcher = rawClient(t.url, boardId);
		open.push(watcher);
		expect(await watcher.authenticate(ana.token)).toBe(true);
		const heard = watcher.updates();
		const next = await api.post(path, { title: 'after', columnId: column }, { token: ana.token });
		expect(next.status).toBe(201);
		await waitFor(() => watcher.updates() > heard, 5000, 'the next write to be broadcast');
		expect(titles(await stored(boardId))).toEqual(['by api', 'after']);
		expect(serverDoc(boardId)).toBe(doc);
		await held.release();
	});

	it('mends a board a listener left stuck outside any message before the next edit applies', async () => {
		const { boardId, raw, copy, column } = await editor();
		const held = await holdOpen(raw.document);
		const doc = serverDoc(boardId);
		// A change that is no message of ours (as a Redis update is), whose listener throws.
		const fault = failListenerOnce(raw.document);
		expect(() => doc.transact(() => doc.getMap('scratch').set('k', 1), 'elsewhere')).toThrow();
		fault.restore();
		expect(fault.thrown()).toBe(1);
		expect(doc._transactionCleanups.length).toBeGreaterThan(0);

		const before = written();
		const update = updateOf(copy, () =>
			createTask(copy, { columnId: column, title: 'after the fault' }, { actorId: ana.id })
		);
		raw.send(updateFrame(raw.document, update));
		// Mended before it applied: every socket closed to resync, the edit logged once.
		expect((await raw.closed).code).toBe(1011);
		await t.app.runtime.persistence.wal.idle();
		expect(written()).toBe(before + 1);
		expect(titles(await stored(boardId))).toEqual(['after the fault']);
		// Its observers ran: the card's event reached the log (a stuck board derives none).
		await settle(t.app);
		const created = (await loggedEvents(t.db.url, boardId)).filter(
			(event) => event.type === 'task.created'
		);
		expect(created.map((event) => event.payload.title)).toEqual(['after the fault']);
		expect(serverDoc(boardId)).toBe(doc);
		await held.release();
	});

	it('logs what a refused update left waiting, so a resend of it is not acknowledged unlogged', async () => {
		const { boardId, raw, copy, column } = await editor();
		const ctx = { actorId: ana.id };
		// A card with a description, live on the server.
		let card = '';
		const described = updateOf(copy, () => {
			card = createTask(copy, { columnId: column, title: 'described', description: 'hello' }, ctx);
		});
		raw.send(updateFrame(raw.document, described));
		await waitFor(() => raw.acks.length === 1, 5000, 'the card to be acknowledged');
		// One update: another writer's second card (it waits for the first) and a deletion in the
		// description. The fault strikes in Yjs's deletion phase, after the card was set waiting.
		const writer = new Y.Doc();
		Y.applyUpdate(writer, Y.encodeStateAsUpdate(copy));
		const first = updateOf(writer, () =>
			createTask(writer, { columnId: column, title: 'first' }, ctx)
		);
		const second = updateOf(writer, () =>
			createTask(writer, { columnId: column, title: 'second' }, ctx)
		);
		const deletion = updateOf(copy, () => {
			const description = (copy.getMap('tasks').get(card) as Y.Map<unknown>).get('description');
			(description as Y.Text).delete(0, 1);
		});
		const doc = serverDoc(boardId);
		const restore = failAfterWaiting(doc);
		const before = written();
		try {
			raw.send(updateFrame(raw.document, Y.mergeUpdates([second, deletion])));
			const closed = await Promise.race([
				raw.closed,
				new Promise<null>((resolve) => setTimeout(() => resolve(null), 5000))
			]);
			expect(closed?.code).toBe(4422);
		} finally {
			restore();
		}
		expect(doc.store.pendingStructs).not.toBeNull();
		await t.app.runtime.persistence.wal.idle();
		expect(written()).toBe(before + 1);
		// The waiting card is in the log: a replay with the first card added has both.
		const replay = await stored(boardId);
		Y.applyUpdate(replay, first);
		expect(titles(replay)).toEqual(['described', 'first', 'second']);
	});
});

/**
 * Keeps the board's document loaded while every socket of it is closed (a direct connection,
 * as the API holds one), so a test goes on with the same document, not a reloaded copy.
 */
async function holdOpen(name: string): Promise<{ release(): Promise<void> }> {
	const connection = await t.app.runtime.collab.hocuspocus.openDirectConnection(name);
	return { release: () => connection.disconnect() };
}

/**
 * A fault in Hocuspocus's own `update` listener (which runs before the log's): it throws the
 * next time the board's document emits an update.
 */
function failListenerOnce(name: string): { restore(): void; thrown(): number } {
	const document = t.app.runtime.collab.hocuspocus.documents.get(name)!;
	const onUpdate = document.callbacks.onUpdate;
	let thrown = 0;
	document.callbacks.onUpdate = () => {
		document.callbacks.onUpdate = onUpdate;
		thrown += 1;
		throw new Error('injected listener fault');
	};
	return { restore: () => void (document.callbacks.onUpdate = onUpdate), thrown: () => thrown };
}

/**
 * Makes the store's next client lookup throw once `shouldThrow(client)` says so (each fault
 * below arms it its own way). Returns the undo, which also says whether the fault fired.
 */
function failLookup(
	doc: Y.Doc,
	shouldThrow: (client: number) => boolean
): { restore(): void; fired(): boolean } {
	const clients = doc.store.clients;
	const get = clients.get.bind(clients);
	let fired = false;
	clients.get = (id: number) => {
		if (!fired && shouldThrow(id)) {
			fired = true;
			throw new Error('injected fault');
		}
		return get(id);
	};
	return { restore: () => void (clients.get = get), fired: () => fired };
}

/**
 * A fault in the middle of Hocuspocus's apply: the store throws the first time a connection's
 * transaction looks up `client`. Returns the undo.
 */
function failOnce(doc: Y.Doc, client: number): () => void {
	let armed = false;
	const arm = (tr: Y.Transaction) => {
		armed = (tr.origin as { source?: string } | null)?.source === 'connection';
	};
	doc.on('beforeTransaction', arm);
	const lookup = failLookup(doc, (id) => armed && id === client);
	return () => {
		doc.off('beforeTransaction', arm);
		lookup.restore();
	};
}

/**
 * A fault in Yjs's deletion phase: once an apply sets structs waiting, the store's next lookup
 * throws. Returns the undo.
 */
function failAfterWaiting(doc: Y.Doc): () => void {
	const store = doc.store;
	let waiting = store.pendingStructs;
	let armed = false;
	Object.defineProperty(store, 'pendingStructs', {
		configurable: true,
		get: () => waiting,
		set: (value: typeof waiting) => {
			waiting = value;
			if (value) armed = true;
		}
	});
	const lookup = failLookup(doc, () => armed);
	return () => {
		delete (store as { pendingStructs?: unknown }).pendingStructs;
		store.pendingStructs = waiting;
		lookup.restore();
	};
}

/**
 * A fault after Hocuspocus's apply: once a connection's transaction has emitted its update, the
 * store's next lookup (Persistence reading the update against the board) throws. Returns the
 * undo, which also says whether the fault fired.
 */
function failAfterApply(doc: Y.Doc): (() => void) & { fired(): boolean } {
	let armed = false;
	const arm = (_update: Uint8Array, origin: unknown) => {
		if ((origin as { source?: string } | null)?.source === 'connection') armed = true;
	};
	doc.on('update', arm);
	const lookup = failLookup(doc, () => armed);
	const undo = () => {
		doc.off('update', arm);
		lookup.restore();
	};
	return Object.assign(undo, { fired: lookup.fired });
}
