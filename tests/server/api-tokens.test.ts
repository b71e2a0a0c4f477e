/** Personal access tokens: creation, scopes, revocation and expiry, over HTTP and websocket. */
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from './support/app.ts';
import { connect, waitFor } from './support/collab.ts';
import {
	addMember,
	client,
	createBoard,
	signUp,
	type Client,
	type TestUser
} from './support/http.ts';
import { expectProblem } from './support/problem.ts';

let t: TestApp;
let api: Client;
let admin: TestUser;
let ana: TestUser;
beforeAll(async () => {
	t = await startTestApp();
	api = client(t.url);
	admin = await signUp(api, 'Admin');
	ana = await signUp(api, 'Ana');
});
afterAll(async () => {
	await t?.stop();
});

async function newToken(user: TestUser, scope: 'read' | 'read-write', name = 'script') {
	const res = await api.post('/api/v1/tokens', { name, scope }, { token: user.token });
	expect(res.status).toBe(201);
	return res.body as { id: string; token: string; scope: string };
}

describe('API tokens', () => {
	it('creates a token shown once, listed without its secret', async () => {
		const created = await newToken(ana, 'read-write', 'ci');
		expect(created.token).toMatch(/^tf_[\w-]{40,}$/);
		const list = await api.get('/api/v1/tokens', { token: ana.token });
		expect(list.status).toBe(200);
		const listed = list.body.items.find((i: { id: string }) => i.id === created.id);
		expect(listed).toMatchObject({ name: 'ci', scope: 'read-write', revokedAt: null });
		expect(JSON.stringify(list.body)).not.toContain(created.token);
		const sql = postgres(t.db.url, { max: 1 });
		const [row] = await sql`select token_hash from api_tokens where id = ${created.id}`;
		await sql.end();
		expect(row!.token_hash).not.toContain(created.token);
	});

	it('acts as its user, and a read token cannot write', async () => {
		const read = await newToken(ana, 'read');
		const me = await api.get('/api/v1/me', { token: read.token });
		expect(me.body.id).toBe(ana.id);
		expect((await api.get('/api/v1/boards', { token: read.token })).status).toBe(200);
		expectProblem(await api.post('/api/v1/boards', { title: 'No' }, { token: read.token }), 403);
		const write = await newToken(ana, 'read-write');
		expect(
			(await api.post('/api/v1/boards', { title: 'Yes' }, { token: write.token })).status
		).toBe(201);
	});

	it('cannot mint or list tokens with a token', async () => {
		const write = await newToken(ana, 'read-write');
		expectProblem(
			await api.post('/api/v1/tokens', { name: 'x', scope: 'read' }, { token: write.token }),
			403
		);
		expectProblem(await api.get('/api/v1/tokens', { token: write.token }), 403);
	});

	it('validates the body', async () => {
		const bad = await api.post(
			'/api/v1/tokens',
			{ name: '', scope: 'admin', expiresAt: 'soon' },
			{ token: ana.token }
		);
		expectProblem(bad, 422);
		expect(Object.keys(bad.body.errors).sort()).toEqual(['expiresAt', 'name', 'scope']);
		const past = await api.post(
			'/api/v1/tokens',
			{ name: 'old', scope: 'read', expiresAt: '2020-01-01T00:00:00Z' },
			{ token: ana.token }
		);
		expectProblem(past, 422);
		for (const name of ['two\nlines', '\u200b\u200e']) {
			const refused = await api.post(
				'/api/v1/tokens',
				{ name, scope: 'read' },
				{ token: ana.token }
			);
			expectProblem(refused, 422);
			expect(Object.keys(refused.body.errors)).toEqual(['name']);
		}
		expectProblem(await api.post('/api/v1/tokens', { name: 'x', scope: 'read' }), 401);
	});

	it('stops working when revoked, expired, or its user is disabled', async () => {
		const revoked = await newToken(ana, 'read');
		expect((await api.delete(`/api/v1/tokens/${revoked.id}`, { token: ana.token })).status).toBe(
			204
		);
		expectProblem(await api.get('/api/v1/me', { token: revoked.token }), 401);
		expectProblem(await api.delete(`/api/v1/tokens/${revoked.id}`, { token: ana.token }), 404);

		const other = await newToken(admin, 'read');
		expectProblem(await api.delete(`/api/v1/tokens/${other.id}`, { token: ana.token }), 404);

		const expiring = await newToken(ana, 'read');
		const sql = postgres(t.db.url, { max: 1 });
		await sql`update api_tokens set expires_at = now() - interval '1 second' where id = ${expiring.id}`;
		await sql.end();
		expectProblem(await api.get('/api/v1/me', { token: expiring.token }), 401);

		const ben = await signUp(api, 'Ben');
		const bens = await newToken(ben, 'read');
		await api.patch(`/api/v1/admin/users/${ben.id}`, { disabled: true }, { token: admin.token });
		expectProblem(await api.get('/api/v1/me', { token: bens.token }), 401);
	});

	it('opens boards over the websocket with its scope, and revoking cuts the socket', async () => {
		const board = await createBoard(api, ana);
		const cara = await signUp(api, 'Cara');
		await addMember(api, ana, board.id, cara, 'editor');
		const write = await newToken(cara, 'read-write');
		const read = await newToken(cara, 'read');
		const owner = connect(t.url, board.id, { token: ana.token });
		const writer = connect(t.url, board.id, { token: write.token });
		const reader = connect(t.url, board.id, { token: read.token });
		for (const p of [owner, writer, reader]) expect(await p.ready).toBe(true);

		writer.doc.getMap('board').set('fromWriter', 1);
		await waitFor(
			() => owner.doc.getMap('board').get('fromWriter') === 1,
			2000,
			'write token edit'
		);
		reader.doc.getMap('board').set('fromReader', 1);
		await new Promise((r) => setTimeout(r, 300));
		expect(owner.doc.getMap('board').has('fromReader')).toBe(false);

		let closed = false;
		writer.socket.on('close', () => (closed = true));
		expect((await api.delete(`/api/v1/tokens/${write.id}`, { token: cara.token })).status).toBe(
			204
		);
		await waitFor(() => closed, 2000, 'the revoked token socket to close');
		const again = connect(t.url, board.id, { token: write.token });
		expect(await again.ready).toBe(false);
		for (const p of [owner, writer, reader, again]) p.destroy();
	});
});
