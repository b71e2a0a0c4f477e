/**
 * Fixed-window counters for throttling. Redis-backed when the process runs as one of several
 * instances, so a limit holds cluster-wide; in memory otherwise.
 */
import type { Redis } from 'ioredis';
import { redisReach, type RedisReach } from '../redis-reach.ts';
import { isSocketError } from '../socket-errors.ts';

export interface Window {
	count: number;
	/** Milliseconds until the window resets. */
	resetInMs: number;
}

export interface CounterStore {
	/** Atomically adds one (starting a window when none is open) and returns the new count. */
	hit(key: string, windowMs: number): Promise<Window>;
	/** Takes back one `hit` of the open window; nothing when the window has ended. */
	release(key: string): Promise<void>;
	clear(key: string): Promise<void>;
}

export class MemoryCounters implements CounterStore {
	#windows = new Map<string, { count: number; resetAt: number }>();

	async hit(key: string, windowMs: number): Promise<Window> {
		const now = Date.now();
		let w = this.#windows.get(key);
		if (!w || w.resetAt <= now) {
			w = { count: 0, resetAt: now + windowMs };
			this.#windows.set(key, w);
		}
		w.count += 1;
		if (this.#windows.size > 100_000) this.#sweep(now);
		return { count: w.count, resetInMs: w.resetAt - now };
	}

	async release(key: string): Promise<void> {
		const w = this.#windows.get(key);
		if (w && w.resetAt > Date.now() && w.count > 0) w.count -= 1;
	}

	async clear(key: string): Promise<void> {
		this.#windows.delete(key);
	}

	#sweep(now: number) {
		for (const [key, w] of this.#windows) if (w.resetAt <= now) this.#windows.delete(key);
	}
}

/**
 * Counters in Redis, so a limit holds across instances. While Redis is out of reach each
 * instance counts in its own memory instead: limits hold per instance (an attacker gets one
 * budget per instance) rather than every API request and login failing with a 500 until Redis
 * is back, which is what a throwing counter did (tests/server/redis-outage.test.ts). A
 * connection lost and not ready again is not even asked, so requests do not wait out ioredis's
 * retries; a command that fails for want of a connection (Redis down since the start) falls
 * back too. The outage itself is logged by
 * `RedisConnections`.
 */
export class RedisCounters implements CounterStore {
	private readonly redis: Redis;
	private readonly prefix: string;
	private readonly local = new MemoryCounters();
	/**
	 * Before the first connection commands wait for it; an instance started while Redis is
	 * down counts in memory as soon as that connection fails.
	 */
	readonly #reach: RedisReach;
	/**
	 * Keys cleared while Redis was out of reach, cleared there too once it is back: a login that
	 * succeeded during an outage would otherwise leave the failures counted in Redis before it to
	 * count again afterwards, until their window ended. Bounded; the oldest go first.
	 */
	readonly #clearWhenBack = new Set<string>();

	constructor(redis: Redis, prefix = 'tf:counter:') {
		this.redis = redis;
		this.prefix = prefix;
		this.#reach = redisReach(redis);
		redis.on('ready', () => void this.#clearPending());
	}

	async hit(key: string, windowMs: number): Promise<Window> {
		const k = this.prefix + key;
		const result = await this.#shared(() =>
			this.redis.multi().incr(k).pexpire(k, windowMs, 'NX').pttl(k).exec()
		);
		if (result === unreachable) return this.local.hit(key, windowMs);
		const count = Number(result?.[0]?.[1] ?? 1);
		const ttl = Number(result?.[2]?.[1] ?? windowMs);
		return { count, resetInMs: ttl > 0 ? ttl : windowMs };
	}

	async release(key: string): Promise<void> {
		// A plain DECR on an expired key would create one at -1 with no expiry.
		const done = await this.#shared(() => this.redis.eval(releaseScript, 1, this.prefix + key));
		if (done === unreachable) await this.local.release(key);
	}

	async clear(key: string): Promise<void> {
		const done = await this.#shared(() => this.redis.del(this.prefix + key));
		if (done !== unreachable) return;
		await this.local.clear(key);
		this.#clearWhenBack.delete(key); // to the end of the order
		this.#clearWhenBack.add(key);
		if (this.#clearWhenBack.size > maxPendingClears) {
			this.#clearWhenBack.delete(this.#clearWhenBack.values().next().value!);
		}
	}

	async #clearPending(): Promise<void> {
		const keys = [...this.#clearWhenBack];
		if (keys.length === 0) return;
		this.#clearWhenBack.clear();
		try {
			await this.redis.del(...keys.map((key) => this.prefix + key));
		} catch {
			// Lost again: the next return tries them again (unless cleared or re-added since).
			for (const key of keys)
				if (this.#clearWhenBack.size < maxPendingClears) this.#clearWhenBack.add(key);
		}
	}

	async #shared<T>(command: () => Promise<T>): Promise<T | typeof unreachable> {
		if (this.#reach.down) return unreachable;
		try {
			return await command();
		} catch (error) {
			// Only a lost connection falls back; anything else (a script error, READONLY from a
			// replica after a failover) is a fault to see, not a reason to count per instance.
			if (isConnectionError(error)) return unreachable;
			throw error;
		}
	}
}

const unreachable = Symbol('redis unreachable');
const maxPendingClears = 10_000;

/** ioredis's ways of saying a command never reached Redis or its answer never came back. */
function isConnectionError(error: unknown): boolean {
	if (!(error instanceof Error)) return false;
	return (
		error.name === 'MaxRetriesPerRequestError' ||
		error.message === 'Connection is closed.' ||
		isSocketError(error)
	);
}

const releaseScript = `
if (tonumber(redis.call('get', KEYS[1]) or '0') > 0) then
	return redis.call('decr', KEYS[1])
end
return 0`;
