import { EventEmitter } from 'node:events';
import type { Redis } from 'ioredis';
import { describe, expect, it } from 'vitest';
import { RedisCounters } from './counters.ts';

/**
 * A stand-in for the ioredis client whose status and failures the test sets: which store a
 * count lands in is what is pinned here. The real client, cut off and restored, is covered by
 * tests/server/redis-outage.test.ts.
 */
class FakeRedis extends EventEmitter {
	status = 'ready';
	counts = new Map<string, number>();
	failWith: Error | null = null;
	multi() {
		const ops: string[] = [];
		const chain = {
			incr: (key: string) => (ops.push(key), chain),
			pexpire: () => chain,
			pttl: () => chain,
			exec: async () => {
				if (this.failWith) throw this.failWith;
				const key = ops[0]!;
				const count = (this.counts.get(key) ?? 0) + 1;
				this.counts.set(key, count);
				return [
					[null, count],
					[null, 1],
					[null, 60_000]
				];
			}
		};
		return chain;
	}
	async del(...keys: string[]) {
		if (this.failWith) throw this.failWith;
		for (const key of keys) this.counts.delete(key);
		return keys.length;
	}
}

function setUp() {
	const redis = new FakeRedis();
	const counters = new RedisCounters(redis as unknown as Redis, 'p:');
	return { redis, counters };
}

const retriesSpent = Object.assign(new Error('Reached the max retries per request limit'), {
	name: 'MaxRetriesPerRequestError'
});

describe('RedisCounters', () => {
	it('counts in Redis while it is reachable', async () => {
		const { redis, counters } = setUp();
		expect((await counters.hit('k', 60_000)).count).toBe(1);
		expect((await counters.hit('k', 60_000)).count).toBe(2);
		expect(redis.counts.get('p:k')).toBe(2);
	});

	it('counts in memory, without asking, while a lost connection is not ready again', async () => {
		const { redis, counters } = setUp();
		await counters.hit('k', 60_000);
		redis.status = 'reconnecting';
		redis.failWith = new Error('must not be asked');
		expect((await counters.hit('k', 60_000)).count).toBe(1);
		expect((await counters.hit('k', 60_000)).count).toBe(2);
		redis.status = 'ready';
		redis.failWith = null;
		expect((await counters.hit('k', 60_000)).count).toBe(2); // Redis's own window again
	});

	it('falls back when a command fails for want of a connection', async () => {
		const { redis, counters } = setUp();
		for (const error of [
			retriesSpent,
			new Error('Connection is closed.'),
			Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' })
		]) {
			redis.failWith = error;
			await expect(counters.hit('k', 60_000)).resolves.toMatchObject({ count: expect.any(Number) });
			await expect(counters.clear('k')).resolves.toBeUndefined();
		}
	});

	it('lets any other failure through, so a fault is seen rather than hidden', async () => {
		const { redis, counters } = setUp();
		redis.failWith = new Error("READONLY You can't write against a read only replica.");
		await expect(counters.hit('k', 60_000)).rejects.toThrow('READONLY');
	});

	it('counts in memory when the first connection fails (Redis down at start)', async () => {
		const redis = new FakeRedis();
		redis.status = 'connecting';
		const counters = new RedisCounters(redis as unknown as Redis, 'p:');
		redis.emit('error', Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }));
		redis.failWith = new Error('must not be asked');
		expect((await counters.hit('k', 60_000)).count).toBe(1);
		redis.status = 'ready';
		redis.failWith = null;
		redis.emit('ready');
		expect((await counters.hit('k', 60_000)).count).toBe(1); // Redis's own window
		expect(redis.counts.get('p:k')).toBe(1);
	});

	it('clears in Redis, once it is back, what was cleared while it was out of reach', async () => {
		const { redis, counters } = setUp();
		await counters.hit('failures', 60_000);
		await counters.hit('other', 60_000);
		redis.status = 'reconnecting';
		redis.failWith = new Error('must not be asked');
		await counters.clear('failures'); // a login that succeeded during the outage
		expect(redis.counts.get('p:failures')).toBe(1);
		redis.status = 'ready';
		redis.failWith = null;
		redis.emit('ready');
		await expect.poll(() => redis.counts.has('p:failures')).toBe(false);
		expect(redis.counts.get('p:other')).toBe(1);
		expect((await counters.hit('failures', 60_000)).count).toBe(1);
	});

	it('waits for the first connection instead of counting in memory before it', async () => {
		const redis = new FakeRedis();
		redis.status = 'connecting';
		const counters = new RedisCounters(redis as unknown as Redis, 'p:');
		expect((await counters.hit('k', 60_000)).count).toBe(1);
		expect(redis.counts.get('p:k')).toBe(1); // asked (ioredis would queue it until connected)
	});
});
