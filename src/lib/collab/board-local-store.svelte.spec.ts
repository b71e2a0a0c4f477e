import { HocuspocusProvider } from '@hocuspocus/provider';
import { Server } from '@hocuspocus/server';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import * as Y from 'yjs';
import {
	createColumn,
	createTask,
	initBoard,
	readBoard,
	renameColumn,
	updateTask
} from '../domain/board/index.ts';
import { BoardLocalStore, type OpenLocalCopy } from './board-local-store.svelte.ts';

const ctx = { actorId: 'u1' };

const until = (condition: () => boolean) =>
	vi.waitFor(() => expect(condition()).toBe(true), { timeout: 5000, interval: 5 });

/** A board the server already has, and this client's copy of it. */
function boardPair() {
	const stored = new Y.Doc();
	initBoard(stored, { title: 'Plan' }, ctx);
	const doc = new Y.Doc();
	Y.applyUpdate(doc, Y.encodeStateAsUpdate(stored));
	const columnId = readBoard(doc).columns[0]!.id;
	return { stored, doc, columnId };
}

/** Node has no IndexedDB: the store counts in memory and says nothing outlives the page. */
describe('BoardLocalStore without IndexedDB', () => {
	let store: BoardLocalStore | null = null;

	beforeEach(() => {
		vi.stubGlobal('window', new EventTarget());
	});

	afterEach(() => {
		store?.destroy();
		store = null;
		vi.unstubAllGlobals();
	});

	function open(doc: Y.Doc) {
		store = new BoardLocalStore({ doc, userId: 'u1', boardId: 'b1', persist: true });
		return store;
	}

	it('counts cards and columns changed here, not updates, and ignores remote ones', async () => {
		const { doc, columnId } = boardPair();
		const local = open(doc);
		expect(await local.load()).toBe(false);
		expect(local.kept).toBe(false);

		const taskId = createTask(doc, { columnId, title: 'First' }, ctx);
		for (const title of ['Fi', 'Fir', 'Firs', 'First!']) updateTask(doc, { taskId, title }, ctx);
		expect(local.pendingCards).toBe(1);
		renameColumn(doc, { columnId, title: 'Later' }, ctx);
		createColumn(doc, { title: 'Review' }, ctx);
		expect(local.pendingColumns).toBe(2);
		expect(local.pending).toBe(3);

		// Another client's card arrives as an update: not a change made here.
		const other = new Y.Doc();
		Y.applyUpdate(other, Y.encodeStateAsUpdate(doc));
		other.on('update', (update: Uint8Array) => Y.applyUpdate(doc, update, 'remote'));
		createTask(other, { columnId, title: 'Theirs' }, { actorId: 'u2' });
		expect(readBoard(doc).columns[0]!.taskCount).toBe(2);
		expect(local.pending).toBe(3);
	});

	it('asks before the page unloads while changes live only in memory', () => {
		const { doc, columnId } = boardPair();
		open(doc);
		const leave = () => {
			const event = new Event('beforeunload', { cancelable: true });
			window.dispatchEvent(event);
			return event.defaultPrevented;
		};
		expect(leave()).toBe(false);
		createTask(doc, { columnId, title: 'Unsaved' }, ctx);
		expect(leave()).toBe(true);
	});

	it('stops asking once destroyed', () => {
		const { doc, columnId } = boardPair();
		open(doc).destroy();
		createTask(doc, { columnId, title: 'Unsaved' }, ctx);
		const event = new Event('beforeunload', { cancelable: true });
		window.dispatchEvent(event);
		expect(event.defaultPrevented).toBe(false);
	});
});

describe('BoardLocalStore against a real collaboration server', () => {
	let server: Server;
	let provider: HocuspocusProvider | null = null;
	let store: BoardLocalStore | null = null;

	beforeEach(async () => {
		vi.stubGlobal('window', new EventTarget());
		server = new Server({ port: 0, address: '127.0.0.1', quiet: true, stopOnSignals: false });
		await server.listen();
	});

	afterEach(async () => {
		store?.destroy();
		provider?.destroy();
		vi.unstubAllGlobals();
		await server.destroy();
	});

	it('keeps the count while unacknowledged and clears it once the server has everything', async () => {
		const { doc, columnId } = boardPair();
		store = new BoardLocalStore({ doc, userId: 'u1', boardId: 'b1', persist: false });
		// Made before any connection, as offline.
		createTask(doc, { columnId, title: 'Offline' }, ctx);
		expect(store.pendingCards).toBe(1);

		provider = new HocuspocusProvider({
			url: server.webSocketURL,
			name: 'board:b1',
			document: doc
		});
		store.attach(provider);
		await until(() => store!.pending === 0);
		expect(provider.isSynced).toBe(true);
		const onServer = await server.hocuspocus.openDirectConnection('board:b1');
		await onServer.transact((stored) => {
			expect(readBoard(stored).columns[0]!.tasks.map((t) => t.title)).toEqual(['Offline']);
		});
		await onServer.disconnect();

		// Online, an edit counts until its acknowledgement arrives.
		const columnId2 = createColumn(doc, { title: 'Review' }, ctx);
		expect(store.pendingColumns).toBe(1);
		await until(() => store!.pending === 0);
		expect(readBoard(doc).columns.map((c) => c.id)).toContain(columnId2);
	});
});

/**
 * Local databases in memory, kept as y-indexeddb keeps them: each holds the document's updates
 * and a custom store. Opening applies the stored updates to the document under the copy's own
 * origin (not a local transaction), then stores the document's whole state and every later
 * update. `hold` delays an opening until released, as a slow database does.
 */
class MemoryDatabases {
	readonly stores = new Map<string, { updates: Uint8Array[]; custom: Map<string, string> }>();
	#holds: Promise<void>[] = [];

	hold(): () => void {
		let release = () => {};
		this.#holds.push(new Promise<void>((resolve) => (release = resolve)));
		return release;
	}

	record(name: string): unknown {
		const text = this.stores.get(name)?.custom.get('pending');
		return text === undefined ? undefined : JSON.parse(text);
	}

	readonly open: OpenLocalCopy = (name, doc) => {
		let stored = this.stores.get(name);
		if (!stored) this.stores.set(name, (stored = { updates: [], custom: new Map() }));
		const { updates, custom } = stored;
		const origin = { copy: name };
		const onUpdate = (update: Uint8Array, from: unknown) => {
			if (from !== origin) updates.push(update);
		};
		const hold = this.#holds.shift();
		const opened = (async () => {
			await hold;
			await Promise.resolve();
			doc.transact(() => {
				for (const update of updates) Y.applyUpdate(doc, update, origin);
			}, origin);
			updates.push(Y.encodeStateAsUpdate(doc));
			doc.on('update', onUpdate);
		})();
		return {
			opened,
			get: async (key) => custom.get(key),
			set: async (key, value) => void custom.set(key, value),
			del: async (key) => void custom.delete(key),
			destroy: async () => doc.off('update', onUpdate)
		};
	};
}

const copyName = 'taskflow-board:u1:b1';

describe('BoardLocalStore with a local copy', () => {
	let server: Server;
	let databases: MemoryDatabases;
	const stores: BoardLocalStore[] = [];
	const providers: HocuspocusProvider[] = [];

	beforeEach(async () => {
		vi.stubGlobal('window', new EventTarget());
		databases = new MemoryDatabases();
		server = new Server({ port: 0, address: '127.0.0.1', quiet: true, stopOnSignals: false });
		await server.listen();
	});

	afterEach(async () => {
		for (const store of stores.splice(0)) store.destroy();
		for (const provider of providers.splice(0)) provider.destroy();
		await direct?.disconnect();
		direct = null;
		vi.unstubAllGlobals();
		await server.destroy();
	});

	/** A page of the board: its document and its store over the shared local databases. */
	function page(seed: Y.Doc) {
		const doc = new Y.Doc();
		Y.applyUpdate(doc, Y.encodeStateAsUpdate(seed));
		const store = new BoardLocalStore({
			doc,
			userId: 'u1',
			boardId: 'b1',
			persist: true,
			open: databases.open
		});
		stores.push(store);
		return { doc, store };
	}

	function connect(doc: Y.Doc, store: BoardLocalStore) {
		const provider = new HocuspocusProvider({
			url: server.webSocketURL,
			name: 'board:b1',
			document: doc
		});
		providers.push(provider);
		store.attach(provider);
		return provider;
	}

	/**
	 * What the server holds of the board. The connection stays open to the end of the test: the
	 * server keeps no document with nobody connected.
	 */
	let direct: Awaited<ReturnType<Server['hocuspocus']['openDirectConnection']>> | null = null;
	async function onServer(change?: (doc: Y.Doc) => void) {
		direct ??= await server.hocuspocus.openDirectConnection('board:b1');
		let titles: string[] = [];
		await direct.transact((stored) => {
			change?.(stored);
			titles = readBoard(stored).columns.flatMap((c) => c.tasks.map((t) => t.title));
		});
		return titles;
	}

	it('clears a kept record whose edits the server already has when the copy opens after the sync', async () => {
		const { stored, columnId } = boardPair();
		// An earlier visit: an edit kept locally with its record, that visit closed before the
		// acknowledgement removed the record; the server got the edit all the same.
		const before = page(stored);
		expect(await before.store.load()).toBe(true);
		createTask(before.doc, { columnId, title: 'Sent' }, ctx);
		expect(before.store.pendingCards).toBe(1);
		await until(() => databases.record(copyName) !== undefined);
		before.store.destroy();
		const sent = Y.encodeStateAsUpdate(before.doc);
		expect(await onServer((doc) => Y.applyUpdate(doc, sent))).toEqual(['Sent']);

		// This visit: the fetched board, the live sync, then (once shown) the copy.
		const now = page(stored);
		const provider = connect(now.doc, now.store);
		await until(() => provider.isSynced && !provider.hasUnsyncedChanges);
		expect(readBoard(now.doc).columns[0]!.tasks.map((t) => t.title)).toEqual(['Sent']);
		expect(await now.store.load()).toBe(true);
		expect(now.store.pending).toBe(0);
		await until(() => databases.record(copyName) === undefined);
	});

	it('keeps the count of a copy holding edits the server lacks until they are acknowledged', async () => {
		const { stored, columnId } = boardPair();
		const before = page(stored);
		await before.store.load();
		createTask(before.doc, { columnId, title: 'Offline only' }, ctx);
		await until(() => databases.record(copyName) !== undefined);
		before.store.destroy();

		const now = page(stored);
		const provider = connect(now.doc, now.store);
		await until(() => provider.isSynced);
		// The copy's edit goes out as an update: counted until the server acknowledges it (the
		// acknowledgement is a socket message, which cannot come before the load's microtasks).
		expect(await now.store.load()).toBe(true);
		expect(provider.hasUnsyncedChanges).toBe(true);
		expect(now.store.pendingCards).toBe(1);
		await until(() => now.store.pending === 0);
		expect(await onServer()).toEqual(['Offline only']);
		await until(() => databases.record(copyName) === undefined);
	});

	it('discards edits the server will not take: uncounted, the copy deleted, a reload finds none', async () => {
		const { stored, columnId } = boardPair();
		const first = new Y.Doc();
		Y.applyUpdate(first, Y.encodeStateAsUpdate(stored));
		const cleared: string[] = [];
		const store = new BoardLocalStore({
			doc: first,
			userId: 'u1',
			boardId: 'b1',
			persist: true,
			open: databases.open,
			clearCopy: async () => {
				cleared.push(copyName);
				databases.stores.delete(copyName);
			}
		});
		stores.push(store);
		await store.load();
		createTask(first, { columnId, title: 'Refused' }, ctx);
		await until(() => databases.record(copyName) !== undefined);
		expect(store.pending).toBe(1);
		await store.discard();
		expect(store.pending).toBe(0);
		expect(cleared).toEqual([copyName]);
		// Destroyed: a later edit in this page's memory is neither counted nor written.
		createTask(first, { columnId, title: 'After' }, ctx);
		expect(store.pending).toBe(0);
		// The reload opens an empty copy: nothing of the refused edit, nothing counted.
		const again = page(new Y.Doc());
		expect(await again.store.load()).toBe(false);
		expect(again.store.pending).toBe(0);
	});

	it('writes edits made before the copy opened into its record, which a reload reads', async () => {
		const { stored, columnId } = boardPair();
		const first = page(stored);
		// Online the copy opens once the board shows; an edit can come first.
		createTask(first.doc, { columnId, title: 'Early' }, ctx);
		renameColumn(first.doc, { columnId, title: 'Soon' }, ctx);
		expect(first.store.pending).toBe(2);
		expect(await first.store.load()).toBe(true);
		await until(() => databases.record(copyName) !== undefined);
		expect(databases.record(copyName)).toEqual({
			cards: [readBoard(first.doc).columns[0]!.tasks[0]!.id],
			columns: [columnId]
		});
		first.store.destroy();

		// Reloaded without a network: the copy is the board, its record the count.
		const again = page(new Y.Doc());
		expect(await again.store.load()).toBe(true);
		expect(readBoard(again.doc).columns[0]!.tasks.map((t) => t.title)).toEqual(['Early']);
		expect(again.store.pendingCards).toBe(1);
		expect(again.store.pendingColumns).toBe(1);
	});

	it('merges an edit made while the copy opens with the record it holds', async () => {
		const { stored, columnId } = boardPair();
		const first = page(stored);
		await first.store.load();
		createTask(first.doc, { columnId, title: 'Kept before' }, ctx);
		await until(() => databases.record(copyName) !== undefined);
		first.store.destroy();

		const second = page(stored);
		const release = databases.hold();
		const loading = second.store.load();
		createColumn(second.doc, { title: 'While opening' }, ctx);
		release();
		expect(await loading).toBe(true);
		expect(second.store.pendingCards).toBe(1);
		expect(second.store.pendingColumns).toBe(1);
		await until(() => {
			const record = databases.record(copyName) as { cards: string[]; columns: string[] };
			return record.cards.length === 1 && record.columns.length === 1;
		});
		second.store.destroy();

		const third = page(new Y.Doc());
		await third.store.load();
		expect(third.store.pending).toBe(2);
	});
});
