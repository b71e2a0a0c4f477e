/**
 * Imports hold one pooled connection (their transaction) for their whole run, so a process runs
 * two at a time: the others wait their turn (`queued`, phase `waiting`) and start as slots free;
 * past eight waiting a new import is a 429 with Retry-After, and nothing is queued for it.
 */
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from './support/app.ts';
import { client, signUp, type Client, type TestUser } from './support/http.ts';
import { expectProblem } from './support/problem.ts';

let t: TestApp;
let api: Client;
let sql: postgres.Sql;
let ana: TestUser;

beforeAll(async () => {
	t = await startTestApp({ API_RATE_LIMIT: '1000000' });
	api = client(t.url);
	sql = postgres(t.db.url, { max: 2, onnotice: () => {} });
	ana = await signUp(api, 'Ana');
});
afterAll(async () => {
	await sql?.end();
	await t?.stop();
});

/** A one-card Trello export with a comment: its import writes to `comments`. */
const trello = (n: number) => ({
	source: 'trello',
	title: `Import ${n}`,
	data: {
		lists: [{ id: 'l', name: 'L' }],
		cards: [{ id: 'c', name: 'C', idList: 'l' }],
		actions: [{ type: 'commentCard', data: { card: { id: 'c' }, text: 'hello' } }]
	}
});

const state = async (id: string) =>
	(await api.get(`/api/v1/imports/${id}`, { token: ana.token })).body as {
		state: string;
		phase: string;
		error: string | null;
	};

describe('import slots', () => {
	it('runs two imports at a time, queues the next eight in order and refuses more with a 429', async () => {
		// Held until the end: every import that reaches its comments waits here, mid-transaction.
		let release!: () => void;
		const released = new Promise<void>((resolve) => (release = resolve));
		let locked!: () => void;
		const lockTaken = new Promise<void>((resolve) => (locked = resolve));
		const holder = sql.begin(async (tx) => {
			await tx`lock table comments in share mode`;
			locked();
			await released;
		});
		await lockTaken;
		try {
			const ids: string[] = [];
			for (const n of [1, 2]) {
				const res = await api.post('/api/v1/imports', trello(n), { token: ana.token });
				expect(res.status, JSON.stringify(res.body)).toBe(202);
				ids.push(res.body.id);
			}
			// Both running, each holding its transaction (and connection), waiting for the lock.
			await expect
				.poll(
					async () => {
						const [row] = await sql<{ count: number }[]>`
							select count(*)::int as count from pg_locks
							where not granted and relation = 'comments'::regclass`;
						return row!.count;
					},
					{ timeout: 15_000 }
				)
				.toBe(2);
			for (const n of [3, 4, 5, 6, 7, 8, 9, 10]) {
				const res = await api.post('/api/v1/imports', trello(n), { token: ana.token });
				expect(res.status, JSON.stringify(res.body)).toBe(202);
				ids.push(res.body.id);
			}
			const refused = await api.post('/api/v1/imports', trello(11), { token: ana.token });
			expectProblem(refused, 429);
			expect(refused.headers.get('retry-after')).toMatch(/^\d+$/);
			expect(refused.body.detail).toMatch(/try again/);
			// The eight wait their turn without touching the database's connections.
			for (const id of ids.slice(2)) {
				expect(await state(id)).toMatchObject({ state: 'queued', phase: 'waiting' });
			}
			const [waiting] = await sql<{ count: number }[]>`
				select count(*)::int as count from pg_locks
				where not granted and relation = 'comments'::regclass`;
			expect(waiting!.count).toBe(2);
		} finally {
			release();
			await holder;
		}
		// Slots free up: all ten finish, and a new import is taken again.
		const all = (await sql<{ id: string }[]>`select id from imports`).map((r) => r.id);
		expect(all).toHaveLength(10);
		await expect
			.poll(async () => (await Promise.all(all.map(state))).map((s) => s.state).join(), {
				timeout: 30_000
			})
			.toBe(Array(10).fill('done').join());
		expect((await api.post('/api/v1/imports', trello(12), { token: ana.token })).status).toBe(202);
	});
});
