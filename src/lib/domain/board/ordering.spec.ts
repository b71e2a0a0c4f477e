import { describe, expect, it } from 'vitest';
import { DomainError } from './errors.ts';
import { anchorIndex, planInsert, ranksBetween } from './ordering.ts';
import { isValidRank } from './rank.ts';
import { createRandom } from './testing.ts';

/**
 * Applies a plan and checks what it promises: the list stays sorted, so existing items keep
 * their order (untouched ties still fall back to ids), and every rank written (the new item's
 * and any re-ranked neighbour's) is well-formed and strictly between its neighbours.
 */
function apply(ranks: readonly string[], index: number): string[] {
	const plan = planInsert(ranks, index);
	const result = [...ranks];
	const written = new Set<number>();
	for (const { index: at, rank } of plan.reranked) {
		result[at] = rank;
		written.add(at < index ? at : at + 1);
	}
	result.splice(index, 0, plan.rank);
	written.add(index);
	for (let i = 1; i < result.length; i++) {
		expect((result[i - 1] as string) <= (result[i] as string)).toBe(true);
	}
	for (const i of written) {
		expect(isValidRank(result[i])).toBe(true);
		if (i > 0) expect((result[i - 1] as string) < (result[i] as string)).toBe(true);
		if (i < result.length - 1) expect((result[i] as string) < (result[i + 1] as string)).toBe(true);
	}
	return result;
}

function expectStrictlyAscending(ranks: readonly string[]) {
	for (let i = 0; i < ranks.length; i++) {
		expect(isValidRank(ranks[i])).toBe(true);
		if (i > 0) expect((ranks[i - 1] as string) < (ranks[i] as string)).toBe(true);
	}
}

describe('planInsert', () => {
	it('ranks only the new item when there is room', () => {
		const plan = planInsert(['a0', 'a1', 'a2'], 1);
		expect(plan.reranked).toEqual([]);
		expect('a0' < plan.rank && plan.rank < 'a1').toBe(true);
	});

	it('appends and prepends', () => {
		expectStrictlyAscending(apply(['a0', 'a1'], 2));
		expectStrictlyAscending(apply(['a0', 'a1'], 0));
		expectStrictlyAscending(apply([], 0));
	});

	it('re-ranks the next neighbour when two concurrent inserts share a rank', () => {
		const plan = planInsert(['a0', 'a1', 'a1', 'a2'], 2);
		expect(plan.reranked.map((entry) => entry.index)).toEqual([2]);
		expectStrictlyAscending(apply(['a0', 'a1', 'a1', 'a2'], 2));
	});

	it('re-ranks a run of equal ranks as far as needed', () => {
		expectStrictlyAscending(apply(['a1', 'a1', 'a1', 'a1'], 1).slice(1));
		expect(apply(['a1', 'a1', 'a1', 'a1'], 4)).toHaveLength(5);
	});

	it('repairs malformed ranks written by another client', () => {
		expectStrictlyAscending(apply(['', '', 'a0'], 1));
		expectStrictlyAscending(apply(['a0', '~~', '~~'], 3));
		expectStrictlyAscending(apply(['A' + '0'.repeat(26)], 0));
	});

	it('keeps random lists with ties and garbage repairable (property)', () => {
		for (let seed = 1; seed <= 200; seed++) {
			const random = createRandom(seed);
			const pool = ['', 'a0', 'a0', 'a1', 'a1V', 'b00', 'zz', '!', 'Zz'];
			const ranks = Array.from({ length: random.int(8) }, () => random.pick(pool)).sort();
			expect(apply(ranks, random.int(ranks.length + 1))).toHaveLength(ranks.length + 1);
		}
	});
});

describe('ranksBetween', () => {
	it('spreads ascending ranks between the bounds', () => {
		const ranks = ranksBetween('a0', 'a1', 7);
		expect(ranks).toHaveLength(7);
		expectStrictlyAscending(['a0', ...ranks, 'a1']);
		expect(ranksBetween(null, null, 0)).toEqual([]);
	});
});

describe('anchorIndex', () => {
	const ids = ['x', 'y', 'z'];
	const fields = { after: 'afterId', before: 'beforeId' };

	it('places last without anchors', () => {
		expect(anchorIndex(ids, undefined, undefined, fields)).toBe(3);
		expect(anchorIndex(ids, null, null, fields)).toBe(3);
	});

	it('places after or before an anchor, or between adjacent anchors', () => {
		expect(anchorIndex(ids, 'x', undefined, fields)).toBe(1);
		expect(anchorIndex(ids, undefined, 'x', fields)).toBe(0);
		expect(anchorIndex(ids, 'y', 'z', fields)).toBe(2);
	});

	it('refuses unknown or non-adjacent anchors, naming the field', () => {
		const refusal = (after: string | undefined, before: string | undefined) => {
			try {
				anchorIndex(ids, after, before, fields);
			} catch (error) {
				return error instanceof DomainError ? [error.code, error.field] : error;
			}
			return null;
		};
		expect(refusal('nope', undefined)).toEqual(['invalid_position', 'afterId']);
		expect(refusal(undefined, 'nope')).toEqual(['invalid_position', 'beforeId']);
		expect(refusal('x', 'z')).toEqual(['invalid_position', 'beforeId']);
		expect(refusal('z', 'x')).toEqual(['invalid_position', 'beforeId']);
	});
});
