/**
 * Who may manage tokens and accounts, sign in or out, and read notifications, as a table: every
 * actor against the token, `me`, admin, auth and notification endpoints (the notification
 * stream, which is not JSON, is covered in notifications.test.ts). Tokens manage nothing here (a leaked token must not
 * mint more or outlive a logout it asked for); every cell checks the effect or its absence.
 */
import { randomUUID } from 'node:crypto';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect } from 'vitest';
import {
	createToken,
	row,
	spec,
	startCast,
	type Actor,
	type Cast,
	type EndpointSpec,
	type Row,
	matrixTests
} from './support/authz.ts';
import { signUp, type TestUser } from './support/http.ts';

type Endpoint =
	| 'GET tokens'
	| 'POST tokens'
	| 'DELETE token'
	| 'GET me'
	| 'PATCH admin user'
	| 'POST signup'
	| 'POST login'
	| 'POST logout'
	| 'GET notifications'
	| 'POST notifications read'
	| 'POST admin broadcast';

/** The expected status of each endpoint for each actor. DELETE token targets the editor's. */
// prettier-ignore
const expected: Record<Endpoint, Row> = {
	//                             anonymous  token read  token rw  non-member  viewer  editor  owner  admin
	'GET tokens':              row(401,      403,        403,      200,        200,    200,    200,   200),
	'POST tokens':             row(401,      403,        403,      201,        201,    201,    201,   201),
	'DELETE token':            row(401,      403,        403,      404,        404,    204,    404,   404),
	'GET me':                  row(401,      200,        200,      200,        200,    200,    200,   200),
	'PATCH admin user':        row(401,      403,        403,      403,        403,    403,    403,   200),
	'POST signup':             row(202,      403,        202,      202,        202,    202,    202,   202),
	'POST login':              row(200,      403,        200,      200,        200,    200,    200,   200),
	'POST logout':             row(204,      403,        403,      204,        204,    204,    204,   204),
	'GET notifications':       row(401,      200,        200,      200,        200,    200,    200,   200),
	'POST notifications read': row(401,      403,        200,      200,        200,    200,    200,   200),
	'POST admin broadcast':    row(401,      403,        403,      403,        403,    403,    403,   201)
};

const password = 'a long enough passphrase';
let cast: Cast;
let sql: postgres.Sql;
/** The account POST login signs in to. */
let loginTarget: TestUser;

const me = (token: string | undefined) => cast.api.get('/api/v1/me', { token });

async function login(user: TestUser): Promise<string> {
	const res = await cast.api.post('/api/v1/auth/login', { email: user.email, password });
	expect(res.status, JSON.stringify(res.body)).toBe(200);
	return res.body.sessionToken;
}

async function sessionsOf(userId: string): Promise<number> {
	const [row] = await sql<{ n: number }[]>`
		select count(*)::int as n from user_session where user_id = ${userId}`;
	return row!.n;
}

/** Reads change nothing: the actor's credential and the editor's tokens still work. */
async function stillSignedIn(_f: unknown, _allowed: boolean, actor: Actor) {
	if (actor !== 'anonymous') expect((await me(cast.credential(actor))).status).toBe(200);
	expect((await me(cast.tokens.read.token)).status).toBe(200);
	expect((await me(cast.tokens.readWrite.token)).status).toBe(200);
}

const endpoints: Record<Endpoint, EndpointSpec<unknown>> = {
	'GET tokens': spec<null>({
		fixture: async () => null,
		call: (_f, token) => cast.api.get('/api/v1/tokens', { token }),
		succeeded(res, _f, actor) {
			const ids = res.body.items.map((t: { id: string }) => t.id);
			const editors = [cast.tokens.read.id, cast.tokens.readWrite.id];
			if (actor === 'editor') expect(ids).toEqual(expect.arrayContaining(editors));
			else for (const id of editors) expect(ids).not.toContain(id);
			expect(JSON.stringify(res.body)).not.toContain(cast.tokens.read.token);
		},
		verify: stillSignedIn
	}),
	'POST tokens': spec<{ name: string }>({
		fixture: async () => ({ name: `matrix ${randomUUID()}` }),
		call: ({ name }, token) => cast.api.post('/api/v1/tokens', { name, scope: 'read' }, { token }),
		async succeeded(res, { name }, actor) {
			expect(res.body).toMatchObject({ name, scope: 'read', token: expect.stringMatching(/^tf_/) });
			expect((await me(res.body.token)).body.id).toBe(cast.userOf(actor)!.id);
		},
		async verify({ name }, allowed, actor) {
			const owners = await sql<{ user_id: string }[]>`
				select user_id from api_tokens where name = ${name}`;
			expect(owners.map((o) => o.user_id)).toEqual(allowed ? [cast.userOf(actor)!.id] : []);
		}
	}),
	'DELETE token': spec<{ id: string; token: string }>({
		fixture: () => createToken(cast.api, cast.users.editor, 'read'),
		call: ({ id }, token) => cast.api.delete(`/api/v1/tokens/${id}`, { token }),
		succeeded() {},
		async verify({ token }, allowed) {
			expect((await me(token)).status).toBe(allowed ? 401 : 200);
		}
	}),
	'GET me': spec<null>({
		fixture: async () => null,
		call: (_f, token) => me(token),
		succeeded(res, _f, actor) {
			const user = cast.userOf(actor)!;
			expect(res.body).toMatchObject({ id: user.id, email: user.email, role: user.role });
		},
		verify: stillSignedIn
	}),
	'PATCH admin user': spec<TestUser>({
		fixture: () => signUp(cast.api, 'Matrix Disabled'),
		call: (user, token) =>
			cast.api.patch(`/api/v1/admin/users/${user.id}`, { disabled: true }, { token }),
		succeeded(res, user) {
			expect(res.body).toMatchObject({ id: user.id, disabledAt: expect.any(String) });
		},
		async verify(user, allowed) {
			expect((await me(user.token)).status).toBe(allowed ? 401 : 200);
		}
	}),
	'POST signup': spec<{ email: string }>({
		fixture: async () => ({ email: `matrix.${randomUUID()}@example.com` }),
		call: ({ email }, token) =>
			cast.api.post('/api/v1/auth/signup', { name: 'Matrix Signup', email, password }, { token }),
		async succeeded(res, { email }) {
			expect(res.body).toEqual({ detail: expect.any(String) });
			const signedIn = await cast.api.post('/api/v1/auth/login', { email, password });
			expect(signedIn.body.user).toMatchObject({ email, role: 'user' });
			expect((await me(signedIn.body.sessionToken)).body.email).toBe(email);
		},
		async verify({ email }, allowed) {
			const [found] = await sql<{ n: number }[]>`
				select count(*)::int as n from users where email = ${email}`;
			expect(found!.n).toBe(allowed ? 1 : 0);
		}
	}),
	'POST login': spec<{ before: number }>({
		fixture: async () => ({ before: await sessionsOf(loginTarget.id) }),
		call: (_f, token) =>
			cast.api.post('/api/v1/auth/login', { email: loginTarget.email, password }, { token }),
		async succeeded(res) {
			expect(res.body.user).toMatchObject({ id: loginTarget.id });
			expect((await me(res.body.sessionToken)).body.id).toBe(loginTarget.id);
		},
		async verify({ before }, allowed) {
			expect(await sessionsOf(loginTarget.id)).toBe(before + (allowed ? 1 : 0));
		}
	}),
	/** Each cell signs out a credential of its own, so the cast's sessions survive. */
	'POST logout': spec<{ credential: string | undefined }>({
		async fixture(actor) {
			if (actor === 'anonymous') return { credential: undefined };
			if (actor === 'token read' || actor === 'token read-write') {
				const scope = actor === 'token read' ? 'read' : 'read-write';
				return { credential: (await createToken(cast.api, cast.users.editor, scope)).token };
			}
			return { credential: await login(cast.users[actor]) };
		},
		credential: (f) => f.credential,
		call: (_f, token) => cast.api.post('/api/v1/auth/logout', undefined, { token }),
		succeeded() {},
		async verify({ credential }, allowed, actor) {
			if (credential) expect((await me(credential)).status).toBe(allowed ? 401 : 200);
			// Only the credential sent is ended, never the user's other sessions.
			if (actor !== 'anonymous') expect((await me(cast.credential(actor))).status).toBe(200);
			expect((await me(cast.users.owner.token)).status).toBe(200);
		}
	}),
	'GET notifications': spec<null>({
		// A system message first, so every account has something to list.
		async fixture() {
			const sent = await cast.api.post(
				'/api/v1/admin/broadcasts',
				{ title: `matrix ${randomUUID()}` },
				{ token: cast.users.admin.token }
			);
			expect(sent.status).toBe(201);
			return null;
		},
		call: (_f, token) => cast.api.get('/api/v1/notifications', { token }),
		async succeeded(res, _f, actor) {
			expect(res.body).toMatchObject({ items: expect.any(Array), unreadCount: expect.any(Number) });
			expect(res.body.items.length).toBeGreaterThan(0);
			// Only the caller's own (tokens act as the editor).
			const ids = res.body.items.map((item: { id: string }) => item.id);
			const owners = await sql<{ user_id: string }[]>`
				select distinct user_id from notifications where id = any(${ids}::uuid[])`;
			const mine = owners.map((o) => o.user_id);
			expect(mine.every((id) => id === cast.userOf(actor)!.id)).toBe(true);
		},
		verify: stillSignedIn
	}),
	/** Each cell marks read a fresh system message that everyone received. */
	'POST notifications read': spec<{ broadcastId: string }>({
		async fixture() {
			const sent = await cast.api.post(
				'/api/v1/admin/broadcasts',
				{ title: `matrix ${randomUUID()}` },
				{ token: cast.users.admin.token }
			);
			expect(sent.status).toBe(201);
			return { broadcastId: sent.body.id };
		},
		call: (_f, token) => cast.api.post('/api/v1/notifications/read', { all: true }, { token }),
		succeeded(res) {
			expect(res.body).toEqual({ updated: expect.any(Number), unreadCount: 0 });
		},
		async verify({ broadcastId }, allowed, actor) {
			const unread = await sql<{ user_id: string }[]>`
				select user_id from notifications
				where dedupe_key = ${'broadcast:' + broadcastId} and read_at is null`;
			const user = cast.userOf(actor);
			const stillUnread = unread.map((u) => u.user_id);
			if (user) expect(stillUnread.includes(user.id)).toBe(!allowed);
			// Nobody else's notifications change.
			const others = Object.values(cast.users).filter((u) => u.id !== user?.id);
			for (const other of others) expect(stillUnread).toContain(other.id);
		}
	}),
	'POST admin broadcast': spec<{ title: string }>({
		fixture: async () => ({ title: `matrix ${randomUUID()}` }),
		call: ({ title }, token) => cast.api.post('/api/v1/admin/broadcasts', { title }, { token }),
		succeeded(res, { title }) {
			expect(res.body).toMatchObject({ title, recipients: expect.any(Number) });
			expect(res.body.recipients).toBeGreaterThanOrEqual(Object.keys(cast.users).length);
		},
		async verify({ title }, allowed) {
			const [found] = await sql<{ n: number }[]>`
				select count(*)::int as n from broadcasts where title = ${title}`;
			expect(found!.n).toBe(allowed ? 1 : 0);
		}
	})
};

beforeAll(async () => {
	cast = await startCast('Account matrix');
	sql = postgres(cast.t.db.url, { max: 1, onnotice: () => {} });
	loginTarget = await signUp(cast.api, 'Matrix Login');
});
afterAll(async () => {
	await sql?.end();
	await cast?.t.stop();
});

describe('account authorization matrix', () => {
	matrixTests(expected, endpoints, () => cast);
});
