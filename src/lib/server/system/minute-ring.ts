/**
 * The last hour of one instance's traffic in 60 one-minute samples, for the admin System tab's
 * charts. Recording is O(1) and allocation-free (bump counters of the current minute's slot);
 * latency keeps a small fixed histogram per minute, so p95 can be read for one instance or for
 * the cluster by adding the histograms of every instance first.
 */

/** Upper bounds (ms) of the latency buckets; the last bucket is everything slower. */
export const latencyBoundsMs = [5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000] as const;
const slots = 60;
const minuteMs = 60_000;

/** One minute as published with the heartbeat (plain numbers: it travels as JSON). */
export interface MinuteSample {
	/** Start of the minute, epoch milliseconds. */
	minute: number;
	requests: number;
	errors: number;
	/** Request counts per latency bucket (`latencyBoundsMs`, then one for slower). */
	latency: number[];
	/** The most websocket connections seen in the minute. */
	connections: number;
	updates: number;
}

export class MinuteRing {
	readonly #slots: MinuteSample[] = Array.from({ length: slots }, () => ({
		minute: -1,
		requests: 0,
		errors: 0,
		latency: new Array<number>(latencyBoundsMs.length + 1).fill(0),
		connections: 0,
		updates: 0
	}));

	/** The slot of `now`'s minute, cleared if it last held a minute an hour (or more) ago. */
	#slot(now: number): MinuteSample {
		const minute = Math.floor(now / minuteMs) * minuteMs;
		const slot = this.#slots[(minute / minuteMs) % slots]!;
		if (slot.minute !== minute) {
			slot.minute = minute;
			slot.requests = 0;
			slot.errors = 0;
			slot.latency.fill(0);
			slot.connections = 0;
			slot.updates = 0;
		}
		return slot;
	}

	request(durationMs: number, status: number, now = Date.now()): void {
		const slot = this.#slot(now);
		slot.requests += 1;
		if (status >= 500) slot.errors += 1;
		let bucket = 0;
		while (bucket < latencyBoundsMs.length && durationMs > latencyBoundsMs[bucket]!) bucket += 1;
		slot.latency[bucket]! += 1;
	}

	updates(count: number, now = Date.now()): void {
		this.#slot(now).updates += count;
	}

	connections(open: number, now = Date.now()): void {
		const slot = this.#slot(now);
		slot.connections = Math.max(slot.connections, open);
	}

	/** The minutes of the last hour that saw anything, oldest first (copies). */
	samples(now = Date.now()): MinuteSample[] {
		const oldest = Math.floor(now / minuteMs) * minuteMs - (slots - 1) * minuteMs;
		return this.#slots
			.filter((s) => s.minute >= oldest)
			.sort((a, b) => a.minute - b.minute)
			.map((s) => ({ ...s, latency: [...s.latency] }));
	}
}

/** One chart point of the cluster: the instances' samples of one minute added together. */
export interface SeriesPoint {
	minute: number;
	requestsPerSecond: number;
	/** Upper bound of the bucket holding the 95th percentile; null without requests. */
	p95Ms: number | null;
	/** Share of requests answered 5xx, 0..1. */
	errorRate: number;
	connections: number;
	updatesPerSecond: number;
}

/** Adds up the instances' samples minute by minute (every minute of the hour, gaps as zero). */
export function mergeSeries(instances: readonly MinuteSample[][], now = Date.now()): SeriesPoint[] {
	const last = Math.floor(now / minuteMs) * minuteMs;
	const byMinute = new Map<number, MinuteSample>();
	for (let i = slots - 1; i >= 0; i -= 1) {
		const minute = last - i * minuteMs;
		byMinute.set(minute, {
			minute,
			requests: 0,
			errors: 0,
			latency: new Array<number>(latencyBoundsMs.length + 1).fill(0),
			connections: 0,
			updates: 0
		});
	}
	for (const samples of instances) {
		for (const s of samples) {
			const sum = byMinute.get(s.minute);
			if (!sum) continue;
			sum.requests += s.requests;
			sum.errors += s.errors;
			s.latency.forEach((n, i) => (sum.latency[i]! += n));
			sum.connections += s.connections;
			sum.updates += s.updates;
		}
	}
	return [...byMinute.values()].map((s) => ({
		minute: s.minute,
		requestsPerSecond: s.requests / 60,
		p95Ms: percentile(s.latency, 0.95),
		errorRate: s.requests > 0 ? s.errors / s.requests : 0,
		connections: s.connections,
		updatesPerSecond: s.updates / 60
	}));
}

/** The upper bound of the bucket holding quantile `q`; the open last bucket reads as twice the last bound. */
export function percentile(latency: readonly number[], q: number): number | null {
	const total = latency.reduce((a, b) => a + b, 0);
	if (total === 0) return null;
	const rank = Math.ceil(total * q);
	let seen = 0;
	for (let i = 0; i < latency.length; i += 1) {
		seen += latency[i]!;
		if (seen >= rank) return latencyBoundsMs[i] ?? latencyBoundsMs.at(-1)! * 2;
	}
	return null;
}
