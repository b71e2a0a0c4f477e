/**
 * One principal resolver (`src/lib/server/auth/principal.ts`) for HTTP and the collaboration
 * websocket: each credential below must be admitted, limited or refused the same way on both.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from './support/app.ts';
import { connect, type TestProvider } from './support/collab.ts';
import { client, createBoard, signUp, type Client, type TestUser } from './support/http.ts';

let t: TestApp;
let api: Client;
let ana: TestUser;
let boardId: string;
const tokens: Record<'readWrite' | 'read' | 'revoked', string> = {
	readWrite: '',
	read: '',
	revoked: ''
};
const open: TestProvider[] = [];

async function newToken(scope: 'read' | 'read-write') {
	const res = await api.post('/api/v1/tokens', { name: scope, scope }, { token: ana.token });
	expect(res.status).toBe(201);
	return res.body as { id: string; token: string };
}

beforeAll(async () => {
	t = await startTestApp();
	api = client(t.url);
	ana = await signUp(api, 'Ana');
	boardId = (await createBoard(api, ana, 'Principal')).id;
	tokens.readWrite = (await newToken('read-write')).token;
	tokens.read = (await newToken('read')).token;
	const revoked = await newToken('read-write');
	expect((await api.delete(`/api/v1/tokens/${revoked.id}`, { token: ana.token })).status).toBe(204);
	tokens.revoked = revoked.token;
});
afterEach(() => {
	for (const p of open.splice(0)) p.destroy();
});
afterAll(async () => {
	await t?.stop();
});

type Carrier = 'bearer' | 'cookie';

/** What HTTP makes of the credential: who it is, and whether it may write. */
async function overHttp(carrier: Carrier, secret: string) {
	const auth =
		carrier === 'bearer'
			? { token: secret }
			: { cookie: `tf_session=${secret}`, headers: { origin: t.url } };
	const me = await api.get('/api/v1/me', auth);
	if (me.status !== 200) return { admitted: false, status: me.status };
	const write = await api.patch(`/api/v1/boards/${boardId}`, { title: 'Principal' }, auth);
	return { admitted: true, userId: me.body.id as string, canWrite: write.status === 200 };
}

/** What the websocket makes of it: admitted or not, and with which scope. */
async function overWebsocket(carrier: Carrier, secret: string) {
	const p = connect(
		t.url,
		boardId,
		carrier === 'bearer'
			? { token: secret }
			: { headers: { cookie: `tf_session=${secret}`, origin: t.url } }
	);
	open.push(p);
	const scopes: string[] = [];
	p.provider.on('authenticated', ({ scope }: { scope: string }) => scopes.push(scope));
	const admitted = await p.ready;
	return admitted
		? { admitted, canWrite: scopes.at(-1) === 'read-write' }
		: { admitted, reason: p.failures[0] };
}

describe('one principal for HTTP and the websocket', () => {
	it.each([
		{
			what: 'a session id as a bearer secret',
			carrier: 'bearer',
			secret: () => ana.token,
			canWrite: true
		},
		{ what: 'the session cookie', carrier: 'cookie', secret: () => ana.token, canWrite: true },
		{
			what: 'a read-write token',
			carrier: 'bearer',
			secret: () => tokens.readWrite,
			canWrite: true
		},
		{ what: 'a read token', carrier: 'bearer', secret: () => tokens.read, canWrite: false }
	] as const)('admits $what as Ana on both', async ({ carrier, secret, canWrite }) => {
		expect(await overHttp(carrier, secret())).toEqual({
			admitted: true,
			userId: ana.id,
			canWrite
		});
		expect(await overWebsocket(carrier, secret())).toEqual({ admitted: true, canWrite });
	});

	it.each([
		{
			what: 'a token carried in the session cookie',
			carrier: 'cookie',
			secret: () => tokens.readWrite
		},
		{ what: 'a revoked token', carrier: 'bearer', secret: () => tokens.revoked },
		{ what: 'an unknown token', carrier: 'bearer', secret: () => `tf_${'x'.repeat(43)}` }
	] as const)('refuses $what on both', async ({ carrier, secret }) => {
		expect(await overHttp(carrier, secret())).toEqual({ admitted: false, status: 401 });
		expect(await overWebsocket(carrier, secret())).toEqual({
			admitted: false,
			reason: 'unauthenticated'
		});
	});
});
