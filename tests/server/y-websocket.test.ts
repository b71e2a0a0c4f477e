/**
 * The y-websocket protocol endpoint (/yjs/board:<id>): real `y-websocket` `WebsocketProvider`
 * clients (Node, `ws`) on the same live documents as `@hocuspocus/provider` clients on /collab,
 * under the same authorization, write-ahead log, events and limits.
 */
import { randomUUID } from 'node:crypto';
import { Writable } from 'node:stream';
import postgres from 'postgres';
import WebSocket from 'ws';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createTask, readBoard } from '../../src/lib/domain/board/index.ts';
import { readConfig } from '../../src/lib/server/config.ts';
import { createLogger } from '../../src/lib/server/log.ts';
import { startApp, type App } from '../../server/app.ts';
import { startPair } from './support/app.ts';
import { connect, waitFor, type TestProvider } from './support/collab.ts';
import { createTestDatabase, type TestDatabase } from './support/database.ts';
import { loggedEvents, settle } from './support/events.ts';
import {
	addMember,
	client,
	createBoard,
	signUp,
	type Client,
	type TestUser
} from './support/http.ts';
import { startServerProcess, type ServerProcess } from './support/process.ts';
import { connectY, type YClient } from './support/y-websocket.ts';

/** Every log line the app writes, as parsed JSON, to prove what never appears in them. */
const logged: string[] = [];
const sink = new Writable({
	write(chunk: Buffer | string, _encoding, done) {
		logged.push(...String(chunk).split('\n').filter(Boolean));
		done();
	}
});

let db: TestDatabase;
let app: App;
let api: Client;
let ana: TestUser;
let board: { id: string };
const open: { destroy(): void }[] = [];

beforeAll(async () => {
	db = await createTestDatabase();
	const config = readConfig({
		DATABASE_URL: db.url,
		PORT: '0',
		HOST: '127.0.0.1',
		LOG_LEVEL: 'debug'
	});
	app = await startApp({ config, log: createLogger(config, { pretty: false, destination: sink }) });
	api = client(app.url);
	ana = await signUp(api, 'Ana');
	board = await createBoard(api, ana);
});
afterEach(() => {
	for (const c of open.splice(0)) c.destroy();
});
afterAll(async () => {
	await app?.close(5000);
	await db?.drop();
});

const room = (boardId: string) => `board:${boardId}`;

function y(boardId: string, auth: Parameters<typeof connectY>[2] = {}): YClient {
	const c = connectY(app.url, room(boardId), auth);
	open.push(c);
	return c;
}

async function hocuspocus(boardId: string, token: string): Promise<TestProvider> {
	const c = connect(app.url, boardId, { token });
	open.push(c);
	expect(await c.ready).toBe(true);
	return c;
}

const titles = (doc: Parameters<typeof readBoard>[0]) =>
	readBoard(doc).columns.flatMap((c) => c.tasks.map((t) => t.title));

async function taskRow(id: string): Promise<{ title: string } | undefined> {
	const sql = postgres(db.url, { max: 1, onnotice: () => {} });
	try {
		const [row] = await sql<{ title: string }[]>`select title from tasks where id = ${id}`;
		return row;
	} finally {
		await sql.end();
	}
}

describe('y-websocket endpoint', () => {
	it('co-edits one board with a Hocuspocus client, both ways, with presence across', async () => {
		const yc = y(board.id, { token: ana.token });
		const hp = await hocuspocus(board.id, ana.token);
		await yc.synced;
		const [first, second] = readBoard(yc.doc).columns.map((c) => c.id);

		const fromY = createTask(
			yc.doc,
			{ columnId: first!, title: 'from y-websocket' },
			{ actorId: ana.id }
		);
		await waitFor(() => titles(hp.doc).includes('from y-websocket'), 5000, 'y → hocuspocus');
		createTask(hp.doc, { columnId: second!, title: 'from hocuspocus' }, { actorId: ana.id });
		await waitFor(() => titles(yc.doc).includes('from hocuspocus'), 5000, 'hocuspocus → y');
		expect(readBoard(yc.doc)).toEqual(readBoard(hp.doc));

		// Presence both ways; the identity is the server's (Presence), whatever the client claims.
		yc.provider.awareness.setLocalStateField('user', { id: 'someone-else' });
		yc.provider.awareness.setLocalStateField('cursor', 'y-cursor');
		await waitFor(
			() =>
				[...hp.provider.awareness!.getStates().values()].some(
					(s) => s.cursor === 'y-cursor' && s.user?.id === ana.id
				),
			5000,
			'y-websocket presence at the hocuspocus client'
		);
		hp.provider.setAwarenessField('cursor', 'hp-cursor');
		await waitFor(
			() =>
				[...yc.provider.awareness.getStates().values()].some(
					(s) => s.cursor === 'hp-cursor' && s.user?.id === ana.id
				),
			5000,
			'hocuspocus presence at the y-websocket client'
		);

		// Through the write-ahead log into the rows, and into the event log as Ana's.
		await expect
			.poll(() => taskRow(fromY), { timeout: 5000 })
			.toEqual({ title: 'from y-websocket' });
		await settle(app);
		const created = (await loggedEvents(db.url, board.id)).find(
			(e) => e.type === 'task.created' && e.entityId === fromY
		);
		expect(created?.actorId).toBe(ana.id);
	});

	it("refuses a viewer's write: the socket closes 4403 and the change reaches no one", async () => {
		const viewer = await signUp(api, 'Vic');
		await addMember(api, ana, board.id, viewer, 'viewer');
		const watcher = await hocuspocus(board.id, ana.token);
		const vc = y(board.id, { token: viewer.token });
		await vc.synced;
		const column = readBoard(vc.doc).columns[0]!.id;

		createTask(vc.doc, { columnId: column, title: 'viewer write' }, { actorId: viewer.id });
		expect(await vc.refused).toEqual({ code: 4403, reason: 'read-only' });

		// A later edit reaches the watcher after anything the server sent before it: had the
		// viewer's change been broadcast, the watcher would hold it by then.
		const editor = y(board.id, { token: ana.token });
		await editor.synced;
		const marker = createTask(
			editor.doc,
			{ columnId: column, title: 'marker' },
			{ actorId: ana.id }
		);
		await waitFor(() => titles(watcher.doc).includes('marker'), 5000, 'the marker edit');
		expect(titles(watcher.doc)).not.toContain('viewer write');
		await expect.poll(() => taskRow(marker), { timeout: 5000 }).toBeDefined();
		const sql = postgres(db.url, { max: 1, onnotice: () => {} });
		const rows = await sql`select id from tasks where title = 'viewer write'`;
		const logRows = await sql`select id from board_updates where actor_id = ${viewer.id}`;
		await sql.end();
		expect(rows).toHaveLength(0);
		expect(logRows).toHaveLength(0);
		const fresh = y(board.id, { token: ana.token });
		await fresh.synced;
		expect(titles(fresh.doc)).not.toContain('viewer write');
	});

	it('treats a read-only API token as read-only', async () => {
		const res = await api.post(
			'/api/v1/tokens',
			{ name: 'reader', scope: 'read' },
			{ token: ana.token }
		);
		expect(res.status).toBe(201);
		const rc = y(board.id, { token: res.body.token });
		await rc.synced;
		createTask(
			rc.doc,
			{ columnId: readBoard(rc.doc).columns[0]!.id, title: 'token write' },
			{
				actorId: ana.id
			}
		);
		expect(await rc.refused).toEqual({ code: 4403, reason: 'read-only' });
	});

	it('refuses non-members, anonymous sockets and other rooms with codes that stop reconnecting', async () => {
		const outsider = await signUp(api, 'Olga');
		expect(await y(board.id, { token: outsider.token }).refused).toEqual({
			code: 4404,
			reason: 'not-found'
		});
		expect(await y(randomUUID(), { token: ana.token }).refused).toEqual({
			code: 4404,
			reason: 'not-found'
		});
		expect(await y(board.id).refused).toEqual({ code: 4401, reason: 'unauthenticated' });
		expect(await y(board.id, { token: 'not-a-token' }).refused).toEqual({
			code: 4401,
			reason: 'unauthenticated'
		});
		const elsewhere = connectY(app.url, 'my-room', { token: ana.token });
		open.push(elsewhere);
		expect(await elsewhere.refused).toEqual({ code: 4404, reason: 'invalid-document-name' });
	});

	it('cuts a removed member off, for good', async () => {
		const member = await signUp(api, 'Max');
		await addMember(api, ana, board.id, member, 'editor');
		const mc = y(board.id, { token: member.token });
		await mc.synced;
		const res = await api.delete(`/api/v1/boards/${board.id}/members/${member.id}`, {
			token: ana.token
		});
		expect(res.status).toBe(204);
		// Asked to come back (1013, which the client retries), then refused for good on return.
		expect(await mc.refused).toEqual({ code: 4404, reason: 'not-found' });
		expect(mc.closes[0]).toEqual({ code: 1013, reason: 'Access revoked' });
	});

	it('reconnects a member whose role changed, with the new rights', async () => {
		const member = await signUp(api, 'Vera');
		await addMember(api, ana, board.id, member, 'editor');
		const mc = y(board.id, { token: member.token });
		await mc.synced;
		const res = await api.patch(
			`/api/v1/boards/${board.id}/members/${member.id}`,
			{ role: 'viewer' },
			{ token: ana.token }
		);
		expect(res.status).toBe(200);
		// Back after the revocation close (the y-websocket client gives up on any 44xx close).
		await waitFor(
			() => mc.closes.length > 0 && mc.provider.wsconnected && mc.provider.synced,
			10_000,
			'the reconnect'
		);
		expect(mc.closes[0]).toEqual({ code: 1013, reason: 'Access revoked' });
		// As a viewer now: a write is refused.
		createTask(
			mc.doc,
			{ columnId: readBoard(mc.doc).columns[0]!.id, title: 'no' },
			{ actorId: member.id }
		);
		expect(await mc.refused).toEqual({ code: 4403, reason: 'read-only' });
	});

	it('accepts the session cookie from the app origin and refuses it from another site', async () => {
		const cookie = `tf_session=${ana.token}`;
		const watcher = await hocuspocus(board.id, ana.token);
		const same = y(board.id, { headers: { cookie, origin: app.url } });
		await same.synced;
		createTask(
			same.doc,
			{ columnId: readBoard(same.doc).columns[0]!.id, title: 'via cookie' },
			{
				actorId: ana.id
			}
		);
		await waitFor(() => titles(watcher.doc).includes('via cookie'), 5000, 'the cookie edit');

		const evil = y(board.id, { headers: { cookie, origin: 'https://evil.example' } });
		expect(await evil.refused).toEqual({ code: 4403, reason: 'origin-not-allowed' });
	});

	it('never writes the query token to the log', async () => {
		// The edits above used ?token= on every socket; the app logged at debug level meanwhile.
		expect(logged.length).toBeGreaterThan(0);
		for (const line of logged) expect(line).not.toContain(ana.token);
	});

	it('applies the /collab limits: rate budget, frame size and unknown message types', async () => {
		const url = `${app.url.replace(/^http/, 'ws')}/yjs/${room(board.id)}?token=${ana.token}`;
		const closed = (socket: WebSocket) =>
			new Promise<{ code: number; reason: string }>((resolve) =>
				socket.on('close', (code, reason) => resolve({ code, reason: reason.toString() }))
			);
		const opened = (socket: WebSocket) => new Promise((r) => socket.once('open', r));

		const flood = new WebSocket(url);
		await opened(flood);
		const floodClosed = closed(flood);
		// Query-awareness frames, well past the default burst of 500 messages.
		for (let i = 0; i < 800 && flood.readyState === WebSocket.OPEN; i++)
			flood.send(Uint8Array.of(3));
		// 1013: a y-websocket client retries it later (it gives up on any 44xx close).
		expect(await floodClosed).toEqual({ code: 1013, reason: 'Rate limit exceeded' });

		const big = new WebSocket(url);
		await opened(big);
		const bigClosed = closed(big);
		big.send(new Uint8Array(3 * 1024 * 1024)); // above WS_MAX_PAYLOAD (2 MiB)
		expect((await bigClosed).code).toBe(1009);

		const smuggler = new WebSocket(url);
		await opened(smuggler);
		const smugglerClosed = closed(smuggler);
		smuggler.send(Uint8Array.of(7, 0)); // Hocuspocus's close message: not y-websocket
		expect(await smugglerClosed).toEqual({ code: 4400, reason: 'unsupported-message' });
	});
});

describe('y-websocket scale-out', () => {
	it('converges with a Hocuspocus client on another instance, through Redis', async () => {
		const pair = await startPair();
		try {
			const http = client(pair.one.url);
			const owner = await signUp(http, 'Sam');
			const { id } = await createBoard(http, owner);
			const yc = connectY(pair.one.url, room(id), { token: owner.token });
			open.push(yc);
			const hp = connect(pair.two.url, id, { token: owner.token });
			open.push(hp);
			expect(await hp.ready).toBe(true);
			await yc.synced;
			const column = readBoard(yc.doc).columns[0]!.id;
			createTask(yc.doc, { columnId: column, title: 'on one' }, { actorId: owner.id });
			await waitFor(() => titles(hp.doc).includes('on one'), 10_000, 'instance one → two');
			createTask(hp.doc, { columnId: column, title: 'on two' }, { actorId: owner.id });
			await waitFor(() => titles(yc.doc).includes('on two'), 10_000, 'instance two → one');
		} finally {
			for (const c of open.splice(0)) c.destroy();
			await pair.stop();
		}
	}, 60_000);
});

describe('y-websocket durability', () => {
	let server: ServerProcess | null = null;
	let crashDb: TestDatabase;
	beforeAll(async () => {
		crashDb = await createTestDatabase();
	});
	afterAll(async () => {
		await server?.kill('SIGKILL');
		await crashDb?.drop();
	});

	it('keeps an edit that reached the database across a SIGKILL', async () => {
		const env = { DATABASE_URL: crashDb.url };
		server = await startServerProcess(env);
		const http = client(server.url);
		const owner = await signUp(http, 'Kim');
		const { id } = await createBoard(http, owner);
		const writer = connectY(server.url, room(id), { token: owner.token });
		await writer.synced;
		const taskId = createTask(
			writer.doc,
			{ columnId: readBoard(writer.doc).columns[0]!.id, title: 'survives' },
			{ actorId: owner.id }
		);
		// y-websocket has no acknowledgements: wait until the write-ahead log holds the edit.
		const sql = postgres(crashDb.url, { max: 1, onnotice: () => {} });
		await expect
			.poll(
				async () =>
					(await sql`select 1 from board_updates where board_id = ${id} and actor_id = ${owner.id}`)
						.length,
				{ timeout: 10_000 }
			)
			.toBeGreaterThan(0);
		await sql.end();

		await server.kill('SIGKILL');
		// Its client must not resend the edit to the restarted server: the log alone must hold it.
		writer.destroy();
		server = await startServerProcess({ ...env, PORT: new URL(server.url).port });

		const fresh = connectY(server.url, room(id), { token: owner.token });
		try {
			await fresh.synced;
			expect(readBoard(fresh.doc).columns.flatMap((c) => c.tasks.map((t) => t.id))).toContain(
				taskId
			);
		} finally {
			fresh.destroy();
		}
	}, 120_000);
});
