import { describe, expect, it } from 'vitest';
import { StorePacer } from './store-pacer.ts';

/** When each of `count` turns asked at once resolved, in ms after the asking. */
async function startTimes(pacer: StorePacer, count: number): Promise<number[]> {
	const asked = performance.now();
	return Promise.all(
		Array.from({ length: count }, () => pacer.turn().then(() => performance.now() - asked))
	);
}

// Timers fire late on a busy machine, and early by under 2 ms (node rounds their delay to whole
// ms): lower bounds allow a few ms for that, upper bounds only for lateness.
const early = 5;

describe('StorePacer', () => {
	it('starts a lone store at once, and again once the interval has passed', async () => {
		const pacer = new StorePacer({ intervalMs: 30, maxWaitMs: 5000 });
		const [first] = await startTimes(pacer, 1);
		expect(first).toBeLessThan(25);
		await new Promise((resolve) => setTimeout(resolve, 60));
		const [later] = await startTimes(pacer, 1);
		expect(later).toBeLessThan(25);
	});

	it('gives stores that arrive together one slot each, the interval apart, in arrival order', async () => {
		const pacer = new StorePacer({ intervalMs: 40, maxWaitMs: 5000 });
		const times = await startTimes(pacer, 4);
		times.forEach((time, slot) => expect(time).toBeGreaterThanOrEqual(slot * 40 - early));
		for (let i = 1; i < times.length; i++) expect(times[i]).toBeGreaterThanOrEqual(times[i - 1]!);
	});

	it('never makes a store wait longer than maxWaitMs, however many queue', async () => {
		const pacer = new StorePacer({ intervalMs: 100, maxWaitMs: 150 });
		const times = await startTimes(pacer, 6);
		expect(times[1]).toBeGreaterThanOrEqual(100 - early);
		// Unbounded, the sixth would start at 500 ms; bounded, the last four start at 150 ms.
		expect(times[5]).toBeGreaterThanOrEqual(150 - early);
		expect(times[5]).toBeLessThan(450);
		// The capped ones share one deadline, so they fire together, however late.
		expect(times[5]! - times[2]!).toBeLessThan(20);
	});

	it('lets waiting stores go at once on release, and later ones without waiting', async () => {
		const pacer = new StorePacer({ intervalMs: 10_000, maxWaitMs: 60_000 });
		const asked = performance.now();
		const turns = [pacer.turn(), pacer.turn(), pacer.turn()];
		pacer.release();
		await Promise.all(turns);
		await pacer.turn();
		// Unreleased, the third turn alone would wait 20 s (the test would time out).
		expect(performance.now() - asked).toBeLessThan(1000);
	});
});
