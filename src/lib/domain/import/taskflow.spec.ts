import { describe, expect, it } from 'vitest';
import { ImportFormatError } from './plan.ts';
import { isTaskflowExport, planFromTaskflow } from './taskflow.ts';

const exported = {
	format: 'taskflow.board',
	version: 1,
	exportedAt: '2026-12-04T22:00:00.000Z',
	board: { id: 'b', title: 'Launch plan' },
	columns: [
		{ id: 'c2', title: 'Done', category: 'done', wipLimit: null, position: 1 },
		{ id: 'c1', title: 'To do', category: 'todo', wipLimit: 3, position: 0 }
	],
	cards: [
		{
			id: 'x2',
			columnId: 'c1',
			position: 1,
			title: 'Second',
			description: '',
			priority: 'low',
			labels: [],
			dueDate: null,
			assigneeEmail: null
		},
		{
			id: 'x1',
			columnId: 'c1',
			position: 0,
			title: 'First ✓',
			description: 'a\nb',
			priority: 'high',
			labels: ['docs', 'docs'],
			dueDate: '2026-03-02',
			assigneeEmail: 'Ana@Example.com'
		},
		{ id: 'x3', columnId: 'gone', position: 0, title: 'Lost', labels: [] }
	]
};

describe('planFromTaskflow', () => {
	it('keeps columns (category, WIP limit) and cards in position order', () => {
		const plan = planFromTaskflow(exported);
		expect(plan.title).toBe('Launch plan');
		expect(plan.columns.map((c) => [c.title, c.category, c.wipLimit])).toEqual([
			['To do', 'todo', 3],
			['Done', 'done', null]
		]);
		expect(plan.columns[0]!.cards.map((c) => c.title)).toEqual(['First ✓', 'Second']);
		expect(plan.columns[0]!.cards[0]).toMatchObject({
			description: 'a\nb',
			priority: 'high',
			labels: ['docs'],
			dueDate: '2026-03-02',
			assignee: { email: 'Ana@Example.com' },
			deleted: false
		});
		expect(plan.skipped).toEqual([
			{ what: 'Card “Lost”', reason: 'its column is not in the export' }
		]);
	});

	it('holds checklists, label colours and comments to the board’s limits, reporting what it changes', () => {
		const long = 'x'.repeat(600);
		const plan = planFromTaskflow({
			...exported,
			labelColors: { docs: 'teal', ops: 'mauve', 'two\nlines': 'red' },
			cards: [
				{
					id: 'x1',
					columnId: 'c1',
					position: 0,
					title: 'Busy',
					checklist: [
						{ text: '\u200b', done: true },
						{ text: long, done: true },
						'not an item',
						...Array.from({ length: 205 }, (_, i) => ({ text: `Item ${i}`, done: i % 2 === 0 }))
					],
					comments: [{ author: 'Ana', createdAt: '2026-03-01T10:00:00.000Z', body: 'Hi' }, 7]
				}
			]
		});
		const card = plan.columns[0]!.cards[0]!;
		expect(card.checklist).toHaveLength(200);
		expect(card.checklist[0]).toEqual({ text: 'x'.repeat(500), done: true });
		expect(card.checklist[1]).toEqual({ text: 'Item 0', done: true });
		expect(card.comments).toEqual([
			{ author: 'Ana', date: '2026-03-01T10:00:00.000Z', text: 'Hi' }
		]);
		expect(plan.labelColors).toEqual({ docs: 'teal' });
		expect(plan.skipped).toEqual([
			{ what: '2 checklist items of “Busy”', reason: 'nothing visible in the text' },
			{ what: 'The end of 1 checklist item of “Busy”', reason: 'longer than 500 characters' },
			{ what: '6 checklist items of “Busy”', reason: 'a checklist has at most 200 items' },
			{ what: '1 comment of “Busy”', reason: 'not a comment with text' },
			{
				what: 'The colour of label “ops”',
				reason: 'not one of gray, red, orange, yellow, green, teal, blue, purple, pink'
			},
			{ what: 'The colour of “two\nlines”', reason: 'not a label a card can have' }
		]);
	});

	it('reports titles cut to 255 characters: the board’s, a column’s and a card’s', () => {
		const plan = planFromTaskflow({
			...exported,
			board: { id: 'b', title: 'B'.repeat(300) },
			columns: [{ id: 'c1', title: 'C'.repeat(256), category: 'todo', position: 0 }],
			cards: [{ id: 'x1', columnId: 'c1', position: 0, title: 'T'.repeat(1000) }]
		});
		expect(plan.columns[0]!.cards[0]!.title).toBe('T'.repeat(255));
		expect(plan.skipped).toEqual([
			{
				what: `The end of the title of column “${'C'.repeat(255)}”`,
				reason: 'longer than 255 characters'
			},
			{
				what: `The end of the title of “${'T'.repeat(255)}”`,
				reason: 'longer than 255 characters'
			},
			{ what: 'The end of the title of the board', reason: 'longer than 255 characters' }
		]);
	});

	it('tells a TaskFlow export from anything else', () => {
		expect(isTaskflowExport(exported)).toBe(true);
		expect(isTaskflowExport({ lists: [], cards: [] })).toBe(false);
	});

	it('refuses other files and other versions with a sentence', () => {
		expect(() => planFromTaskflow({ lists: [] })).toThrow(ImportFormatError);
		expect(() => planFromTaskflow({ ...exported, version: 2 })).toThrow(/version 2/);
		expect(() => planFromTaskflow({ format: 'taskflow.board', version: 1 })).toThrow(
			/no "columns" and "cards"/
		);
	});
});
