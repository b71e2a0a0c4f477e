import { describe, expect, it } from 'vitest';
import type { ColumnView, TaskView } from '$lib/domain/board';
import { indexAmongOthers } from './placement';

const column = {
	id: 'c',
	tasks: ['a', 'b', 'c', 'd'].map((id) => ({ id }) as TaskView)
} as ColumnView;

describe('indexAmongOthers', () => {
	it('counts the cards in front of the neighbour, leaving out the moving card', () => {
		expect(indexAmongOthers(column, { taskId: 'c', movingId: 'x' })).toBe(2);
		expect(indexAmongOthers(column, { taskId: 'c', movingId: 'a' })).toBe(1);
		expect(indexAmongOthers(column, { taskId: 'c', movingId: 'd' })).toBe(2);
	});

	it('goes behind the neighbour when asked', () => {
		expect(indexAmongOthers(column, { taskId: 'd', movingId: 'a', after: true })).toBe(3);
		expect(indexAmongOthers(column, { taskId: 'a', movingId: 'x', after: true })).toBe(1);
	});

	it('falls back to the end for a neighbour that is gone', () => {
		expect(indexAmongOthers(column, { taskId: 'gone', movingId: 'b' })).toBe(3);
	});
});
