/**
 * Requests in flight when every backend of the app is terminated, again and again (a database
 * restart, a failover): each gets an answer — a 200 (a read whose connection died under it runs
 * once more) or a 503 problem with `Retry-After` — and none hangs or fails as a 500, and the pool
 * serves as before. postgres.js 3.4 left a statement written to a connection after its socket
 * failed, and before the socket closed, waiting for ever: 24 of 24 workers hung here. How many
 * answers are 503s depends on timing (0–20 of ~200); their shape is checked deterministically
 * in db-outage.test.ts and src/lib/server/http/endpoint.spec.ts.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSql, type Sql } from '../../src/lib/server/db/client.ts';
import { startTestApp, type TestApp } from './support/app.ts';
import { terminateAppBackends } from './support/backends.ts';
import { waitFor } from './support/collab.ts';
import { client, createBoard, signUp, type TestUser } from './support/http.ts';

let t: TestApp;
let admin: Sql;
let owner: TestUser;
beforeAll(async () => {
	t = await startTestApp({ PRINCIPAL_CACHE_MS: '0', API_RATE_LIMIT: '1000000' });
	admin = createSql({ url: t.db.url, max: 1, applicationName: 'blip-requests-test' });
	owner = await signUp(client(t.url));
});
afterAll(async () => {
	await admin?.end();
	await t?.stop();
});

describe('requests across a database blip', () => {
	it('answers every request in flight, none hangs', async () => {
		const board = await createBoard(client(t.url), owner);
		const url = new URL(`/api/v1/boards/${board.id}/tasks`, t.url);
		const headers = { authorization: `Bearer ${owner.token}` };
		const statuses = new Map<number, number>();
		const unavailable: { type: string; retryAfter: string | null; status: unknown }[] = [];
		let hung = 0;
		let stop = false;
		const once = async (): Promise<number> => {
			const response = await fetch(url, { headers });
			if (response.status === 503) {
				const body = (await response.json()) as { status: unknown };
				unavailable.push({
					type: response.headers.get('content-type') ?? '',
					retryAfter: response.headers.get('retry-after'),
					status: body.status
				});
			} else await response.arrayBuffer();
			return response.status;
		};
		const worker = async () => {
			while (!stop) {
				const answered = await Promise.race([
					once(),
					new Promise<null>((resolve) => setTimeout(() => resolve(null), 8000))
				]);
				if (answered === null) hung++;
				else statuses.set(answered, (statuses.get(answered) ?? 0) + 1);
			}
		};
		const workers = Array.from({ length: 24 }, worker);
		let killed = 0;
		for (let round = 0; round < 8; round++) {
			// Blips land on requests in flight, not only on idle connections.
			await waitFor(() => (statuses.get(200) ?? 0) > round * 20, 10_000, 'requests served');
			killed += await terminateAppBackends(admin, 'blip-requests-test');
		}
		stop = true;
		await Promise.all(workers);
		console.log('backends terminated', killed, 'answers', Object.fromEntries(statuses));
		expect(killed).toBeGreaterThan(0);
		expect(hung).toBe(0);
		expect([...statuses.keys()].filter((status) => status !== 200 && status !== 503)).toEqual([]);
		for (const answer of unavailable) {
			expect(answer).toEqual({ type: 'application/problem+json', retryAfter: '1', status: 503 });
		}
		// And the pool serves as before.
		expect((await fetch(url, { headers })).status).toBe(200);
	}, 60_000);
});
