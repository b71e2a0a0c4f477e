import { describe, expect, it } from 'vitest';
import { TurnBatch } from './turn-batch.ts';

/** Waits (in turns, not fixed sleeps) until `condition` holds. */
async function until(condition: () => boolean): Promise<void> {
	while (!condition()) await new Promise((resolve) => setImmediate(resolve));
}

/** Lets `count` turns of the event loop pass (for what must not have happened by then). */
async function turns(count: number): Promise<void> {
	for (let i = 0; i < count; i++) await new Promise((resolve) => setImmediate(resolve));
}

function squares(calls: number[][]) {
	return new TurnBatch<number, number>(
		async (keys) => {
			calls.push(keys);
			return new Map(keys.filter((k) => k >= 0).map((k) => [k, k * k]));
		},
		{ maxKeys: 3 }
	);
}

describe('TurnBatch', () => {
	it('answers the lookups of one turn with one query, once per distinct key', async () => {
		const calls: number[][] = [];
		const batch = squares(calls);
		const answers = await Promise.all([batch.get(2), batch.get(3), batch.get(2)]);
		expect(answers).toEqual([4, 9, 4]);
		expect(calls).toEqual([[2, 3]]);
	});

	it('gathers lookups made in separate callbacks of the same turn', async () => {
		const calls: number[][] = [];
		const batch = squares(calls);
		// Two immediates queued together run in one check phase, as socket callbacks do in a poll
		// phase: microtasks run between them, so only a batch run at the next setImmediate sees
		// both. (Two 1 ms timers were used here first; created on either side of a millisecond
		// they can fire in different turns, and a CI run failed so.)
		const answers = await Promise.all(
			[1, 2].map((k) => new Promise((resolve) => setImmediate(() => resolve(batch.get(k)))))
		);
		expect(answers).toEqual([1, 4]);
		expect(calls).toEqual([[1, 2]]);
	});

	it('splits a large turn into queries of at most maxKeys', async () => {
		const calls: number[][] = [];
		const batch = squares(calls);
		await Promise.all([1, 2, 3, 4, 5].map((k) => batch.get(k)));
		expect(calls).toEqual([
			[1, 2, 3],
			[4, 5]
		]);
		expect(batch.queries).toBe(2);
	});

	it('gathers the lookups asked for while a query runs into the next one', async () => {
		const calls: number[][] = [];
		const release: (() => void)[] = [];
		const batch = new TurnBatch<number, number>(async (keys) => {
			calls.push(keys);
			await new Promise<void>((resolve) => release.push(resolve));
			return new Map(keys.map((k) => [k, k]));
		});
		const first = batch.get(1);
		await until(() => calls.length === 1);
		// Asked for in later turns, while the first query runs: no query of their own yet.
		const later = [2, 1, 3].map(
			(k) => new Promise((resolve) => setImmediate(() => resolve(batch.get(k))))
		);
		await turns(5);
		expect(calls).toEqual([[1]]);
		release.shift()!();
		expect(await first).toBe(1);
		await until(() => calls.length === 2);
		// Key 1 again too: an answer read before it was asked for is never given.
		expect(calls[1]).toEqual([2, 1, 3]);
		release.shift()!();
		expect(await Promise.all(later)).toEqual([2, 1, 3]);
	});

	it('runs up to maxInFlight queries at once', async () => {
		const calls: number[][] = [];
		const release: (() => void)[] = [];
		const batch = new TurnBatch<number, number>(
			async (keys) => {
				calls.push(keys);
				await new Promise<void>((resolve) => release.push(resolve));
				return new Map(keys.map((k) => [k, k]));
			},
			{ maxKeys: 1, maxInFlight: 2 }
		);
		const answers = Promise.all([1, 2, 3].map((k) => batch.get(k)));
		await until(() => calls.length === 2);
		await turns(5);
		expect(calls).toEqual([[1], [2]]);
		release.shift()!();
		await until(() => calls.length === 3);
		release.shift()!();
		release.shift()!();
		expect(await answers).toEqual([1, 2, 3]);
	});

	it('resolves keys the query did not find to undefined', async () => {
		const batch = squares([]);
		expect(await Promise.all([batch.get(-1), batch.get(1)])).toEqual([undefined, 1]);
	});

	it('rejects every lookup of a failed query, and the next turn queries again', async () => {
		let fail = true;
		const batch = new TurnBatch<number, number>(async (keys) => {
			if (fail) throw new Error('database away');
			return new Map(keys.map((k) => [k, k]));
		});
		const results = await Promise.allSettled([batch.get(1), batch.get(2)]);
		expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected']);
		fail = false;
		expect(await batch.get(1)).toBe(1);
	});
});
