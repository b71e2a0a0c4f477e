import { describe, expect, it } from 'vitest';
import { canRankBetween, compareRanked, isValidRank, rankBetween } from './rank.ts';
import { createRandom } from './testing.ts';

function expectBetween(a: string | null, b: string | null): string {
	const rank = rankBetween(a, b);
	expect(isValidRank(rank)).toBe(true);
	if (a !== null) expect(a < rank).toBe(true);
	if (b !== null) expect(rank < b).toBe(true);
	return rank;
}

describe('rankBetween', () => {
	it('starts an empty list with a short rank', () => {
		expect(expectBetween(null, null)).toBe('a0');
	});

	it('finds a rank between close neighbours', () => {
		expectBetween('a0', 'a1');
		expectBetween('a1', 'a1V');
		expectBetween('a1', 'a101');
		expectBetween('a1z', 'a2');
		expectBetween('Zz', 'a0');
		expectBetween('a0', 'b00');
		expectBetween('azzzz', 'b00');
		expectBetween(null, 'a01');
		expectBetween('zzzzzzzzzzzzzzzzzzzzzzzzzzz', null);
	});

	it('refuses neighbours out of order, equal or malformed', () => {
		expect(() => rankBetween('a1', 'a1')).toThrow(RangeError);
		expect(() => rankBetween('a2', 'a1')).toThrow(RangeError);
		expect(() => rankBetween('a10', null)).toThrow(RangeError);
		expect(() => rankBetween('', null)).toThrow(RangeError);
		expect(() => rankBetween(null, 'a!')).toThrow(RangeError);
		expect(() => rankBetween(null, 'A' + '0'.repeat(26))).toThrow(RangeError);
	});

	it('keeps 1,000 appends and 1,000 prepends short', () => {
		let last: string | null = null;
		for (let i = 0; i < 1000; i++) last = expectBetween(last, null);
		expect((last as string).length).toBeLessThan(10);
		let first: string | null = null;
		for (let i = 0; i < 1000; i++) first = expectBetween(null, first);
		expect((first as string).length).toBeLessThan(10);
	});

	it('grows slowly when inserting again and again at the same spot', () => {
		let high = rankBetween(null, null);
		const low = rankBetween(null, high);
		for (let i = 0; i < 1000; i++) high = expectBetween(low, high);
		// Each insert halves the gap, so a base-62 digit lasts five or six inserts.
		expect(high.length).toBeLessThan(250);
	});

	it('keeps any random sequence of inserts strictly ordered (property)', () => {
		for (let seed = 1; seed <= 100; seed++) {
			const random = createRandom(seed);
			const ranks: string[] = [];
			for (let step = 0; step < 200; step++) {
				const index = random.chance(0.3) ? ranks.length : random.int(ranks.length + 1);
				const rank = rankBetween(ranks[index - 1] ?? null, ranks[index] ?? null);
				ranks.splice(index, 0, rank);
			}
			for (let i = 1; i < ranks.length; i++) {
				if (!((ranks[i - 1] as string) < (ranks[i] as string)) || !isValidRank(ranks[i])) {
					throw new Error(`seed ${seed}: ${ranks[i - 1]} !< ${ranks[i]}`);
				}
			}
		}
	});
});

describe('isValidRank', () => {
	it('accepts integer parts of the right length with an optional fraction', () => {
		for (const rank of ['a0', 'az', 'b00', 'Zz', 'Y00', 'a0V', 'a01', 'z' + '0'.repeat(26)]) {
			expect(isValidRank(rank)).toBe(true);
		}
	});

	it('rejects malformed ranks', () => {
		for (const rank of ['', 'a', 'b0', 'a00', 'a0-', '0a', 'a0 ', 5, null, undefined]) {
			expect(isValidRank(rank)).toBe(false);
		}
	});
});

describe('canRankBetween', () => {
	it('says whether rankBetween would succeed', () => {
		expect(canRankBetween(null, null)).toBe(true);
		expect(canRankBetween('a0', 'a0')).toBe(false);
		expect(canRankBetween('a0', 'a1')).toBe(true);
		expect(canRankBetween('bogus!', null)).toBe(false);
		expect(canRankBetween(null, 'A' + '0'.repeat(26))).toBe(false);
	});
});

describe('compareRanked', () => {
	it('orders by rank, then by id', () => {
		const items = [
			{ rank: 'a1', id: 'b' },
			{ rank: 'a1', id: 'a' },
			{ rank: 'a0', id: 'z' }
		];
		expect(items.sort(compareRanked).map((item) => item.id)).toEqual(['z', 'a', 'b']);
	});
});
