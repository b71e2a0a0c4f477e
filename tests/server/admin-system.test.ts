/**
 * The admin System tab's endpoint against real servers: admins only, the answer's shape, this
 * instance's live connection count, the per-minute request counter, and two instances on one
 * Redis seeing each other through their heartbeats.
 */
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
	startPair,
	startTestApp,
	testRedisUrl,
	type TestApp,
	type TestPair
} from './support/app.ts';
import { connect } from './support/collab.ts';
import { client, createBoard, signUp, type Client, type TestUser } from './support/http.ts';
import { expectProblem } from './support/problem.ts';

const path = '/api/v1/admin/system';

interface Point {
	requestsPerSecond: number;
}

/** Requests the cluster counted over the last hour (robust to a minute ending mid-test). */
const requestsInHour = (series: Point[]) =>
	Math.round(series.reduce((sum, p) => sum + p.requestsPerSecond * 60, 0));

/** Polls `check` (each call is a real request) until it holds; the heartbeat runs every 5 s. */
async function until(check: () => Promise<boolean>, what: string, timeoutMs = 12_000) {
	const deadline = Date.now() + timeoutMs;
	while (!(await check())) {
		if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
	}
}

describe('GET /api/v1/admin/system on one instance', () => {
	let t: TestApp;
	let api: Client;
	let admin: TestUser;
	beforeAll(async () => {
		t = await startTestApp({ API_RATE_LIMIT: '1000000' });
		api = client(t.url);
		admin = await signUp(api, 'System Admin');
		expect(admin.role).toBe('admin');
	});
	afterAll(async () => {
		await t?.stop();
	});

	it('is for admins only', async () => {
		expectProblem(await api.get(path), 401);
		const someone = await signUp(api, 'System Someone');
		expectProblem(await api.get(path, { token: someone.token }), 403);
	});

	it('answers dependencies, this instance, the outbox and an hour of minutes', async () => {
		const res = await api.get(path, { token: admin.token });
		expect(res.status).toBe(200);
		expect(res.body.status).toBe('ok');
		expect(res.body.dependencies.postgres).toMatchObject({
			status: 'up',
			latencyMs: expect.any(Number)
		});
		expect(res.body.instances).toEqual([
			{
				id: t.app.runtime.ctx.instanceId,
				startedAt: expect.any(String),
				self: true,
				connections: 0,
				authenticatedConnections: 0,
				boardsLoaded: expect.any(Number)
			}
		]);
		expect(res.body.outbox).toEqual({ depth: expect.any(Number), lagSeconds: expect.any(Number) });
		expect(res.body.series).toHaveLength(60);
		expect(res.body.series[59]).toEqual({
			minute: expect.any(String),
			requestsPerSecond: expect.any(Number),
			p95Ms: expect.any(Number),
			errorRate: 0,
			connections: 0,
			updatesPerSecond: expect.any(Number)
		});
	});

	it('shows a websocket connecting and leaving, with its board loaded', async () => {
		const board = await createBoard(api, admin, 'System board');
		const provider = connect(t.url, board.id, { token: admin.token });
		try {
			expect(await provider.ready).toBe(true);
			const res = await api.get(path, { token: admin.token });
			expect(res.body.instances[0]).toMatchObject({
				connections: 1,
				authenticatedConnections: 1,
				boardsLoaded: 1
			});
			expect(res.body.series[59].connections).toBeGreaterThanOrEqual(1);
		} finally {
			provider.destroy();
		}
		await until(
			async () => (await api.get(path, { token: admin.token })).body.instances[0].connections === 0,
			'the closed socket to leave the count'
		);
	});

	it('counts requests in the current minute', async () => {
		const before = requestsInHour((await api.get(path, { token: admin.token })).body.series);
		for (let i = 0; i < 5; i += 1) expect((await api.get('/health/ready')).status).toBe(200);
		const after = requestsInHour((await api.get(path, { token: admin.token })).body.series);
		// The five, and the first read of the figures itself (counted as it finished).
		expect(after - before).toBe(6);
	});
});

describe('GET /api/v1/admin/system on two instances sharing Redis', () => {
	let pair: TestPair;
	let admin: TestUser;
	beforeAll(async () => {
		pair = await startPair({ API_RATE_LIMIT: '1000000' });
		admin = await signUp(client(pair.one.url), 'Pair Admin');
	});
	afterAll(async () => {
		await pair?.stop();
	});

	it('lists both instances on either, each with its own connections', async () => {
		const { one, two } = pair;
		const board = await createBoard(client(one.url), admin, 'Pair board');
		const provider = connect(two.url, board.id, { token: admin.token });
		try {
			expect(await provider.ready).toBe(true);
			const idOne = one.app.runtime.ctx.instanceId;
			const idTwo = two.app.runtime.ctx.instanceId;
			// Two's heartbeat (every 5 s) reaches Redis with its new connection.
			let seen: { id: string; self: boolean; connections: number }[] = [];
			await until(async () => {
				seen = (await client(one.url).get(path, { token: admin.token })).body.instances;
				return seen.find((i) => i.id === idTwo)?.connections === 1;
			}, 'the second instance’s heartbeat with its connection');
			expect(seen[0]).toMatchObject({ id: idOne, self: true, connections: 0 });
			expect(seen.find((i) => i.id === idTwo)).toMatchObject({ self: false, connections: 1 });
			const fromTwo = (await client(two.url).get(path, { token: admin.token })).body.instances;
			expect(fromTwo[0]).toMatchObject({ id: idTwo, self: true, connections: 1 });
			expect(fromTwo.map((i: { id: string }) => i.id)).toContain(idOne);
		} finally {
			provider.destroy();
		}
	});

	it('skips an entry in the hash that is no heartbeat', async () => {
		const redis = new Redis(testRedisUrl);
		try {
			await redis.hset('taskflow:instances', 'junk-entry', '{not json');
			// A well-formed beat whose samples are not (another version's, say).
			const odd = { at: Date.now(), startedAt: new Date().toISOString(), samples: [{}] };
			await redis.hset('taskflow:instances', 'odd-entry', JSON.stringify(odd));
			const res = await client(pair.one.url).get(path, { token: admin.token });
			expect(res.status).toBe(200);
			const ids = res.body.instances.map((i: { id: string }) => i.id);
			expect(ids).not.toContain('junk-entry');
			expect(ids).not.toContain('odd-entry');
		} finally {
			await redis.hdel('taskflow:instances', 'junk-entry', 'odd-entry');
			redis.disconnect();
		}
	});

	it('drops an instance that stopped', async () => {
		const { one, two } = pair;
		const idTwo = two.app.runtime.ctx.instanceId;
		await two.stop();
		const res = await client(one.url).get(path, { token: admin.token });
		expect(res.body.instances.map((i: { id: string }) => i.id)).not.toContain(idTwo);
	});
});
