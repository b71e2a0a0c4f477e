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
import { BoardLocalStore } from './board-local-store.svelte.ts';

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
