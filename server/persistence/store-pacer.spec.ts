import { describe, expect, it } from 'vitest';
import { StorePacer } from './store-pacer.ts';

/** When each of `count` turns asked at once resolved, in ms after the asking. */
async function startTimes(pacer: StorePacer, count: number): Promise<number[]> {
	const asked = performance.now();
	return Promise.all(
		Array.from({ length: count }, () => pacer.turn().then(() => performance.now() - asked))
	);
}

describe('StorePacer', () => {
	it('starts a lone store at once', async () => {
		const pacer = new StorePacer({ intervalMs: 1000, maxWaitMs: 5000 });
		const [first] = await startTimes(pacer, 1);
		expect(first).toBeLessThan(50);
		expect(pacer.waiting).toBe(0);
	});

	it('spaces stores that arrive together by the interval, in arrival order', async () => {
		const pacer = new StorePacer({ intervalMs: 40, maxWaitMs: 5000 });
		const times = await startTimes(pacer, 4);
		expect(times[0]).toBeLessThan(20);
		for (let i = 1; i < times.length; i++) {
			// Timers may fire a little late, never early (1 ms for timer rounding).
			expect(times[i]! - times[i - 1]!).toBeGreaterThanOrEqual(39);
		}
	});

	it('never makes a store wait longer than maxWaitMs, however many queue', async () => {
		const pacer = new StorePacer({ intervalMs: 100, maxWaitMs: 150 });
		const times = await startTimes(pacer, 6);
		// Unbounded, the sixth would wait 500 ms.
		expect(Math.max(...times)).toBeLessThan(400);
		expect(times[1]).toBeGreaterThanOrEqual(99);
	});

	it('lets waiting stores go at once on release, and later ones without waiting', async () => {
		const pacer = new StorePacer({ intervalMs: 10_000, maxWaitMs: 60_000 });
		const asked = performance.now();
		const turns = [pacer.turn(), pacer.turn(), pacer.turn()];
		expect(pacer.waiting).toBe(2);
		pacer.release();
		await Promise.all(turns);
		expect(performance.now() - asked).toBeLessThan(1000);
		expect(pacer.waiting).toBe(0);
		const later = performance.now();
		await pacer.turn();
		expect(performance.now() - later).toBeLessThan(1000);
	});
});
