import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import * as Y from 'yjs';
import { createTask, initBoard, readBoard, type BoardView } from '../domain/board/index.ts';
import { boardDocumentPath } from '../collab-protocol/document-transfer.ts';
import { BoardState } from './board-state.svelte.ts';

const me = { id: 'u1', name: 'Ana', color: '#123456', readOnly: false };
const boardId = 'b1';

/** The stored board: three columns, five cards in the first. */
function storedBoard(): Y.Doc {
	const doc = new Y.Doc();
	initBoard(doc, { title: 'Stored' }, { actorId: me.id });
	const columnId = readBoard(doc).columns[0]!.id;
	for (let i = 1; i <= 5; i++)
		createTask(doc, { columnId, title: `Card ${i}` }, { actorId: me.id });
	return doc;
}

/** What the page data would carry: the first two cards of each column, the true counts. */
function previewOf(doc: Y.Doc): BoardView {
	const view = readBoard(doc);
	return {
		...view,
		title: 'Preview',
		columns: view.columns.map((c) => ({ ...c, tasks: c.tasks.slice(0, 2) })),
		deletedTasks: []
	};
}

/**
 * A real HTTP server standing in for the app: it answers the document request when the test
 * says so, and notes websocket upgrades (which it refuses), so the order of the two shows.
 */
function fakeApp() {
	const log: string[] = [];
	let answer: ((res: ServerResponse) => void) | null = null;
	const pending: ServerResponse[] = [];
	const server = createServer((req: IncomingMessage, res: ServerResponse) => {
		log.push(`GET ${req.url}`);
		if (answer) answer(res);
		else pending.push(res);
	});
	const options = { hangUpgrades: false };
	const hung: { destroy(): void }[] = [];
	server.on('upgrade', (req, socket) => {
		log.push(`upgrade ${req.url}`);
		// Hanging: neither answered nor closed, as behind a proxy that swallows upgrades.
		if (options.hangUpgrades) hung.push(socket);
		else socket.destroy();
	});
	return {
		log,
		server,
		options,
		hung,
		/** Answers waiting and later document requests this way. */
		respond(how: (res: ServerResponse) => void) {
			answer = how;
			for (const res of pending.splice(0)) how(res);
		}
	};
}

const until = (condition: () => boolean) =>
	vi.waitFor(() => expect(condition()).toBe(true), { timeout: 5000, interval: 5 });

describe('BoardState before its document is in', () => {
	let app: ReturnType<typeof fakeApp>;
	let board: BoardState | null = null;
	const stored = storedBoard();

	beforeEach(async () => {
		app = fakeApp();
		await new Promise<void>((resolve) => app.server.listen(0, '127.0.0.1', resolve));
		const { port } = app.server.address() as AddressInfo;
		vi.stubGlobal('location', new URL(`http://127.0.0.1:${port}/boards/${boardId}`));
		// The connection listens for the browser's online/offline events.
		vi.stubGlobal('window', new EventTarget());
	});

	afterEach(async () => {
		board?.destroy();
		board = null;
		vi.unstubAllGlobals();
		app.server.closeAllConnections();
		for (const socket of app.hung) socket.destroy();
		await new Promise((resolve) => app.server.close(resolve));
	});

	function open(connect: boolean, preview: BoardView | null = previewOf(stored), canEdit = true) {
		board = new BoardState({
			boardId,
			preview,
			me,
			memberIds: () => new Set([me.id]),
			canEdit: () => canEdit,
			connect
		});
		return board;
	}

	/** A board whose stored document has been fetched and applied. */
	async function loaded(canEdit = true): Promise<BoardState> {
		app.respond((res) => {
			res.writeHead(200, { 'content-type': 'application/octet-stream' });
			res.end(Y.encodeStateAsUpdate(stored));
		});
		const state = open(true, previewOf(stored), canEdit);
		await until(() => !state.loading);
		return state;
	}

	it('renders the preview on the server, refuses edits as loading, and fetches nothing', () => {
		const state = open(false);
		expect(state.loading).toBe(true);
		expect(state.view).toEqual(previewOf(stored));
		const columnId = state.view.columns[0]!.id;
		const refused = state.createTask({ columnId, title: 'Too early' });
		expect(refused).toMatchObject({ ok: false, error: { code: 'loading' } });
		expect(state.readOnly).toBe(false);
		expect(app.log).toEqual([]);
	});

	it('applies the fetched document, then opens the socket, then edits', async () => {
		const state = open(true);
		await until(() => app.log.length === 1);
		expect(app.log).toEqual([`GET ${boardDocumentPath(boardId)}`]);
		// The document has not come back: still the preview, and no socket yet.
		expect(state.loading).toBe(true);
		expect(state.view.title).toBe('Preview');

		app.respond((res) => {
			res.writeHead(200, { 'content-type': 'application/octet-stream' });
			res.end(Y.encodeStateAsUpdate(stored));
		});
		// The socket comes after the seed, so its first sync carries the seeded state vector.
		await until(() => app.log.length === 2);
		expect(app.log[1]).toMatch(/^upgrade \/collab/);
		// The board shows once the socket has opened, or (as here, refused) failed: the fetched
		// document is editable offline.
		await until(() => !state.loading);
		expect(state.view).toEqual(readBoard(stored));
		expect(state.view.columns[0]!.taskCount).toBe(5);

		const columnId = state.view.columns[1]!.id;
		expect(state.createTask({ columnId, title: 'Now it works' }).ok).toBe(true);
		expect(state.view.columns[1]!.tasks.map((t) => t.title)).toEqual(['Now it works']);
	});

	it('connects anyway when the fetch fails, and keeps the preview until a sync', async () => {
		app.respond((res) => {
			res.writeHead(503, { 'content-type': 'text/plain' });
			res.end('down');
		});
		const state = open(true);
		await until(() => app.log.some((line) => line.startsWith('upgrade /collab')));
		expect(state.loading).toBe(true);
		expect(state.view.title).toBe('Preview');
	});

	it('shows the document as it is without a preview', async () => {
		const state = open(false, null);
		expect(state.view.columns).toEqual([]);
		expect(state.loading).toBe(true);
	});

	it('patches the view on local edits, keeping untouched cards and columns', async () => {
		const state = await loaded();
		const first = state.view;
		expect(first).toEqual(readBoard(state.doc));
		expect(state.view).toBe(first);
		const columnId = first.columns[0]!.id;
		expect(state.createTask({ columnId, title: 'New' }).ok).toBe(true);
		const next = state.view;
		expect(next).toEqual(readBoard(state.doc));
		expect(next.columns[0]!.tasks.at(-1)!.title).toBe('New');
		expect(next.columns[0]!.tasks[0]).toBe(first.columns[0]!.tasks[0]);
		expect(next.columns[1]).toBe(first.columns[1]);
	});

	it('makes operations run together one change, which one undo reverts', async () => {
		const state = await loaded();
		const column = state.view.columns[0]!;
		state.together(() => {
			expect(state.renameColumn(column.id, 'Renamed').ok).toBe(true);
			expect(state.setWipLimit(column.id, 3).ok).toBe(true);
		});
		expect(state.view.columns[0]).toMatchObject({ title: 'Renamed', wipLimit: 3 });
		state.undo.undo();
		expect(state.view.columns[0]).toMatchObject({ title: column.title, wipLimit: column.wipLimit });
	});

	it('follows changes that arrive from other clients', async () => {
		const state = await loaded();
		const first = state.view;
		const other = new Y.Doc();
		Y.applyUpdate(other, Y.encodeStateAsUpdate(state.doc));
		other.on('update', (change: Uint8Array) => Y.applyUpdate(state.doc, change));
		const columnId = first.columns[1]!.id;
		createTask(other, { columnId, title: 'Remote' }, { actorId: 'u2' });
		expect(state.view).toEqual(readBoard(other));
		expect(state.view.columns[0]).toBe(first.columns[0]);
	});

	it('counts the cards and columns changed here until the server acknowledges them', async () => {
		// The socket is refused: nothing is acknowledged, as offline.
		const state = await loaded();
		const columnId = state.view.columns[0]!.id;
		const created = state.createTask({ columnId, title: 'Offline card' });
		expect(created.ok).toBe(true);
		if (!created.ok) return;
		state.updateTask({ taskId: created.value, title: 'Offline card, renamed' });
		state.renameColumn(columnId, 'Backlog');
		expect([state.local.pendingCards, state.local.pendingColumns]).toEqual([1, 1]);
	});

	it('refuses edits when read-only and leaves the view as it was', async () => {
		const state = await loaded(false);
		const first = state.view;
		const outcome = state.createTask({ columnId: first.columns[0]!.id, title: 'No' });
		expect(outcome).toMatchObject({ ok: false, error: { code: 'read_only' } });
		expect(state.view).toBe(first);
	});

	it('shows the fetched board even when the socket hangs while connecting', async () => {
		app.options.hangUpgrades = true;
		const state = await loaded();
		expect(app.log.some((line) => line.startsWith('upgrade /collab'))).toBe(true);
		expect(state.link.status).not.toBe('connected');
		expect(state.view).toEqual(readBoard(stored));
	});
});
