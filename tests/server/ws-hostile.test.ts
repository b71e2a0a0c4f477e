/**
 * Hostile websocket clients (docs/architecture.md "Hostile websocket clients"): sockets that
 * never authenticate, too many of them from one address, oversized frames, updates that break
 * the board document contract, and values nested 700,000 deep. A real server on port 0, a real
 * database, hand-built protocol frames (support/raw-collab.ts) next to real providers.
 */
import { randomUUID } from 'node:crypto';
import type { Document } from '@hocuspocus/server';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import {
	createColumn,
	createTask,
	moveTask,
	readBoard,
	setDescription,
	updateTask
} from '../../src/lib/domain/board/index.ts';
import { boardMap, tasksMap } from '../../src/lib/domain/board/schema.ts';
import { startTestApp, type TestApp } from './support/app.ts';
import { connect, waitFor, type TestProvider } from './support/collab.ts';
import { acknowledged } from './support/events.ts';
import { addMember, client, createBoard, signUp, type TestUser } from './support/http.ts';
import {
	awarenessFrame as awarenessState,
	rawClient,
	updateFrame,
	varUint,
	type RawClient
} from './support/raw-collab.ts';

const authTimeoutMs = 600;
const maxPending = 3;
const maxCards = 40;
const maxPayload = 2 * 1024 * 1024;

let t: TestApp;
let ana: TestUser;
let sql: postgres.Sql;
const open: { destroy(): void }[] = [];
beforeAll(async () => {
	t = await startTestApp({
		WS_AUTH_TIMEOUT_MS: String(authTimeoutMs),
		WS_MAX_PENDING_PER_ADDRESS: String(maxPending),
		WS_MAX_PAYLOAD: String(maxPayload),
		BOARD_MAX_CARDS: String(maxCards)
	});
	ana = await signUp(client(t.url), 'Ana');
	sql = postgres(t.db.url, { max: 1, onnotice: () => {} });
});
afterAll(async () => {
	for (const c of open) c.destroy();
	await sql?.end();
	await t?.stop();
});

function raw(boardId: string): RawClient {
	const c = rawClient(t.url, boardId);
	open.push({ destroy: () => c.socket.terminate() });
	return c;
}

function provider(boardId: string): TestProvider {
	const p = connect(t.url, boardId, { token: ana.token });
	open.push(p);
	return p;
}

async function logRows(boardId: string): Promise<number> {
	const [row] = await sql<{ n: number }[]>`
		select count(*)::int as n from board_updates where board_id = ${boardId}`;
	return row!.n;
}

function serverDoc(boardId: string): Document {
	const doc = t.app.runtime.collab.hocuspocus.documents.get(`board:${boardId}`);
	if (!doc) throw new Error('board not loaded');
	return doc;
}

const ctx = () => ({ actorId: ana.id, newId: randomUUID });

describe('unauthenticated sockets', () => {
	it(`closes a socket that does not authenticate within WS_AUTH_TIMEOUT_MS (4408)`, async () => {
		const board = await createBoard(client(t.url), ana);
		// Timed from before the socket exists: the server's deadline starts at its accept, which
		// comes before the client hears "open" (by tens of ms on a busy machine).
		const opened = performance.now();
		const idle = raw(board.id);
		await idle.opened;
		const authed = raw(board.id);
		expect(await authed.authenticate(ana.token)).toBe(true);
		const { code, reason } = await idle.closed;
		const elapsed = performance.now() - opened;
		expect({ code, reason }).toEqual({ code: 4408, reason: 'Authentication timeout' });
		expect(elapsed).toBeGreaterThanOrEqual(authTimeoutMs - 5);
		// Hocuspocus's own limit is 60 s or more.
		expect(elapsed).toBeLessThan(authTimeoutMs + 5000);
		// The authenticated socket, opened at the same time, outlives the deadline and still works.
		expect(authed.isClosed()).toBe(false);
		const doc = new Y.Doc();
		boardMap(doc).set('note', 'still here');
		authed.send(updateFrame(authed.document, Y.encodeStateAsUpdate(doc)));
		await waitFor(() => authed.acks.length > 0, 5000, 'acknowledgement');
		expect(authed.acks).toEqual([true]);
	});

	it(`closes unauthenticated sockets beyond ${maxPending} per address at once (4429)`, async () => {
		const board = await createBoard(client(t.url), ana);
		const waiting = Array.from({ length: maxPending }, () => raw(board.id));
		await Promise.all(waiting.map((c) => c.opened));
		const extra = raw(board.id);
		expect(await extra.closed).toEqual({
			code: 4429,
			reason: 'Too many unauthenticated connections'
		});
		expect(waiting.some((c) => c.isClosed())).toBe(false);
		// Authenticating one frees its place.
		expect(await waiting[0]!.authenticate(ana.token)).toBe(true);
		const next = raw(board.id);
		expect(await next.authenticate(ana.token)).toBe(true);
	});
});

describe('frame size', () => {
	it('closes the socket on a frame above WS_MAX_PAYLOAD (1009) before decoding it', async () => {
		const board = await createBoard(client(t.url), ana);
		const watcher = provider(board.id);
		expect(await watcher.ready).toBe(true);
		const big = raw(board.id);
		expect(await big.authenticate(ana.token)).toBe(true);
		const doc = new Y.Doc();
		boardMap(doc).set('padding', 'x'.repeat(maxPayload));
		big.send(updateFrame(big.document, Y.encodeStateAsUpdate(doc)));
		expect((await big.closed).code).toBe(1009);
		boardMap(watcher.doc).set('after', 'the big frame');
		await acknowledged(watcher);
		expect(serverDoc(board.id).getMap('board').has('padding')).toBe(false);
		// Only the watcher's own edit was logged.
		expect(await logRows(board.id)).toBe(1);
	});
});

/** Sends the change `edit` makes to a copy of the board, from a raw editor socket. */
async function sendChange(boardId: string, edit: (doc: Y.Doc) => void): Promise<RawClient> {
	const copy = new Y.Doc();
	Y.applyUpdate(copy, Y.encodeStateAsUpdate(serverDoc(boardId)));
	const before = Y.encodeStateVector(copy);
	edit(copy);
	const sender = raw(boardId);
	expect(await sender.authenticate(ana.token)).toBe(true);
	sender.send(updateFrame(sender.document, Y.encodeStateAsUpdate(copy, before)));
	return sender;
}

describe('updates that break the board document contract', () => {
	let boardId: string;
	let watcher: TestProvider;
	let taskId: string;
	beforeAll(async () => {
		boardId = (await createBoard(client(t.url), ana)).id;
		watcher = provider(boardId);
		expect(await watcher.ready).toBe(true);
		const columnId = readBoard(watcher.doc).columns[0]!.id;
		taskId = createTask(watcher.doc, { columnId, title: 'A card' }, ctx());
		await acknowledged(watcher);
	});

	const cases: [string, RegExp, (doc: Y.Doc) => void][] = [
		['schemaVersion set to 2', /schemaVersion/, (d) => boardMap(d).set('schemaVersion', 2)],
		['the board title removed', /required field "title"/, (d) => boardMap(d).delete('title')],
		['a card that is not a Y.Map', /card must be a Y.Map/, (d) => tasksMap(d).set('x', 'text')],
		[
			'a card title of the wrong type',
			/title/,
			(d) => (tasksMap(d).get(taskId) as Y.Map<unknown>).set('title', 42)
		],
		[
			'an unknown priority',
			/priority/,
			(d) => (tasksMap(d).get(taskId) as Y.Map<unknown>).set('priority', 'whenever')
		],
		[
			'a placement with a numeric column',
			/placement/,
			(d) =>
				(tasksMap(d).get(taskId) as Y.Map<unknown>).set('placement', { columnId: 42, rank: 'a0' })
		],
		[
			'a required card field removed',
			/required field "placement"/,
			(d) => (tasksMap(d).get(taskId) as Y.Map<unknown>).delete('placement')
		],
		['a card removed outright', /deletion is soft/, (d) => tasksMap(d).delete(taskId)],
		[
			'a card credited to someone else',
			/"createdBy" cannot change/,
			(d) => (tasksMap(d).get(taskId) as Y.Map<unknown>).set('createdBy', randomUUID())
		],
		[
			'a card dated anew',
			/"createdAt" cannot change/,
			(d) =>
				(tasksMap(d).get(taskId) as Y.Map<unknown>).set('createdAt', '2020-01-01T00:00:00.000Z')
		],
		[
			'a description above 20,000 characters',
			/description is longer/,
			(d) =>
				((tasksMap(d).get(taskId) as Y.Map<unknown>).get('description') as Y.Text).insert(
					0,
					'x'.repeat(20_001)
				)
		],
		[
			'an unknown top-level type',
			/type a board does not have/,
			(d) => d.getMap('evil').set('a', 1)
		],
		[
			// Rows, lists and exports hold UUID ids only: such a card would show on the board alone.
			'a new card under a key that is not a UUID',
			/new card's key must be a lower-case UUID/,
			(d) =>
				createTask(
					d,
					{ columnId: readBoard(d).columns[0]!.id, title: 'Named' },
					{ ...ctx(), newId: () => 'card-1' }
				)
		],
		[
			'a card placed in a column that no id could name',
			/column "nope", which is no column id/,
			(d) =>
				(tasksMap(d).get(taskId) as Y.Map<unknown>).set('placement', {
					columnId: 'nope',
					rank: 'a0'
				})
		],
		[
			'a new card missing its fields',
			/lacks/,
			(d) => {
				const card = new Y.Map<unknown>();
				tasksMap(d).set(randomUUID(), card);
				card.set('title', 'half a card');
			}
		]
	];

	for (const [name, reason, edit] of cases) {
		it(`refuses ${name}: not applied, not logged, not broadcast, sender closed with 4422`, async () => {
			const rowsBefore = await logRows(boardId);
			const stateBefore = Y.encodeStateVector(serverDoc(boardId));
			const sender = await sendChange(boardId, edit);
			const closed = await sender.closed;
			expect(closed.code).toBe(4422);
			expect(closed.reason).toMatch(/^Board update refused: /);
			expect(closed.reason).toMatch(reason);
			expect(sender.acks).toEqual([]);
			expect(Y.encodeStateVector(serverDoc(boardId))).toEqual(stateBefore);
			expect(await logRows(boardId)).toBe(rowsBefore);
			// A later edit reaches the other client; the refused one never did.
			updateTask(watcher.doc, { taskId, title: `after ${name}` }, ctx());
			await acknowledged(watcher);
			expect(boardMap(watcher.doc).get('schemaVersion')).toBe(1);
			expect(watcher.doc.share.has('evil')).toBe(false);
			expect(tasksMap(watcher.doc).has(taskId)).toBe(true);
		});
	}

	it('accepts a placement in a column the server has not heard of yet, when it names a UUID', async () => {
		// Its column's update may still be on its way (another tab's, or queued behind a resync).
		const columnId = randomUUID();
		const sender = await sendChange(boardId, (d) =>
			(tasksMap(d).get(taskId) as Y.Map<unknown>).set('placement', { columnId, rank: 'a0' })
		);
		await waitFor(() => sender.acks.length > 0, 5000, 'acknowledgement');
		expect(sender.acks).toEqual([true]);
		expect(sender.isClosed()).toBe(false);
		const placed = (tasksMap(serverDoc(boardId)).get(taskId) as Y.Map<unknown>).get('placement');
		expect(placed).toEqual({ columnId, rank: 'a0' });
		// Back where it was, for the cases after this one.
		const home = readBoard(serverDoc(boardId)).columns[0]!.id;
		moveTask(watcher.doc, { taskId, columnId: home }, ctx());
		await acknowledged(watcher);
		sender.socket.close();
	});

	it('keeps API writes working after an editor tried to set schemaVersion 2', async () => {
		const sender = await sendChange(boardId, (d) => boardMap(d).set('schemaVersion', 2));
		expect((await sender.closed).code).toBe(4422);
		const api = client(t.url);
		const columnId = readBoard(watcher.doc).columns[0]!.id;
		const created = await api.post(
			`/api/v1/boards/${boardId}/tasks`,
			{ columnId, title: 'Via the API' },
			{ token: ana.token }
		);
		expect(created.status).toBe(201);
	});

	it(`refuses cards beyond BOARD_MAX_CARDS (${maxCards})`, async () => {
		const board = (await createBoard(client(t.url), ana)).id;
		const p = provider(board);
		expect(await p.ready).toBe(true);
		const columnId = readBoard(p.doc).columns[0]!.id;
		for (let i = 0; i < maxCards; i++) createTask(p.doc, { columnId, title: `card ${i}` }, ctx());
		await acknowledged(p);
		expect(tasksMap(serverDoc(board)).size).toBe(maxCards);
		const sender = await sendChange(board, (d) => {
			createTask(d, { columnId, title: 'one too many' }, ctx());
		});
		const closed = await sender.closed;
		expect(closed.code).toBe(4422);
		expect(closed.reason).toMatch(new RegExp(`at most ${maxCards} cards`));
		expect(tasksMap(serverDoc(board)).size).toBe(maxCards);

		// The API holds the same limit: a create on the full board is a 409 problem, not a card.
		const refused = await client(t.url).post(
			`/api/v1/boards/${board}/tasks`,
			{ columnId, title: 'one too many, via the API' },
			{ token: ana.token }
		);
		expect(refused.status).toBe(409);
		expect(refused.headers.get('content-type')).toMatch(/^application\/problem\+json/);
		expect(refused.body.detail).toMatch(new RegExp(`most cards it may \\(${maxCards}\\)`));
		expect(tasksMap(serverDoc(board)).size).toBe(maxCards);
	});

	it('accepts what the domain operations write (create, edit, describe, move, a column and its card)', async () => {
		const columns = readBoard(watcher.doc).columns.map((c) => c.id);
		const id = createTask(
			watcher.doc,
			{ columnId: columns[0]!, title: 'Valid', labels: ['a', 'b'], dueDate: '2026-02-28' },
			ctx()
		);
		setDescription(watcher.doc, { taskId: id, text: 'Line one\nLine two' }, ctx());
		updateTask(watcher.doc, { taskId: id, priority: 'high', labels: ['b', 'c'] }, ctx());
		moveTask(watcher.doc, { taskId: id, columnId: columns[1]! }, ctx());
		// A column and a card placed in it, in one update: the placement names the new column.
		let added = '';
		watcher.doc.transact(() => {
			const column = createColumn(watcher.doc, { title: 'Fresh' }, ctx());
			added = createTask(watcher.doc, { columnId: column, title: 'In fresh' }, ctx());
		});
		await acknowledged(watcher);
		expect(watcher.provider.isSynced).toBe(true);
		const onServer = readBoard(serverDoc(boardId)).columns[1]!.tasks.find((c) => c.id === id);
		expect(onServer).toMatchObject({ title: 'Valid', priority: 'high', labels: ['b', 'c'] });
		const fresh = readBoard(serverDoc(boardId)).columns.find((c) => c.title === 'Fresh');
		expect(fresh?.tasks.map((c) => c.id)).toEqual([added]);
	});
});

describe('deeply nested values', () => {
	/** An update setting board key `deep` to an array nested `depth` levels, built byte by byte. */
	function deepUpdate(client: number, clock: number, depth: number): Uint8Array {
		const key = new TextEncoder().encode('deep');
		const root = new TextEncoder().encode('board');
		const head = [
			...varUint(1), // one client
			...varUint(1), // one struct
			...varUint(client),
			...varUint(clock),
			8 | 32, // ContentAny, with a map key
			...varUint(1), // parent named by key
			...varUint(root.length),
			...root,
			...varUint(key.length),
			...key,
			...varUint(1) // one value
		];
		const bytes = new Uint8Array(head.length + depth * 2 + 2);
		bytes.set(head);
		let at = head.length;
		for (let i = 0; i < depth; i++) {
			bytes[at++] = 117; // an array
			bytes[at++] = 1; // of one element
		}
		bytes[at++] = 126; // null
		bytes[at] = 0; // no deletions
		return bytes;
	}

	it('refuses an array nested 700,000 deep without overflowing the stack (4422)', async () => {
		const board = (await createBoard(client(t.url), ana)).id;
		const watcher = provider(board);
		expect(await watcher.ready).toBe(true);
		const sender = raw(board);
		expect(await sender.authenticate(ana.token)).toBe(true);
		sender.send(updateFrame(sender.document, deepUpdate(424242, 0, 700_000)));
		const closed = await sender.closed;
		expect(closed.code).toBe(4422);
		expect(closed.reason).toMatch(/nested deeper/);
		expect(serverDoc(board).getMap('board').has('deep')).toBe(false);
		expect(await logRows(board)).toBe(0);
		// The server still serves the board.
		boardMap(watcher.doc).set('title', 'Still alive');
		await acknowledged(watcher);
	});

	/** An awareness (presence) frame carrying `json` as one client's state. */
	function awarenessFrame(document: string, json: string): Uint8Array {
		const name = new TextEncoder().encode(document);
		const state = new TextEncoder().encode(json);
		const update = [...varUint(1), ...varUint(12345), ...varUint(1), ...varUint(state.length)];
		const inner = new Uint8Array([...update, ...state]);
		return new Uint8Array([
			...varUint(name.length),
			...name,
			1, // awareness
			...varUint(inner.length),
			...inner
		]);
	}

	for (const [depth, why] of [
		[700_000, /larger than/],
		[100, /nested deeper/]
	] as const) {
		it(`refuses a presence state nested ${depth} deep before parsing it (4422)`, async () => {
			const board = (await createBoard(client(t.url), ana)).id;
			const watcher = provider(board);
			expect(await watcher.ready).toBe(true);
			const sender = raw(board);
			expect(await sender.authenticate(ana.token)).toBe(true);
			const json = `{"cursor":${'['.repeat(depth)}${']'.repeat(depth)}}`;
			sender.send(awarenessFrame(sender.document, json));
			const closed = await sender.closed;
			expect(closed.code).toBe(4422);
			expect(closed.reason).toMatch(why);
			expect(serverDoc(board).awareness.getStates().has(12345)).toBe(false);
			// The board still works for everyone else.
			boardMap(watcher.doc).set('title', 'Still alive');
			await acknowledged(watcher);
		});
	}

	it("keeps another user's presence: a state under their client id is dropped", async () => {
		const board = (await createBoard(client(t.url), ana)).id;
		const carol = await signUp(client(t.url), 'Carol');
		await addMember(client(t.url), ana, board, carol, 'viewer');
		const presence = (clientId: number) =>
			t.app.runtime.collab.hocuspocus.documents
				.get(`board:${board}`)
				?.awareness.getStates()
				.get(clientId) as { cursor?: string; user?: { name?: string } } | undefined;
		const mine = raw(board);
		expect(await mine.authenticate(ana.token)).toBe(true);
		mine.send(awarenessState(mine.document, { clientId: 777, clock: 1, state: { cursor: 'a' } }));
		await waitFor(() => presence(777)?.cursor === 'a', 5000, "Ana's presence");

		const other = raw(board);
		expect(await other.authenticate(carol.token)).toBe(true);
		other.send(awarenessState(other.document, { clientId: 777, clock: 9, state: { cursor: 'x' } }));
		// Frames of one socket are handled in order: once Carol's own state is in, so was the other.
		other.send(awarenessState(other.document, { clientId: 888, clock: 1, state: { cursor: 'c' } }));
		await waitFor(() => presence(888)?.cursor === 'c', 5000, "Carol's own presence");
		expect(presence(777)).toMatchObject({ cursor: 'a', user: { name: 'Ana' } });
		expect(presence(888)).toMatchObject({ user: { name: 'Carol' } });

		// Ana's second socket (a reconnecting tab) may take her id over.
		const again = raw(board);
		expect(await again.authenticate(ana.token)).toBe(true);
		again.send(
			awarenessState(again.document, { clientId: 777, clock: 10, state: { cursor: 'b' } })
		);
		await waitFor(() => presence(777)?.cursor === 'b', 5000, "Ana's reconnected presence");

		// Ana's sockets drop (a laptop asleep): her state goes, and her id stays hers, so Carol
		// cannot take it meanwhile and keep it from her when she is back.
		mine.socket.terminate();
		again.socket.terminate();
		await waitFor(() => presence(777) === undefined, 5000, "Ana's presence to go");
		other.send(
			awarenessState(other.document, { clientId: 777, clock: 20, state: { cursor: 'x' } })
		);
		other.send(awarenessState(other.document, { clientId: 888, clock: 2, state: { cursor: 'd' } }));
		await waitFor(() => presence(888)?.cursor === 'd', 5000, "Carol's next presence");
		expect(presence(777)).toBeUndefined();
		const back = raw(board);
		expect(await back.authenticate(ana.token)).toBe(true);
		back.send(awarenessState(back.document, { clientId: 777, clock: 21, state: { cursor: 'e' } }));
		await waitFor(() => presence(777)?.cursor === 'e', 5000, 'Ana back with her id');
	});

	it('refuses shared types nested deeper than a board has', async () => {
		const board = (await createBoard(client(t.url), ana)).id;
		const watcher = provider(board);
		expect(await watcher.ready).toBe(true);
		const sender = await sendChange(board, (d) => {
			let map = new Y.Map<unknown>();
			tasksMap(d).set(randomUUID(), map);
			for (let i = 0; i < 1000; i++) {
				const inner = new Y.Map<unknown>();
				map.set('child', inner);
				map = inner;
			}
		});
		const closed = await sender.closed;
		expect(closed.code).toBe(4422);
		expect(await logRows(board)).toBe(0);
	});
});
