import { describe, expect, it } from 'vitest';
import { mergeSeries, MinuteRing, percentile } from './minute-ring.ts';

const minute = 60_000;
const t0 = Date.UTC(2026, 0, 1, 12, 0, 0);

describe('MinuteRing', () => {
	it('counts requests, 5xx and latency buckets per minute', () => {
		const ring = new MinuteRing();
		ring.request(3, 200, t0);
		ring.request(40, 503, t0 + 59_000);
		ring.request(700, 200, t0 + minute);
		const [first, second] = ring.samples(t0 + minute);
		expect(first).toMatchObject({ minute: t0, requests: 2, errors: 1 });
		expect(first!.latency.slice(0, 4)).toEqual([1, 0, 0, 1]);
		expect(second).toMatchObject({ minute: t0 + minute, requests: 1, errors: 0 });
		expect(second!.latency[7]).toBe(1);
	});

	it('keeps 60 minutes: a slot an hour old is reused, minutes older than the hour drop out', () => {
		const ring = new MinuteRing();
		ring.request(1, 200, t0);
		ring.request(1, 200, t0 + 30 * minute);
		expect(ring.samples(t0 + 59 * minute)).toHaveLength(2);
		expect(ring.samples(t0 + 60 * minute).map((s) => s.minute)).toEqual([t0 + 30 * minute]);
		ring.request(1, 200, t0 + 60 * minute);
		const samples = ring.samples(t0 + 60 * minute);
		expect(samples.map((s) => [s.minute, s.requests])).toEqual([
			[t0 + 30 * minute, 1],
			[t0 + 60 * minute, 1]
		]);
	});

	it('keeps the most connections and adds updates within a minute', () => {
		const ring = new MinuteRing();
		ring.connections(3, t0);
		ring.connections(1, t0 + 1000);
		ring.updates(2, t0);
		ring.updates(5, t0 + 2000);
		expect(ring.samples(t0)[0]).toMatchObject({ connections: 3, updates: 7 });
	});

	it('hands out copies', () => {
		const ring = new MinuteRing();
		ring.request(1, 200, t0);
		ring.samples(t0)[0]!.latency[0] = 99;
		expect(ring.samples(t0)[0]!.latency[0]).toBe(1);
	});
});

describe('percentile', () => {
	it('is the upper bound of the bucket holding the rank, null without requests', () => {
		expect(percentile([0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0], 0.95)).toBeNull();
		expect(percentile([95, 5, 0, 0, 0, 0, 0, 0, 0, 0, 0], 0.95)).toBe(5);
		expect(percentile([94, 6, 0, 0, 0, 0, 0, 0, 0, 0, 0], 0.95)).toBe(10);
		expect(percentile([0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1], 0.95)).toBe(10_000);
	});
});

describe('mergeSeries', () => {
	it('sums instances minute by minute over the whole hour, p95 from the merged histograms', () => {
		const a = new MinuteRing();
		const b = new MinuteRing();
		for (let i = 0; i < 60; i += 1) a.request(3, 200, t0);
		a.request(3, 500, t0);
		b.request(300, 200, t0 + 1000);
		b.request(300, 200, t0 + 1000);
		b.request(300, 200, t0 + 1000);
		b.connections(4, t0);
		a.connections(2, t0);
		const series = mergeSeries([a.samples(t0), b.samples(t0)], t0 + minute);
		expect(series).toHaveLength(60);
		expect(series[59]!.requestsPerSecond).toBe(0);
		expect(series[59]!.p95Ms).toBeNull();
		const point = series[58]!;
		expect(point.minute).toBe(t0);
		expect(point.requestsPerSecond).toBeCloseTo(64 / 60);
		expect(point.errorRate).toBeCloseTo(1 / 64);
		expect(point.connections).toBe(6);
		// 61 of 64 under 5 ms: the 95th percentile (rank 61) is still in the first bucket; one more
		// slow request moves it to the 500 ms bucket.
		expect(point.p95Ms).toBe(5);
		b.request(300, 200, t0);
		expect(mergeSeries([a.samples(t0), b.samples(t0)], t0)[59]!.p95Ms).toBe(500);
	});
});
