/**
 * Account safety found by an outside probe: login throttling that a burst of parallel guesses
 * cannot outrun (in memory over HTTP, and on Redis), the last active admin that cannot be
 * disabled or demoted (also by two admins at once), and disabling that revokes API tokens.
 */
import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RedisCounters } from '../../src/lib/server/auth/counters.ts';
import { AuthService } from '../../src/lib/server/auth/service.ts';
import { createSql } from '../../src/lib/server/db/client.ts';
import { startTestApp, testRedisUrl, type TestApp } from './support/app.ts';
import { client, signUp, type Client, type TestUser } from './support/http.ts';
import { expectProblem } from './support/problem.ts';

const password = 'a long enough passphrase';
const burst = 200;

describe('login throttling under a burst of parallel guesses', () => {
	let t: TestApp;
	let api: Client;
	beforeAll(async () => {
		t = await startTestApp();
		api = client(t.url);
	});
	afterAll(async () => {
		await t?.stop();
	});

	it('200 parallel wrong logins for one account check at most 5 passwords; the right one is then refused', async () => {
		const user = await signUp(api, 'Burst Target');
		const answers = await Promise.all(
			Array.from({ length: burst }, (_, i) =>
				api.post('/api/v1/auth/login', { email: user.email, password: `wrong guess ${i}` })
			)
		);
		const checked = answers.filter((res) => res.status === 401).length;
		const throttled = answers.filter((res) => res.status === 429).length;
		expect({ checked, throttled }).toEqual({ checked: 5, throttled: burst - 5 });

		const right = await api.post('/api/v1/auth/login', { email: user.email, password });
		expectProblem(right, 429);
		expect(right.headers.getSetCookie()).toEqual([]);
	});
});

describe('login throttling on Redis counters', () => {
	let t: TestApp;
	let redis: Redis;
	let auth: AuthService;
	let sql: ReturnType<typeof createSql>;
	let user: TestUser;
	// A prefix of its own: the test Redis is shared with other test files running at once.
	const prefix = `tf:test:${randomUUID()}:`;
	beforeAll(async () => {
		t = await startTestApp();
		user = await signUp(client(t.url), 'Redis Burst Target');
		redis = new Redis(testRedisUrl);
		sql = createSql({ url: t.db.url, max: 4 });
		const counters = new RedisCounters(redis, prefix);
		auth = new AuthService(sql, counters, {
			loginMaxPerAccount: 5,
			loginMaxPerIp: 20,
			loginWindowMs: 60_000,
			principalCacheMs: 0
		});
	});
	afterAll(async () => {
		const keys = redis ? await redis.keys(`${prefix}*`) : [];
		if (keys.length > 0) await redis.del(...keys);
		redis?.disconnect();
		await sql?.end();
		await t?.stop();
	});

	it('200 parallel wrong logins check at most 5 passwords; the right one is then refused', async () => {
		const results = await Promise.all(
			Array.from({ length: burst }, (_, i) =>
				auth.login({ email: user.email, password: `wrong guess ${i}`, ip: '192.0.2.1' })
			)
		);
		const checked = results.filter((r) => !r.ok && r.reason === 'invalid').length;
		expect(checked).toBe(5);
		const right = await auth.login({ email: user.email, password, ip: '192.0.2.2' });
		expect(right).toMatchObject({ ok: false, reason: 'throttled' });
	});

	it('a success gives back its place in the address count, a failure keeps it', async () => {
		const ip = '192.0.2.3';
		const other = await signUp(client(t.url), 'Redis Address User');
		for (let i = 0; i < 19; i++) {
			const email = `nobody.${i}.${randomUUID()}@example.com`;
			expect(await auth.login({ email, password, ip })).toMatchObject({ reason: 'invalid' });
		}
		expect((await auth.login({ email: other.email, password, ip })).ok).toBe(true);
		expect((await auth.login({ email: other.email, password, ip })).ok).toBe(true);
		const last = `nobody.last.${randomUUID()}@example.com`;
		expect(await auth.login({ email: last, password, ip })).toMatchObject({ reason: 'invalid' });
		expect(await auth.login({ email: other.email, password, ip })).toMatchObject({
			reason: 'throttled'
		});
	});
});

describe('the last active admin', () => {
	let t: TestApp;
	let api: Client;
	let admin: TestUser;
	beforeAll(async () => {
		t = await startTestApp();
		api = client(t.url);
		admin = await signUp(api, 'Only Admin');
		expect(admin.role).toBe('admin');
	});
	afterAll(async () => {
		await t?.stop();
	});

	const patchUser = (actor: TestUser, target: TestUser, body: Record<string, unknown>) =>
		api.patch(`/api/v1/admin/users/${target.id}`, body, { token: actor.token });

	it('cannot disable or demote themselves while no other admin is active (409)', async () => {
		expectProblem(await patchUser(admin, admin, { disabled: true }), 409);
		expectProblem(await patchUser(admin, admin, { role: 'user' }), 409);
		const me = await api.get('/api/v1/me', { token: admin.token });
		expect(me.status).toBe(200);
		expect(me.body.role).toBe('admin');
	});

	it('can step down once another admin is active; a disabled admin does not count', async () => {
		const second = await signUp(api, 'Second Admin');
		expect((await patchUser(admin, second, { role: 'admin' })).status).toBe(200);
		expect((await patchUser(admin, second, { disabled: true })).status).toBe(200);
		// The second admin is disabled: the first is still the only active one.
		expectProblem(await patchUser(admin, admin, { role: 'user' }), 409);
		expect((await patchUser(admin, second, { disabled: false })).status).toBe(200);
		const second2 = await api.post('/api/v1/auth/login', { email: second.email, password });
		expect(second2.status).toBe(200);
		const stepDown = await patchUser(admin, admin, { role: 'user' });
		expect(stepDown.status).toBe(200);
		expect(stepDown.body.role).toBe('user');
		const secondAdmin = { ...second, token: second2.body.sessionToken as string };
		expect((await patchUser(secondAdmin, admin, { role: 'admin' })).status).toBe(200);
		expect((await patchUser(admin, secondAdmin, { role: 'user' })).status).toBe(200);
	});

	it.each([[{ role: 'user' }], [{ disabled: true }]])(
		'two admins changing each other at once (%j) leave one active admin',
		async (body) => {
			// A fresh app: exactly two active admins, the first account and one it promotes.
			const fresh = await startTestApp();
			const sql = createSql({ url: fresh.db.url, max: 1 });
			try {
				const freshApi = client(fresh.url);
				const one = await signUp(freshApi, 'First Admin');
				const two = await signUp(freshApi, 'Rival Admin');
				const promote = await freshApi.patch(
					`/api/v1/admin/users/${two.id}`,
					{ role: 'admin' },
					{ token: one.token }
				);
				expect(promote.status).toBe(200);
				const answers = await Promise.all([
					freshApi.patch(`/api/v1/admin/users/${two.id}`, body, { token: one.token }),
					freshApi.patch(`/api/v1/admin/users/${one.id}`, body, { token: two.token })
				]);
				// The loser is refused: 409 when both passed the admin check together; 403 (demoted)
				// or 401 (disabled, session ended) when the winner finished before it was authorised.
				const statuses = answers.map((res) => res.status);
				expect(statuses.filter((status) => status === 200)).toHaveLength(1);
				expect([401, 403, 409]).toContain(statuses.find((status) => status !== 200));
				const [row] = await sql<{ active: number }[]>`
					select count(*)::int as active from users where role = 'admin' and disabled_at is null`;
				expect(row!.active).toBe(1);
			} finally {
				await sql.end();
				await fresh.stop();
			}
		}
	);
});

describe('disabling an account', () => {
	let t: TestApp;
	let api: Client;
	let admin: TestUser;
	beforeAll(async () => {
		t = await startTestApp();
		api = client(t.url);
		admin = await signUp(api, 'Admin');
	});
	afterAll(async () => {
		await t?.stop();
	});

	it('revokes its API tokens, so re-enabling does not bring them back', async () => {
		const user = await signUp(api, 'Token Holder');
		const created = await api.post(
			'/api/v1/tokens',
			{ name: 'script', scope: 'read' },
			{ token: user.token }
		);
		expect(created.status).toBe(201);
		const secret = created.body.token as string;
		expect((await api.get('/api/v1/me', { token: secret })).status).toBe(200);

		const disabled = await api.patch(
			`/api/v1/admin/users/${user.id}`,
			{ disabled: true },
			{ token: admin.token }
		);
		expect(disabled.status).toBe(200);
		expectProblem(await api.get('/api/v1/me', { token: secret }), 401);
		const enabled = await api.patch(
			`/api/v1/admin/users/${user.id}`,
			{ disabled: false },
			{ token: admin.token }
		);
		expect(enabled.status).toBe(200);

		expectProblem(await api.get('/api/v1/me', { token: secret }), 401);
		expectProblem(await api.get('/api/v1/me', { token: user.token }), 401);
		const again = await api.post('/api/v1/auth/login', { email: user.email, password });
		expect(again.status).toBe(200);
		const tokens = await api.get('/api/v1/tokens', { token: again.body.sessionToken });
		expect(tokens.body.items).toEqual([
			expect.objectContaining({ id: created.body.id, revokedAt: expect.any(String) })
		]);
	});
});
