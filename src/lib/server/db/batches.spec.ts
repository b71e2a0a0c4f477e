import { describe, expect, it } from 'vitest';
import { batches } from './batches.ts';

describe('batches', () => {
	it('slices by row count, in order, the last slice shorter', () => {
		expect([...batches([1, 2, 3, 4, 5], { rows: 2 })]).toEqual([[1, 2], [3, 4], [5]]);
		expect([...batches([], { rows: 2 })]).toEqual([]);
	});

	it('closes a slice before the weight would pass the limit; a heavy row goes alone', () => {
		const rows = [3, 3, 3, 10, 1, 1];
		expect([...batches(rows, { rows: 100, chars: 7, weigh: (n) => n })]).toEqual([
			[3, 3],
			[3],
			[10],
			[1, 1]
		]);
	});
});
