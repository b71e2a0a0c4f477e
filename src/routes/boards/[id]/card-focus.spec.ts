import { describe, expect, it } from 'vitest';
import type { ColumnView, TaskView } from '$lib/domain/board';
import { neighbourCard } from './card-focus';

const columnOf = (id: string, ids: string[]) =>
	({ id, tasks: ids.map((task) => ({ id: task }) as TaskView) }) as ColumnView;

const columns = [columnOf('todo', ['a', 'b', 'c']), columnOf('empty', []), columnOf('done', ['x'])];

describe('neighbourCard', () => {
	it('moves up and down within the column and stops at its ends', () => {
		expect(neighbourCard(columns, { taskId: 'b', direction: 'up' })).toBe('a');
		expect(neighbourCard(columns, { taskId: 'b', direction: 'down' })).toBe('c');
		expect(neighbourCard(columns, { taskId: 'a', direction: 'up' })).toBeNull();
		expect(neighbourCard(columns, { taskId: 'c', direction: 'down', columnId: 'todo' })).toBeNull();
	});

	it('moves sideways to the nearest column with cards, as close to the same height as it has', () => {
		expect(neighbourCard(columns, { taskId: 'c', direction: 'right' })).toBe('x');
		expect(neighbourCard(columns, { taskId: 'x', direction: 'left' })).toBe('a');
		expect(neighbourCard(columns, { taskId: 'a', direction: 'left' })).toBeNull();
		expect(neighbourCard(columns, { taskId: 'x', direction: 'right' })).toBeNull();
	});

	it('finds the card when the column hint is stale, and gives null for a card not shown', () => {
		expect(neighbourCard(columns, { taskId: 'b', direction: 'down', columnId: 'done' })).toBe('c');
		expect(neighbourCard(columns, { taskId: 'gone', direction: 'down' })).toBeNull();
	});
});
