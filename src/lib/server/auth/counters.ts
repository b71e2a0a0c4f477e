/**
 * Fixed-window counters for throttling. Redis-backed when the process runs as one of several
 * instances, so a limit holds cluster-wide; in memory otherwise.
 */
import type { Redis } from 'ioredis';

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

export class RedisCounters implements CounterStore {
	private readonly redis: Redis;
	private readonly prefix: string;

	constructor(redis: Redis, prefix = 'tf:counter:') {
		this.redis = redis;
		this.prefix = prefix;
	}

	async hit(key: string, windowMs: number): Promise<Window> {
		const k = this.prefix + key;
		const result = await this.redis.multi().incr(k).pexpire(k, windowMs, 'NX').pttl(k).exec();
		const count = Number(result?.[0]?.[1] ?? 1);
		const ttl = Number(result?.[2]?.[1] ?? windowMs);
		return { count, resetInMs: ttl > 0 ? ttl : windowMs };
	}

	async release(key: string): Promise<void> {
		// A plain DECR on an expired key would create one at -1 with no expiry.
		await this.redis.eval(releaseScript, 1, this.prefix + key);
	}

	async clear(key: string): Promise<void> {
		await this.redis.del(this.prefix + key);
	}
}

const releaseScript = `
if (tonumber(redis.call('get', KEYS[1]) or '0') > 0) then
	return redis.call('decr', KEYS[1])
end
return 0`;
