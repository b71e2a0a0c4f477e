import { describe, expect, it } from 'vitest';
import { linear, niceTicks, thinned } from './scale';

describe('linear', () => {
	it('maps zero and the maximum onto the ends, either way round', () => {
		const y = linear(10, 100, 0);
		expect(y(0)).toBe(100);
		expect(y(10)).toBe(0);
		expect(y(5)).toBe(50);
		expect(linear(0, 0, 50)(0)).toBe(0);
	});
});

describe('niceTicks', () => {
	it('covers the maximum with round whole steps', () => {
		expect(niceTicks(4)).toEqual([0, 1, 2, 3, 4]);
		expect(niceTicks(9)).toEqual([0, 2, 4, 6, 8, 10]);
		expect(niceTicks(47)).toEqual([0, 10, 20, 30, 40, 50]);
		expect(niceTicks(0)).toEqual([0, 1]);
		expect(niceTicks(0.4)).toEqual([0, 1]);
	});
});

describe('thinned', () => {
	it('keeps every nth item and the last', () => {
		expect(thinned([1, 2, 3], 5)).toEqual([1, 2, 3]);
		expect(thinned([1, 2, 3, 4, 5, 6, 7], 3)).toEqual([1, 4, 7]);
	});

	it('keeps no regular item closer than a step to the last (their labels would overlap)', () => {
		const days = Array.from({ length: 30 }, (_, i) => i);
		const kept = thinned(days, 8); // every 4th: 0, 4, …, 24, 28, and the last, 29
		expect(kept).toEqual([0, 4, 8, 12, 16, 20, 24, 29]);
		for (let k = 1; k < kept.length; k++) expect(kept[k]! - kept[k - 1]!).toBeGreaterThanOrEqual(4);
	});
});
