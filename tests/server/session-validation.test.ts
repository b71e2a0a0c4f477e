/**
 * Sessions are read with their user in one query (src/lib/server/auth/lucia.ts); lucia's rules
 * on top must hold as before: an expired session is refused and deleted, one past half its
 * life is extended, an unknown one is refused.
 */
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from './support/app.ts';
import { client, signUp } from './support/http.ts';

let t: TestApp;
let sql: postgres.Sql;
beforeAll(async () => {
	t = await startTestApp();
	sql = postgres(t.db.url, { max: 1 });
});
afterAll(async () => {
	await sql?.end();
	await t?.stop();
});

const day = 24 * 60 * 60 * 1000;

async function expiresAt(sessionId: string): Promise<Date | null> {
	const [row] = await sql<{ expires_at: Date }[]>`
		select expires_at from user_session where id = ${sessionId}`;
	return row?.expires_at ?? null;
}

describe('session validation', () => {
	it('admits a live session with its user', async () => {
		const api = client(t.url);
		const ana = await signUp(api, 'Ana');
		const me = await api.get('/api/v1/me', { token: ana.token });
		expect(me.status).toBe(200);
		expect(me.body).toMatchObject({ id: ana.id, email: ana.email });
	});

	it('refuses and deletes an expired session', async () => {
		const api = client(t.url);
		const ben = await signUp(api, 'Ben');
		await sql`update user_session set expires_at = now() - interval '1 minute' where id = ${ben.token}`;
		expect((await api.get('/api/v1/me', { token: ben.token })).status).toBe(401);
		expect(await expiresAt(ben.token)).toBeNull();
	});

	it('extends a session past half its life', async () => {
		const api = client(t.url);
		const cy = await signUp(api, 'Cy');
		const soon = new Date(Date.now() + 2 * day);
		await sql`update user_session set expires_at = ${soon} where id = ${cy.token}`;
		expect((await api.get('/api/v1/me', { token: cy.token })).status).toBe(200);
		expect((await expiresAt(cy.token))!.getTime()).toBeGreaterThan(Date.now() + 20 * day);
	});

	it('refuses an unknown session', async () => {
		const unknown = 'a'.repeat(40);
		expect((await client(t.url).get('/api/v1/me', { token: unknown })).status).toBe(401);
	});
});
