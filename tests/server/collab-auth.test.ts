/**
 * Who may open a board over the collaboration websocket, and what happens to live connections
 * when access changes: real server, real `@hocuspocus/provider` clients.
 */
import { randomUUID } from 'node:crypto';
import WebSocket from 'ws';
import * as Y from 'yjs';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from './support/app.ts';
import { connect, connectDocument, waitFor, type TestProvider } from './support/collab.ts';
import {
	addMember,
	client,
	createBoard,
	signUp,
	type Client,
	type TestUser
} from './support/http.ts';

let t: TestApp;
let api: Client;
let admin: TestUser;
const open: TestProvider[] = [];

beforeAll(async () => {
	t = await startTestApp();
	api = client(t.url);
	// The first account of an installation is its admin; the others are ordinary users.
	admin = await signUp(api, 'Admin');
	expect(admin.role).toBe('admin');
});
afterEach(() => {
	for (const p of open.splice(0)) p.destroy();
});
afterAll(async () => {
	await t?.stop();
});

/** Opens a provider that is destroyed after the test, and records what happens to it. */
function join(boardId: string, auth: { token?: string; headers?: Record<string, string> }) {
	return watch(connect(t.url, boardId, auth));
}

interface Watched extends TestProvider {
	/** Close events of the underlying socket, in order. */
	closes: { code: number; reason: string }[];
	/** Scopes of every successful authentication (`read-write` or `readonly`). */
	scopes: string[];
	/** For each SyncStatus reply: did the server apply our update? */
	acks: boolean[];
	/** `acks.length` at each successful authentication (so a session's acks can be told apart). */
	acksAtAuth: number[];
	map(): Y.Map<unknown>;
}

function watch(p: TestProvider): Watched {
	const watched: Watched = {
		...p,
		closes: [],
		scopes: [],
		acks: [],
		acksAtAuth: [],
		map: () => p.doc.getMap('board')
	};
	open.push(p);
	p.socket.on('disconnect', ({ event }: { event: { code: number; reason: string } }) => {
		watched.closes.push({ code: event.code, reason: event.reason });
	});
	p.provider.on('authenticated', ({ scope }: { scope: string }) => {
		watched.scopes.push(scope);
		watched.acksAtAuth.push(watched.acks.length);
	});
	p.provider.on('message', ({ event }: { event: MessageEvent }) => {
		const ack = syncStatusOf(new Uint8Array(event.data as ArrayBuffer));
		if (ack !== null) watched.acks.push(ack);
	});
	return watched;
}

function readVarUint(bytes: Uint8Array, at: { i: number }): number {
	let n = 0;
	let shift = 0;
	for (;;) {
		const byte = bytes[at.i++]!;
		n += (byte & 0x7f) * 2 ** shift;
		if (byte < 0x80) return n;
		shift += 7;
	}
}

/** Decodes a Hocuspocus SyncStatus message (type 8): whether the server applied the update. */
function syncStatusOf(bytes: Uint8Array): boolean | null {
	const at = { i: 0 };
	const nameLength = readVarUint(bytes, at);
	at.i += nameLength; // skip the document name
	if (readVarUint(bytes, at) !== 8) return null;
	return bytes[at.i] === 1;
}

/**
 * Waits for the reply to the client's half of the latest sync handshake (its SyncStep2), so
 * that later SyncStatus replies answer our own updates. Returns whether the server took it.
 */
async function handshaken(w: Watched): Promise<boolean> {
	await waitFor(() => w.acksAtAuth.length > 0, 3000, 'authentication');
	const from = w.acksAtAuth.at(-1)!;
	await waitFor(() => w.acks.length > from, 3000, 'the handshake to be acknowledged');
	return w.acks[from]!;
}

/** Waits `ms` and then asserts the condition never became true during that time. */
async function staysFalse(check: () => boolean, ms: number, what: string): Promise<void> {
	const deadline = Date.now() + ms;
	while (Date.now() < deadline) {
		if (check()) throw new Error(`Unexpectedly saw ${what}`);
		await new Promise((r) => setTimeout(r, 20));
	}
}

/** The document as the server holds it in memory (undefined when nobody has it open). */
function serverMap(boardId: string): Y.Map<unknown> | undefined {
	return t.app.runtime.collab.hocuspocus.documents.get(`board:${boardId}`)?.getMap('board');
}

/** A provider for an arbitrary document name, for names `connect` cannot produce. */
function connectNamed(name: string, token: string): Watched {
	return watch(connectDocument(t.url, name, { token }));
}

async function boardWith(
	...members: [TestUser, 'owner' | 'editor' | 'viewer'][]
): Promise<{ id: string; owner: TestUser }> {
	const owner = await signUp(api, 'Owner');
	const board = await createBoard(api, owner);
	for (const [user, role] of members) await addMember(api, owner, board.id, user, role);
	return { id: board.id, owner };
}

describe('collaboration authentication', () => {
	it("syncs a member's change to another member (editor) both ways", async () => {
		const editor = await signUp(api, 'Editor');
		const board = await boardWith([editor, 'editor']);
		const a = join(board.id, { token: board.owner.token });
		const b = join(board.id, { token: editor.token });
		expect(await a.ready).toBe(true);
		expect(await b.ready).toBe(true);
		expect(a.scopes).toEqual(['read-write']);
		expect(b.scopes).toEqual(['read-write']);

		a.map().set('title', 'from owner');
		await waitFor(() => b.map().get('title') === 'from owner', 3000, 'owner change at editor');
		b.map().set('note', 'from editor');
		await waitFor(() => a.map().get('note') === 'from editor', 3000, 'editor change at owner');
		await waitFor(() => b.acks.includes(true), 3000, 'the server to apply the editor change');
		expect(serverMap(board.id)?.get('note')).toBe('from editor');
	});

	it('rejects a non-member: authentication fails, nothing syncs either way', async () => {
		const outsider = await signUp(api, 'Outsider');
		expect(outsider.role).toBe('user');
		const board = await boardWith();
		const owner = join(board.id, { token: board.owner.token });
		expect(await owner.ready).toBe(true);
		owner.map().set('secret', 'owner only');

		const x = join(board.id, { token: outsider.token });
		expect(await x.ready).toBe(false);
		expect(x.failures).toEqual(['not-found']);
		expect(x.provider.isSynced).toBe(false);
		expect(x.provider.isAuthenticated).toBe(false);
		x.map().set('planted', 'by outsider');
		await staysFalse(
			() => x.map().has('secret') || owner.map().has('planted'),
			500,
			'data crossing to or from a non-member'
		);
		expect(x.map().toJSON()).toEqual({ planted: 'by outsider' });
		expect(serverMap(board.id)?.has('planted')).toBe(false);
		expect(x.scopes).toEqual([]);
	});

	it('rejects an unknown board id', async () => {
		const user = await signUp(api, 'Wanderer');
		const x = join(randomUUID(), { token: user.token });
		expect(await x.ready).toBe(false);
		expect(x.failures).toEqual(['not-found']);
	});

	it('rejects malformed document names', async () => {
		const user = await signUp(api, 'Malformed');
		const board = await boardWith([user, 'editor']);
		for (const name of [
			'board:nope',
			'other:x',
			`Board:${board.id}`,
			`board:${board.id.toUpperCase()}`,
			`board:${board.id}/x`,
			`board:${board.id}\n`,
			board.id,
			''
		]) {
			const x = connectNamed(name, user.token);
			expect(await x.ready, name).toBe(false);
			expect(x.failures, name).toEqual(['invalid-document-name']);
			x.destroy();
		}
	});

	it('rejects an anonymous connection (no token, no cookie)', async () => {
		const board = await boardWith();
		const x = join(board.id, {});
		expect(await x.ready).toBe(false);
		expect(x.failures).toEqual(['unauthenticated']);
		const forged = join(board.id, { token: 'a'.repeat(40) });
		expect(await forged.ready).toBe(false);
		expect(forged.failures).toEqual(['unauthenticated']);
		const junk = join(board.id, { token: 'not a session; drop table users' });
		expect(await junk.ready).toBe(false);
		expect(junk.failures).toEqual(['unauthenticated']);
	});

	it('lets an admin who is not a member read but not write', async () => {
		const board = await boardWith();
		const owner = join(board.id, { token: board.owner.token });
		expect(await owner.ready).toBe(true);
		owner.map().set('title', 'visible to admins');
		const a = join(board.id, { token: admin.token });
		expect(await a.ready).toBe(true);
		expect(a.scopes).toEqual(['readonly']);
		await waitFor(() => a.map().get('title') === 'visible to admins');
		await handshaken(a);
		const acksBefore = a.acks.length;
		a.map().set('title', 'changed by admin');
		await waitFor(() => a.acks.length > acksBefore, 3000, 'the server to answer the update');
		expect(a.acks.slice(acksBefore)).toEqual([false]);
		expect(serverMap(board.id)?.get('title')).toBe('visible to admins');
		await staysFalse(() => owner.map().get('title') !== 'visible to admins', 300, 'admin write');
	});

	it("shows a viewer live changes but never applies the viewer's own change", async () => {
		const viewer = await signUp(api, 'Viewer');
		const board = await boardWith([viewer, 'viewer']);
		const owner = join(board.id, { token: board.owner.token });
		const v = join(board.id, { token: viewer.token });
		expect(await owner.ready).toBe(true);
		expect(await v.ready).toBe(true);
		expect(v.scopes).toEqual(['readonly']);

		owner.map().set('title', 'live');
		await waitFor(() => v.map().get('title') === 'live', 3000, 'owner change at viewer');

		// The handshake itself is acknowledged; only the replies to our updates count.
		await handshaken(v);
		const acksBefore = v.acks.length;
		v.map().set('title', 'vandalised');
		v.map().set('viewerKey', 'should not exist');
		await waitFor(() => v.acks.length - acksBefore >= 2, 3000, 'the server to answer both updates');
		expect(v.acks.slice(acksBefore)).toEqual([false, false]);
		expect(serverMap(board.id)?.get('title')).toBe('live');
		expect(serverMap(board.id)?.has('viewerKey')).toBe(false);
		await staysFalse(
			() => owner.map().has('viewerKey') || owner.map().get('title') !== 'live',
			300,
			"the viewer's change at the owner"
		);

		// The viewer's update lingers only in its own document; a new client must not get it.
		const fresh = join(board.id, { token: board.owner.token });
		expect(await fresh.ready).toBe(true);
		expect(fresh.map().get('title')).toBe('live');
		expect(fresh.map().has('viewerKey')).toBe(false);
	});

	it('accepts the session cookie from the app origin', async () => {
		const member = await signUp(api, 'Cookie');
		const board = await boardWith([member, 'editor']);
		const owner = join(board.id, { token: board.owner.token });
		const c = join(board.id, {
			headers: { cookie: `tf_session=${member.token}`, origin: t.url }
		});
		expect(await owner.ready).toBe(true);
		expect(await c.ready).toBe(true);
		expect(c.scopes).toEqual(['read-write']);
		c.map().set('via', 'cookie');
		await waitFor(() => owner.map().get('via') === 'cookie', 3000, 'cookie client change');
	});

	it('rejects the session cookie from another site (cross-site websocket hijacking)', async () => {
		const member = await signUp(api, 'Victim');
		const board = await boardWith([member, 'editor']);
		const owner = join(board.id, { token: board.owner.token });
		expect(await owner.ready).toBe(true);
		owner.map().set('secret', 'members only');

		const evil = join(board.id, {
			headers: { cookie: `tf_session=${member.token}`, origin: 'https://evil.example' }
		});
		expect(await evil.ready).toBe(false);
		expect(evil.failures).toEqual(['origin-not-allowed']);
		const fetchSite = join(board.id, {
			headers: { cookie: `tf_session=${member.token}`, 'sec-fetch-site': 'cross-site' }
		});
		expect(await fetchSite.ready).toBe(false);
		expect(fetchSite.failures).toEqual(['origin-not-allowed']);
		await staysFalse(
			() => evil.map().has('secret') || fetchSite.map().has('secret'),
			300,
			'board content on a cross-site connection'
		);
	});
});

describe('access changes cut live connections', () => {
	it('disconnects a removed member within 2 s, and their later change reaches nobody', async () => {
		const member = await signUp(api, 'Removed');
		const board = await boardWith([member, 'editor']);
		const owner = join(board.id, { token: board.owner.token });
		const m = join(board.id, { token: member.token });
		expect(await owner.ready).toBe(true);
		expect(await m.ready).toBe(true);
		m.map().set('before', 'allowed');
		await waitFor(() => owner.map().get('before') === 'allowed');

		const started = Date.now();
		const res = await api.delete(`/api/v1/boards/${board.id}/members/${member.id}`, {
			token: board.owner.token
		});
		expect(res.status).toBe(204);
		await waitFor(() => m.closes.length > 0, 2000, 'the removed member to be disconnected');
		expect(Date.now() - started).toBeLessThan(2000);
		expect(m.closes[0]).toEqual({ code: 4403, reason: 'Access revoked' });
		expect(m.provider.isAuthenticated).toBe(false);
		// Only the removed member was cut off.
		expect(owner.closes).toEqual([]);

		m.map().set('after', 'should not arrive');
		// The provider reconnects by itself (after ~1 s) and is turned away.
		await waitFor(() => m.failures.length > 0, 4000, 'the reconnect to be refused');
		expect(m.failures).toEqual(['not-found']);
		await staysFalse(() => owner.map().has('after'), 500, "the removed member's change");
		expect(serverMap(board.id)?.has('after')).toBe(false);
		expect(serverMap(board.id)?.get('before')).toBe('allowed');
	});

	it('closes a socket when its token expires; a session on the board stays', async () => {
		const board = await boardWith();
		const expiresAt = new Date(Date.now() + 2500).toISOString();
		const created = await api.post(
			'/api/v1/tokens',
			{ name: 'short-lived', scope: 'read-write', expiresAt },
			{ token: board.owner.token }
		);
		expect(created.status).toBe(201);
		const owner = join(board.id, { token: board.owner.token });
		const script = join(board.id, { token: created.body.token as string });
		expect(await owner.ready).toBe(true);
		expect(await script.ready).toBe(true);
		script.map().set('before', 'allowed');
		await waitFor(() => owner.map().get('before') === 'allowed');

		await waitFor(() => script.closes.length > 0, 8000, 'the expired token to be disconnected');
		expect(Date.now()).toBeGreaterThanOrEqual(Date.parse(expiresAt));
		expect(script.closes[0]).toEqual({ code: 4401, reason: 'Credential expired' });
		// The reconnection is turned away; the owner's session socket was left alone.
		await waitFor(() => script.failures.length > 0, 4000, 'the reconnect to be refused');
		expect(script.failures).toEqual(['unauthenticated']);
		expect(owner.closes).toEqual([]);
	});

	it("closes a disabled user's connections on every board", async () => {
		const member = await signUp(api, 'Disabled');
		const first = await boardWith([member, 'editor']);
		const second = await boardWith([member, 'viewer']);
		const owner = join(first.id, { token: first.owner.token });
		const m1 = join(first.id, { token: member.token });
		const m2 = join(second.id, { token: member.token });
		expect(await owner.ready).toBe(true);
		expect(await m1.ready).toBe(true);
		expect(await m2.ready).toBe(true);

		const started = Date.now();
		const res = await api.patch(
			`/api/v1/admin/users/${member.id}`,
			{ disabled: true },
			{ token: admin.token }
		);
		expect(res.status).toBe(200);
		expect(res.body.disabledAt).not.toBeNull();
		await waitFor(
			() => m1.closes.length > 0 && m2.closes.length > 0,
			2000,
			"the disabled user's sockets to close"
		);
		expect(Date.now() - started).toBeLessThan(2000);
		expect(m1.closes[0]?.code).toBe(4403);
		expect(m2.closes[0]?.code).toBe(4403);
		expect(owner.closes).toEqual([]);

		m1.map().set('after', 'should not arrive');
		await waitFor(() => m1.failures.length > 0, 4000, 'the reconnect to be refused');
		expect(m1.failures).toEqual(['unauthenticated']);
		await staysFalse(() => owner.map().has('after'), 500, "the disabled user's change");
		expect(serverMap(first.id)?.has('after')).toBe(false);
		// Their sessions are gone for HTTP too.
		expect((await api.get('/api/v1/me', { token: member.token })).status).toBe(401);
	});

	it('reconnects a member demoted from editor to viewer read-only', async () => {
		const member = await signUp(api, 'Demoted');
		const board = await boardWith([member, 'editor']);
		const owner = join(board.id, { token: board.owner.token });
		const m = join(board.id, { token: member.token });
		expect(await owner.ready).toBe(true);
		expect(await m.ready).toBe(true);
		expect(m.scopes).toEqual(['read-write']);

		const res = await api.patch(
			`/api/v1/boards/${board.id}/members/${member.id}`,
			{ role: 'viewer' },
			{ token: board.owner.token }
		);
		expect(res.status).toBe(200);
		expect(res.body.role).toBe('viewer');
		await waitFor(() => m.closes.length > 0, 2000, 'the demoted member to be disconnected');
		expect(m.closes[0]?.code).toBe(4403);
		await waitFor(() => m.scopes.length === 2, 4000, 'the demoted member to reconnect');
		expect(m.scopes).toEqual(['read-write', 'readonly']);
		expect(m.failures).toEqual([]);

		// Still sees live changes...
		owner.map().set('title', 'after demotion');
		await waitFor(() => m.map().get('title') === 'after demotion', 3000, 'live change');
		// ...but its own are refused.
		await handshaken(m);
		const acksBefore = m.acks.length;
		m.map().set('title', 'demoted write');
		await waitFor(() => m.acks.length > acksBefore, 3000, 'the server to answer the update');
		expect(m.acks.slice(acksBefore)).toEqual([false]);
		expect(serverMap(board.id)?.get('title')).toBe('after demotion');
		await staysFalse(() => owner.map().get('title') !== 'after demotion', 300, 'demoted write');
	});
	it("cuts an admin's read-only access to other boards when they lose the admin role", async () => {
		const deputy = await signUp(api, 'Deputy');
		const promoted = await api.patch(
			`/api/v1/admin/users/${deputy.id}`,
			{ role: 'admin' },
			{ token: admin.token }
		);
		expect(promoted.status).toBe(200);
		const board = await boardWith();
		const owner = join(board.id, { token: board.owner.token });
		const d = join(board.id, { token: deputy.token });
		expect(await owner.ready).toBe(true);
		expect(await d.ready).toBe(true);
		expect(d.scopes).toEqual(['readonly']);

		const demoted = await api.patch(
			`/api/v1/admin/users/${deputy.id}`,
			{ role: 'user' },
			{ token: admin.token }
		);
		expect(demoted.status).toBe(200);
		expect(demoted.body.role).toBe('user');
		await waitFor(() => d.closes.length > 0, 2000, 'the former admin to be disconnected');
		await waitFor(() => d.failures.length > 0, 4000, 'the reconnect to be refused');
		expect(d.failures).toEqual(['not-found']);
		owner.map().set('secret', 'not for former admins');
		await waitFor(() => serverMap(board.id)?.get('secret') === 'not for former admins');
		await staysFalse(() => d.map().has('secret'), 500, 'live changes at a former admin');
	});

	it('makes live connections read-only when the board is archived', async () => {
		const editor = await signUp(api, 'Archived');
		const board = await boardWith([editor, 'editor']);
		const owner = join(board.id, { token: board.owner.token });
		const e = join(board.id, { token: editor.token });
		expect(await owner.ready).toBe(true);
		expect(await e.ready).toBe(true);
		e.map().set('title', 'before archive');
		await waitFor(() => owner.map().get('title') === 'before archive');

		const res = await api.delete(`/api/v1/boards/${board.id}`, { token: board.owner.token });
		expect(res.status).toBe(204);
		await waitFor(
			() => e.scopes.length === 2 && owner.scopes.length === 2,
			4000,
			'both clients to reconnect'
		);
		expect(e.scopes).toEqual(['read-write', 'readonly']);
		expect(owner.scopes).toEqual(['read-write', 'readonly']);

		// The reconnect's handshake carries nothing the server lacks: the write before archiving
		// was kept.
		expect(await handshaken(e)).toBe(true);
		expect(serverMap(board.id)?.get('title')).toBe('before archive');
		const acksBefore = e.acks.length;
		e.map().set('title', 'after archive');
		await waitFor(() => e.acks.length > acksBefore, 3000, 'the server to answer the update');
		expect(e.acks.slice(acksBefore)).toEqual([false]);
		expect(serverMap(board.id)?.get('title')).toBe('before archive');
		await staysFalse(() => owner.map().get('title') !== 'before archive', 300, 'archived write');
	});
});

describe('websocket limits', () => {
	let small: TestApp;
	beforeAll(async () => {
		small = await startTestApp({ WS_MAX_PAYLOAD: '4096' });
	});
	afterAll(async () => {
		await small?.stop();
	});

	it('closes the socket on a frame larger than WS_MAX_PAYLOAD', async () => {
		const ws = new WebSocket(small.url.replace(/^http/, 'ws') + '/collab');
		const closed = new Promise<number>((resolve) => ws.on('close', (code) => resolve(code)));
		ws.on('error', () => {});
		await new Promise<void>((resolve, reject) => {
			ws.once('open', () => resolve());
			ws.once('error', reject);
		});
		ws.send(Buffer.alloc(10 * 1024, 1));
		const code = await Promise.race([
			closed,
			new Promise<never>((_, reject) =>
				setTimeout(() => reject(new Error('socket stayed open')), 3000)
			)
		]);
		expect(code).toBe(1009);
	});

	it('still accepts a frame within the limit', async () => {
		const api2 = client(small.url);
		const owner = await signUp(api2, 'Small');
		const board = await createBoard(api2, owner);
		const p = watch(connect(small.url, board.id, { token: owner.token }));
		expect(await p.ready).toBe(true);
		p.map().set('text', 'x'.repeat(1000));
		await waitFor(() => p.acks.includes(true), 3000, 'the update to be applied');
		expect(p.closes).toEqual([]);
	});
});
