/**
 * Principals kept in memory (src/lib/server/auth/principal-cache.ts): a request's session or
 * token is read once, and every way access ends still ends it for the next request, on this
 * instance at once and on the others as soon as the revocation channel delivers — and when that
 * channel loses Redis, nothing kept is trusted.
 */
import { Redis } from 'ioredis';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MemoryCounters } from '../../src/lib/server/auth/counters.ts';
import { resolvePrincipal } from '../../src/lib/server/auth/principal.ts';
import { AuthService } from '../../src/lib/server/auth/service.ts';
import { createSql, type Sql } from '../../src/lib/server/db/client.ts';
import {
	startPair,
	startTestApp,
	testRedisUrl,
	type TestApp,
	type TestPair
} from './support/app.ts';
import { client, signUp, type Client, type TestUser } from './support/http.ts';
import { eventually } from './support/notifications.ts';

async function newToken(api: Client, user: TestUser): Promise<{ id: string; token: string }> {
	const created = await api.post(
		'/api/v1/tokens',
		{ name: 'kept', scope: 'read-write' },
		{ token: user.token }
	);
	expect(created.status).toBe(201);
	return { id: created.body.id as string, token: created.body.token as string };
}

const me = (api: Client, token: string) => api.get('/api/v1/me', { token });

/**
 * Uses a bearer secret on `app` until its principal is kept there. Once is usually enough; a
 * revocation elsewhere during the read (other test files share the Redis channel) keeps nothing.
 */
async function keep(app: TestApp, api: Client, secret: string): Promise<void> {
	const kept = app.app.runtime.ctx.auth.principals;
	const key = kept.keyOf({ secret, carrier: 'bearer' });
	await eventually(
		async () => {
			expect((await me(api, secret)).status).toBe(200);
			return kept.get(key) !== null;
		},
		(yes) => yes,
		'the principal to be kept',
		3_000
	);
}

describe('one instance', () => {
	let t: TestApp;
	let api: Client;
	let db: postgres.Sql;
	let admin: TestUser;
	beforeAll(async () => {
		t = await startTestApp();
		api = client(t.url);
		db = postgres(t.db.url, { max: 1 });
		// The first account of an installation is its admin.
		admin = await signUp(api, 'Admin');
		expect(admin.role).toBe('admin');
	});
	afterAll(async () => {
		await db?.end();
		await t?.stop();
	});

	it('reads a session or a token once, then answers it from memory', async () => {
		const ana = await signUp(api, 'Ana');
		const { token } = await newToken(api, ana);
		let statements = 0;
		const pool = createSql({ url: t.db.url, max: 1 });
		const sql = new Proxy(pool, {
			apply(target, self, args) {
				statements++;
				return Reflect.apply(target, self, args) as unknown;
			}
		}) as Sql;
		try {
			const auth = new AuthService(sql, new MemoryCounters(), {
				loginMaxPerAccount: 5,
				loginMaxPerIp: 20,
				loginWindowMs: 60_000,
				principalCacheMs: 60_000
			});
			const services = { sql, auth };
			const credentials = [
				{ secret: token, carrier: 'bearer' as const },
				{ secret: ana.token, carrier: 'bearer' as const },
				{ secret: ana.token, carrier: 'cookie' as const }
			];
			for (const credential of credentials) {
				expect((await resolvePrincipal(services, credential))?.user.id).toBe(ana.id);
			}
			const read = statements;
			expect(read).toBeGreaterThanOrEqual(3);
			for (const credential of credentials) {
				expect((await resolvePrincipal(services, credential))?.user.id).toBe(ana.id);
			}
			expect(statements).toBe(read);
			// Ending the session forgets it under both carriers, and only it.
			auth.principals.forgetSession(ana.token);
			for (const credential of credentials) await resolvePrincipal(services, credential);
			expect(statements).toBe(read + 2);
		} finally {
			await pool.end();
		}
	});

	it('refuses the next request after each way access ends, though the answer was kept', async () => {
		const [ana, ben, cy, dan] = [
			await signUp(api, 'Ana'),
			await signUp(api, 'Ben'),
			await signUp(api, 'Cy'),
			await signUp(api, 'Dan')
		];
		const revoked = await newToken(api, ana);
		const anaToken = await newToken(api, ana);
		const bensToken = await newToken(api, ben);

		// A revoked token.
		await keep(t, api, revoked.token);
		expect((await api.delete(`/api/v1/tokens/${revoked.id}`, { token: ana.token })).status).toBe(
			204
		);
		expect((await me(api, revoked.token)).status).toBe(401);
		expect((await me(api, anaToken.token)).status).toBe(200);

		// A session signed out.
		await keep(t, api, ana.token);
		expect((await api.post('/api/v1/auth/logout', {}, { token: ana.token })).status).toBe(204);
		expect((await me(api, ana.token)).status).toBe(401);
		expect((await me(api, anaToken.token)).status).toBe(200);

		// A disabled account: its sessions and tokens.
		await keep(t, api, ben.token);
		await keep(t, api, bensToken.token);
		const disabled = await api.patch(
			`/api/v1/admin/users/${ben.id}`,
			{ disabled: true },
			{ token: admin.token }
		);
		expect(disabled.status).toBe(200);
		expect((await me(api, ben.token)).status).toBe(401);
		expect((await me(api, bensToken.token)).status).toBe(401);

		// An admin demoted: the kept principal said admin.
		const promote = (role: string) =>
			api.patch(`/api/v1/admin/users/${cy.id}`, { role }, { token: admin.token });
		expect((await promote('admin')).status).toBe(200);
		await keep(t, api, cy.token);
		expect((await api.get('/api/v1/admin/users', { token: cy.token })).status).toBe(200);
		expect((await promote('user')).status).toBe(200);
		expect((await api.get('/api/v1/admin/users', { token: cy.token })).status).toBe(403);

		// Signed out everywhere by an admin.
		await keep(t, api, dan.token);
		const signedOut = await api.post(
			`/api/v1/admin/users/${dan.id}/sessions/revoke`,
			{},
			{ token: admin.token }
		);
		expect(signedOut.status).toBe(200);
		expect((await me(api, dan.token)).status).toBe(401);
	});

	it('refuses the next request after the pages revoke: the settings token form, /logout', async () => {
		const ana = await signUp(api, 'Ana');
		const token = await newToken(api, ana);
		/** A form post from the app's own pages, signed in by the session cookie. */
		const form = (path: string, fields: Record<string, string>) =>
			fetch(`${t.url}${path}`, {
				method: 'POST',
				redirect: 'manual',
				headers: {
					origin: t.url,
					accept: 'text/html',
					cookie: `tf_session=${ana.token}`,
					'content-type': 'application/x-www-form-urlencoded'
				},
				body: new URLSearchParams(fields)
			});

		await keep(t, api, token.token);
		expect((await form('/settings/tokens?/revoke', { id: token.id })).status).toBe(200);
		expect((await me(api, token.token)).status).toBe(401);

		await keep(t, api, ana.token);
		expect((await form('/logout', {})).status).toBe(303);
		expect((await me(api, ana.token)).status).toBe(401);
	});

	it('answers from memory what changed behind its back, for at most PRINCIPAL_CACHE_MS', async () => {
		const short = await startTestApp({ PRINCIPAL_CACHE_MS: '2000' }, t.db);
		try {
			const shortApi = client(short.url);
			const ana = await signUp(shortApi, 'Ana');
			const { id, token } = await newToken(shortApi, ana);
			await keep(short, shortApi, token);
			const keptAt = Date.now();
			// Revoked in SQL, not through the app: no revocation is announced.
			await db`update api_tokens set revoked_at = now() where id = ${id}`;
			expect((await me(shortApi, token)).status).toBe(200);
			await eventually(
				async () => (await me(shortApi, token)).status,
				(status) => status === 401,
				'the kept token to lapse'
			);
			expect(Date.now() - keptAt).toBeLessThan(3_000);
		} finally {
			await short.stop();
		}
	});
});

describe('two instances on Redis', () => {
	let pair: TestPair;
	let one: Client;
	let two: Client;
	let db: postgres.Sql;
	let redis: Redis;
	beforeAll(async () => {
		pair = await startPair();
		one = client(pair.one.url);
		two = client(pair.two.url);
		db = postgres(pair.db.url, { max: 1 });
		redis = new Redis(testRedisUrl);
	});
	afterAll(async () => {
		redis?.disconnect();
		await db?.end();
		await pair?.stop();
	});

	it('revoking on one instance ends what the other kept', async () => {
		const ana = await signUp(one, 'Ana');
		const { id, token } = await newToken(one, ana);
		await keep(pair.two, two, token);
		await keep(pair.two, two, ana.token);
		expect((await one.delete(`/api/v1/tokens/${id}`, { token: ana.token })).status).toBe(204);
		await eventually(
			async () => (await me(two, token)).status,
			(status) => status === 401,
			'the other instance to refuse the revoked token',
			3_000
		);
		expect((await one.post('/api/v1/auth/logout', {}, { token: ana.token })).status).toBe(204);
		await eventually(
			async () => (await me(two, ana.token)).status,
			(status) => status === 401,
			'the other instance to refuse the ended session',
			3_000
		);
	});

	it('trusts nothing kept while it cannot hear revocations, and keeps again once it can', async () => {
		const ana = await signUp(one, 'Ana');
		const { id, token } = await newToken(one, ana);
		await keep(pair.two, two, token);
		const name = `tf:revocations:sub:${pair.two.app.runtime.ctx.instanceId}`;
		const clients = (await redis.call('CLIENT', 'LIST', 'TYPE', 'pubsub')) as string;
		const subscriber = clients.split('\n').find((line) => line.includes(` name=${name} `));
		expect(subscriber).toBeDefined();
		// Revoked in SQL while the subscriber is cut off: no message could have reached it.
		await db`update api_tokens set revoked_at = now() where id = ${id}`;
		expect((await me(two, token)).status).toBe(200);
		await redis.call('CLIENT', 'KILL', 'ID', /\bid=(\d+)/.exec(subscriber!)![1]!);
		await eventually(
			async () => (await me(two, token)).status,
			(status) => status === 401,
			'the instance to drop what it kept',
			3_000
		);
		// Subscribed again: a token it reads is kept, so a revocation in SQL goes unseen.
		await eventually(
			async () => {
				const fresh = await newToken(one, ana);
				await me(two, fresh.token);
				await db`update api_tokens set revoked_at = now() where id = ${fresh.id}`;
				return (await me(two, fresh.token)).status;
			},
			(status) => status === 200,
			'the instance to keep principals again'
		);
	});
});
