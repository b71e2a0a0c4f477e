import { describe, expect, it } from 'vitest';
import type { ColumnView, TaskView } from '$lib/domain/board';
import {
	ColumnFilter,
	boardLabels,
	compileFilter,
	emptyFilter,
	highlightParts,
	indexInColumn,
	isActive,
	parseFilter,
	searchText,
	totalOf,
	withFilter,
	type CardFilter
} from './card-filter';
import { beforeTaskId } from './placement';

function task(id: string, fields: Partial<TaskView> = {}): TaskView {
	return {
		id,
		title: id,
		description: '',
		columnId: 'c',
		rank: 'a',
		priority: 'medium',
		assigneeId: null,
		dueDate: null,
		labels: [],
		checklist: [],
		createdBy: 'u',
		createdAt: '2026-01-01T00:00:00Z',
		deletedAt: null,
		...fields
	};
}

function column(id: string, tasks: TaskView[], category: ColumnView['category'] = 'todo') {
	return { id, title: id, rank: 'a', category, wipLimit: null, taskCount: tasks.length, tasks };
}

// Friday 2026-12-04; the ISO week ends on Sunday 2026-12-06.
const context = { me: 'me-id', today: '2026-12-04' };
const test = (filter: Partial<CardFilter>) => {
	const compiled = compileFilter({ ...emptyFilter, ...filter }, context);
	if (!compiled) throw new Error('expected an active filter');
	return compiled;
};

describe('parseFilter and withFilter', () => {
	it('reads the five parameters and ignores values it does not know', () => {
		const params = new URLSearchParams('q=Bug&label=ui&assignee=me&due=week&priority=high');
		expect(parseFilter(params)).toEqual({
			q: 'Bug',
			label: 'ui',
			assignee: 'me',
			due: 'week',
			priority: 'high'
		});
		expect(parseFilter(new URLSearchParams('due=yesterday&priority=meh'))).toEqual(emptyFilter);
		expect(parseFilter(new URLSearchParams(`q=${'x'.repeat(500)}`)).q).toHaveLength(200);
	});

	it('writes only non-empty parameters and keeps the others, such as the open card', () => {
		const url = new URL('https://x.test/boards/1?card=abc&label=old');
		const next = withFilter(url, { ...emptyFilter, q: '  login bug ', assignee: 'nobody' });
		expect(next.searchParams.get('card')).toBe('abc');
		expect(next.searchParams.get('q')).toBe('login bug');
		expect(next.searchParams.get('assignee')).toBe('nobody');
		expect(next.searchParams.has('label')).toBe(false);
		expect(url.searchParams.get('label')).toBe('old');
	});

	it('is inactive when empty or only spaces', () => {
		expect(isActive(emptyFilter)).toBe(false);
		expect(isActive({ ...emptyFilter, q: '   ' })).toBe(false);
		expect(compileFilter({ ...emptyFilter, q: ' ' }, context)).toBeNull();
		expect(isActive({ ...emptyFilter, due: 'none' })).toBe(true);
	});
});

describe('compileFilter', () => {
	it('matches every word in the title, description or labels, ignoring case', () => {
		const card = task('t', { title: 'Fix LOGIN', description: 'The Bug', labels: ['Backend'] });
		expect(test({ q: 'login' })(card, false)).toBe(true);
		expect(test({ q: 'bug login' })(card, false)).toBe(true);
		expect(test({ q: 'BACKEND' })(card, false)).toBe(true);
		expect(test({ q: 'login frontend' })(card, false)).toBe(false);
	});

	it('filters by label, priority and assignee (me, nobody, a member)', () => {
		const mine = task('a', { assigneeId: 'me-id', labels: ['ui'], priority: 'high' });
		const theirs = task('b', { assigneeId: 'other' });
		const nobodys = task('c');
		expect(test({ assignee: 'me' })(mine, false)).toBe(true);
		expect(test({ assignee: 'me' })(theirs, false)).toBe(false);
		expect(test({ assignee: 'nobody' })(nobodys, false)).toBe(true);
		expect(test({ assignee: 'nobody' })(mine, false)).toBe(false);
		expect(test({ assignee: 'other' })(theirs, false)).toBe(true);
		expect(test({ label: 'ui' })(mine, false)).toBe(true);
		expect(test({ label: 'ui' })(theirs, false)).toBe(false);
		expect(test({ priority: 'high' })(mine, false)).toBe(true);
		expect(test({ priority: 'high', label: 'ui', assignee: 'nobody' })(mine, false)).toBe(false);
	});

	it('sorts due dates into overdue, today, this week and none', () => {
		const due = (dueDate: string | null) => task(`d${dueDate}`, { dueDate });
		expect(test({ due: 'overdue' })(due('2026-12-03'), false)).toBe(true);
		expect(test({ due: 'overdue' })(due('2026-12-04'), false)).toBe(false);
		// A card in a done column is finished, as its face says: not overdue.
		expect(test({ due: 'overdue' })(due('2026-12-03'), true)).toBe(false);
		expect(test({ due: 'today' })(due('2026-12-04'), false)).toBe(true);
		expect(test({ due: 'today' })(due('2026-12-05'), false)).toBe(false);
		expect(test({ due: 'week' })(due('2026-12-04'), false)).toBe(true);
		expect(test({ due: 'week' })(due('2026-12-06'), false)).toBe(true);
		expect(test({ due: 'week' })(due('2026-12-07'), false)).toBe(false);
		expect(test({ due: 'week' })(due('2026-12-03'), false)).toBe(false);
		expect(test({ due: 'none' })(due(null), false)).toBe(true);
		expect(test({ due: 'none' })(due('2026-12-04'), false)).toBe(false);
		expect(test({ due: 'overdue' })(due(null), false)).toBe(false);
	});

	it('makes each card object’s search text once', () => {
		const card = task('t', { title: 'Hello' });
		expect(searchText(card)).toBe(searchText(card));
		expect(searchText(card)).toBe('hello\n\n');
		// An edited card is a new object in the live view, so its text is made anew.
		expect(searchText({ ...card, title: 'Bye' })).toBe('bye\n\n');
	});
});

describe('ColumnFilter', () => {
	const a = column('A', [task('a1', { title: 'red' }), task('a2'), task('a3', { title: 'Red' })]);
	const b = column('B', [task('b1')]);

	it('keeps the matching cards, counts them and the whole column', () => {
		const filter = new ColumnFilter();
		const [fa, fb] = filter.apply([a, b], test({ q: 'red' }));
		expect(fa!.tasks.map((t) => t.id)).toEqual(['a1', 'a3']);
		expect(fa!.taskCount).toBe(2);
		expect(totalOf(fa!)).toBe(3);
		expect(fb!.tasks).toEqual([]);
		expect(totalOf(fb!)).toBe(1);
	});

	it('returns the columns themselves when nothing is filtered', () => {
		const columns = [a, b];
		expect(new ColumnFilter().apply(columns, null)).toBe(columns);
		expect(totalOf(a)).toBeNull();
	});

	it('re-filters only the columns that changed for the same test', () => {
		const filter = new ColumnFilter();
		const red = test({ q: 'red' });
		const [first] = filter.apply([a, b], red);
		const changed = column('B', [task('b1', { title: 'red too' })]);
		const [again, fb] = filter.apply([a, changed], red);
		expect(again).toBe(first);
		expect(fb!.tasks.map((t) => t.id)).toEqual(['b1']);
		const [other] = filter.apply([a, changed], test({ q: 'red' }));
		expect(other).not.toBe(first);
		expect(other).toEqual(first);
	});
});

describe('indexInColumn', () => {
	// The whole column x1 h1 x2 h2 h3 x3; the filter shows only the x cards.
	const whole = column(
		'C',
		['x1', 'h1', 'x2', 'h2', 'h3', 'x3'].map((id) => task(id))
	);
	const shown = { ...whole, tasks: whole.tasks.filter((t) => t.id.startsWith('x')) };
	const before = (taskId: string, index: number) =>
		beforeTaskId(whole, taskId, indexInColumn(whole, shown, taskId, index));

	it('puts a card right before the shown card it was placed in front of', () => {
		expect(before('x3', 1)).toBe('x2');
		expect(before('x3', 0)).toBe('x1');
		expect(before('x1', 1)).toBe('x3');
	});

	it('puts a card behind the last shown card when placed after all of them', () => {
		// x1 behind x3, which is the last card: the end of the column.
		expect(before('x1', 2)).toBeNull();
		// x3 moved down past the shown x2 (from x1's view): behind x2, before the hidden h2.
		const withoutLast = { ...whole, tasks: whole.tasks.slice(0, 5) };
		const shownTwo = { ...withoutLast, tasks: [task('x1'), task('x2')] };
		const at = indexInColumn(withoutLast, shownTwo, 'x1', 1);
		expect(beforeTaskId(withoutLast, 'x1', at)).toBe('h2');
	});

	it('places a card from another column among the shown ones the same way', () => {
		expect(before('new', 1)).toBe('x2');
		expect(before('new', 3)).toBeNull();
	});

	it('goes to the top of a column that shows no other card, and is the identity unfiltered', () => {
		const empty = { ...whole, tasks: [] };
		expect(indexInColumn(whole, empty, 'z', 0)).toBe(0);
		expect(indexInColumn(whole, whole, 'x1', 4)).toBe(4);
	});
});

describe('highlightParts', () => {
	it('marks every occurrence of every term, merging overlaps', () => {
		expect(highlightParts('Fix the login bug', ['log', 'bug'])).toEqual([
			{ text: 'Fix the ', match: false },
			{ text: 'log', match: true },
			{ text: 'in ', match: false },
			{ text: 'bug', match: true }
		]);
		expect(highlightParts('aaa', ['aa'])).toEqual([{ text: 'aaa', match: true }]);
		expect(highlightParts('Plain', [])).toEqual([{ text: 'Plain', match: false }]);
	});

	it('leaves text whose lowercase has another length unmarked rather than marking wrong', () => {
		expect(highlightParts('İstanbul', ['stan'])).toEqual([{ text: 'İstanbul', match: false }]);
	});
});

it('lists the board’s labels once each, sorted', () => {
	const columns = [
		column('A', [task('1', { labels: ['ui', 'bug'] })]),
		column('B', [task('2', { labels: ['bug', 'api'] })])
	];
	expect(boardLabels(columns)).toEqual(['api', 'bug', 'ui']);
});
