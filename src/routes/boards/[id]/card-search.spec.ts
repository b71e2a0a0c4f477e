import { describe, expect, it } from 'vitest';
import type { ColumnView, TaskView } from '$lib/domain/board';
import { matchCards } from './card-search';

function column(title: string, titles: string[]): ColumnView {
	const tasks = titles.map((task, index) => ({ id: `${title}-${index}`, title: task }) as TaskView);
	return {
		id: title,
		title,
		rank: 'a',
		category: 'todo',
		wipLimit: null,
		taskCount: tasks.length,
		tasks
	} as ColumnView;
}

const columns = [
	column('To do', ['Card number 12', 'Card number 1', 'Write copy']),
	column('Done', ['Old card number 1', 'card number 1'])
];

describe('matchCards', () => {
	it('puts exact titles first, then prefixes, then the rest, ignoring case', () => {
		expect(matchCards(columns, '  CARD number 1 ').map((match) => match.id)).toEqual([
			'To do-1',
			'Done-1',
			'To do-0',
			'Done-0'
		]);
	});

	it('names the column of each match', () => {
		expect(matchCards(columns, 'write')).toEqual([
			{ id: 'To do-2', title: 'Write copy', columnTitle: 'To do' }
		]);
	});

	it('offers nothing for an empty query and at most the limit', () => {
		expect(matchCards(columns, '   ')).toEqual([]);
		expect(matchCards(columns, 'card', 2)).toHaveLength(2);
	});
});
