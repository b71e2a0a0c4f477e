/**
 * The database out of reach for a while (its address refuses connections, through a proxy the
 * test cuts): API calls answer 503 problems with `Retry-After` — from the endpoint, and from the
 * principal lookup before it — pages a plain-text 503, liveness stays 200 and readiness says
 * which check failed; once the database is back, reads succeed within moments. Before, all but
 * liveness were 500s. A websocket that cannot be checked is closed as "try again later" (1013),
 * not refused: its provider reconnects and syncs once the database is back.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from './support/app.ts';
import { connect, waitFor } from './support/collab.ts';
import { createTestDatabase, type TestDatabase } from './support/database.ts';
import { client, createBoard, signUp, type TestUser } from './support/http.ts';
import { startTcpProxy, type TcpProxy } from './support/tcp-proxy.ts';

let db: TestDatabase;
let proxy: TcpProxy;
let t: TestApp;
let owner: TestUser;
let boardId: string;
beforeAll(async () => {
	db = await createTestDatabase();
	const direct = new URL(db.url);
	proxy = await startTcpProxy(direct.hostname, Number(direct.port || 5432));
	const viaProxy = new URL(db.url);
	viaProxy.host = `127.0.0.1:${proxy.port}`;
	// Every request reads its principal from the database (no cache), as a first request does.
	t = await startTestApp({ DATABASE_URL: viaProxy.href, PRINCIPAL_CACHE_MS: '0' }, db);
	owner = await signUp(client(t.url));
	boardId = (await createBoard(client(t.url), owner)).id;
});
afterAll(async () => {
	await proxy?.restore().catch(() => {});
	await t?.stop();
	await proxy?.close();
	await db?.drop();
});

const bearer = () => ({ authorization: `Bearer ${owner.token}` });

async function problemOf(response: Response) {
	return {
		status: response.status,
		type: response.headers.get('content-type'),
		retryAfter: response.headers.get('retry-after'),
		body: (await response.json()) as { status: number; detail: string }
	};
}

describe('the database out of reach', () => {
	it('answers 503 to retry, keeps liveness, and serves again once it is back', async () => {
		const tasks = new URL(`/api/v1/boards/${boardId}/tasks`, t.url);
		expect((await fetch(tasks, { headers: bearer() })).status).toBe(200);
		await proxy.cut();
		try {
			// With a credential: the principal lookup is the first to fail.
			const read = await problemOf(await fetch(tasks, { headers: bearer() }));
			expect(read).toMatchObject({
				status: 503,
				type: 'application/problem+json',
				retryAfter: '1',
				body: { status: 503 }
			});
			expect(read.body.detail).toMatch(/database cannot be reached/);
			// Without one: the endpoint's own query fails (a sign-in reads the account).
			const login = await fetch(new URL('/api/v1/auth/login', t.url), {
				method: 'POST',
				headers: { 'content-type': 'application/json' },
				body: JSON.stringify({ email: owner.email, password: 'a long enough passphrase' })
			});
			expect(await problemOf(login)).toMatchObject({ status: 503, retryAfter: '1' });
			// A page, signed in: plain text, not problem+json.
			const page = await fetch(new URL('/boards', t.url), {
				headers: { cookie: `tf_session=${owner.token}` },
				redirect: 'manual'
			});
			expect(page.status).toBe(503);
			expect(page.headers.get('content-type')).toBe('text/plain');
			// Liveness needs no database, even asked with a token; readiness names what is down.
			expect((await fetch(new URL('/health', t.url), { headers: bearer() })).status).toBe(200);
			const ready = await fetch(new URL('/health/ready', t.url));
			expect(ready.status).toBe(503);
			expect(
				((await ready.json()) as { checks: { postgres: { status: string } } }).checks.postgres
					.status
			).toBe('down');
		} finally {
			await proxy.restore();
		}
		// The pool opens new connections at once (the first call after may still meet one that
		// failed while the database was away).
		const deadline = performance.now() + 2000;
		let status = 0;
		while (status !== 200 && performance.now() < deadline) {
			status = (await fetch(tasks, { headers: bearer() })).status;
			if (status !== 200) await new Promise((resolve) => setTimeout(resolve, 50));
		}
		expect(status).toBe(200);
	}, 60_000);

	it('asks a websocket to come back instead of refusing it, and it syncs once the database is back', async () => {
		await proxy.cut();
		// Retrying as a browser's provider does (for ever), only sooner.
		const provider = connect(
			t.url,
			boardId,
			{ token: owner.token },
			{ maxAttempts: 0, delay: 100, minDelay: 100, maxDelay: 300 }
		);
		const closes: number[] = [];
		provider.socket.on('close', ({ event }: { event: { code: number } }) =>
			closes.push(event.code)
		);
		try {
			await waitFor(() => closes.length > 0, 10_000, 'the socket to be closed');
			expect(closes[0]).toBe(1013);
			// No refusal reached the provider: it would say "no access" and never ask again.
			expect(provider.failures).toEqual([]);
			await proxy.restore();
			// The provider reconnects on its own and syncs.
			expect(await provider.ready).toBe(true);
			expect(provider.failures).toEqual([]);
		} finally {
			provider.destroy();
			await proxy.restore();
		}
	}, 60_000);
});
