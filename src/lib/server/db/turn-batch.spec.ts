import { describe, expect, it } from 'vitest';
import { TurnBatch } from './turn-batch.ts';

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
		// Two timers of the same delay fire in one timers phase, as socket callbacks do in a poll
		// phase: microtasks run between them, so only setImmediate sees both.
		const answers = await Promise.all(
			[1, 2].map((k) => new Promise((resolve) => setTimeout(() => resolve(batch.get(k)), 1)))
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
