/**
 * What the admin System tab reads about the cluster. Every instance keeps its minute ring and,
 * when Redis is configured, publishes a heartbeat (its live figures and the ring) every 5 s into
 * one Redis hash; readers take the whole hash (O(instances)) and skip entries older than 15 s,
 * so a crashed instance drops out by itself. Without Redis the cluster is this instance.
 */
import type { Redis } from 'ioredis';
import type { Logger } from '../log.ts';
import type { Figures } from '../metrics/figures.ts';
import type { LiveSources } from '../metrics/metrics.ts';
import { latencyBoundsMs, MinuteRing, type MinuteSample } from './minute-ring.ts';

const heartbeatMs = 5000;
const staleMs = 15_000;
const hashKey = 'taskflow:instances';

export interface InstanceBeat {
	id: string;
	startedAt: string;
	/** When this heartbeat was taken (epoch ms). */
	at: number;
	connections: number;
	authenticatedConnections: number;
	boardsLoaded: number;
	samples: MinuteSample[];
}

/** A sample as this version writes it (its histogram of the same buckets). */
function isSample(value: unknown): boolean {
	const sample = value as Partial<MinuteSample> | null;
	return (
		typeof sample === 'object' &&
		sample !== null &&
		['minute', 'requests', 'errors', 'connections', 'updates'].every(
			(key) => typeof sample[key as keyof MinuteSample] === 'number'
		) &&
		Array.isArray(sample.latency) &&
		sample.latency.length === latencyBoundsMs.length + 1 &&
		sample.latency.every((count) => typeof count === 'number')
	);
}

/**
 * A heartbeat as read back from Redis, or null for one that is not (another program's entry,
 * a half-written value): it is skipped and removed, never a 500 for the whole System tab.
 */
function readBeat(value: string): InstanceBeat | null {
	try {
		const beat = JSON.parse(value) as Partial<InstanceBeat> | null;
		return beat &&
			typeof beat.at === 'number' &&
			typeof beat.startedAt === 'string' &&
			Array.isArray(beat.samples) &&
			beat.samples.every(isSample)
			? (beat as InstanceBeat)
			: null;
	} catch {
		return null;
	}
}

export class SystemMonitor {
	readonly ring = new MinuteRing();
	readonly #id: string;
	readonly #startedAt = new Date().toISOString();
	readonly #redis: Redis | null;
	readonly #log: Logger;
	readonly #figures: () => Promise<Figures | null>;
	#live: LiveSources | null = null;
	#timer: ReturnType<typeof setInterval> | null = null;
	#failing = false;

	constructor(options: {
		instanceId: string;
		redis: Redis | null;
		log: Logger;
		figures: () => Promise<Figures | null>;
	}) {
		this.#id = options.instanceId;
		this.#redis = options.redis;
		this.#log = options.log;
		this.#figures = options.figures;
	}

	/** The collaboration server's live figures (the same ones the metrics gauges read). */
	watch(live: LiveSources): void {
		this.#live = live;
	}

	start(): void {
		void this.#beat();
		this.#timer = setInterval(() => void this.#beat(), heartbeatMs);
		this.#timer.unref();
	}

	async stop(): Promise<void> {
		if (this.#timer) clearInterval(this.#timer);
		this.#timer = null;
		await this.#redis?.hdel(hashKey, this.#id).catch(() => undefined);
	}

	figures(): Promise<Figures | null> {
		return this.#figures();
	}

	/** This instance's heartbeat, taken now. */
	self(): InstanceBeat {
		const now = Date.now();
		const connections = this.#live?.websocketConnections() ?? 0;
		this.ring.connections(connections, now);
		return {
			id: this.#id,
			startedAt: this.#startedAt,
			at: now,
			connections,
			authenticatedConnections: this.#live?.authenticatedConnections() ?? 0,
			boardsLoaded: this.#live?.boardsLoaded() ?? 0,
			samples: this.ring.samples(now)
		};
	}

	/** Every live instance, this one first and current (not its last heartbeat). */
	async instances(): Promise<InstanceBeat[]> {
		const self = this.self();
		if (!this.#redis) return [self];
		const others: InstanceBeat[] = [];
		let all: Record<string, string>;
		try {
			all = await this.#redis.hgetall(hashKey);
		} catch {
			// Redis is down: the tab shows that under dependencies, and this instance meanwhile.
			return [self];
		}
		for (const [id, value] of Object.entries(all)) {
			if (id === this.#id) continue;
			const beat = readBeat(value);
			if (beat && self.at - beat.at < staleMs) others.push(beat);
		}
		others.sort((a, b) => a.startedAt.localeCompare(b.startedAt));
		return [self, ...others];
	}

	async #beat(): Promise<void> {
		const self = this.self();
		if (!this.#redis) return;
		try {
			const all = await this.#redis.hgetall(hashKey);
			const stale = Object.entries(all)
				.filter(([, value]) => {
					const beat = readBeat(value);
					return !beat || self.at - beat.at >= staleMs;
				})
				.map(([id]) => id);
			const write = this.#redis.multi().hset(hashKey, this.#id, JSON.stringify(self));
			// Whoever notices a dead instance's entry removes it; the hash itself expires if every
			// instance stops.
			if (stale.length > 0) write.hdel(hashKey, ...stale);
			await write.pexpire(hashKey, staleMs).exec();
			this.#failing = false;
		} catch (error) {
			// Once per outage, not every 5 s (readiness already reports Redis down).
			if (!this.#failing) this.#log.warn({ err: error }, 'system: heartbeat failed');
			this.#failing = true;
		}
	}
}
