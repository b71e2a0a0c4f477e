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
					comments: [
						{ author: 'Ana', createdAt: '2026-03-01T10:00:00.000Z', body: 'Hi' },
						7,
						{ author: 'Ben', createdAt: 'soon', body: 'Undated' }
					]
				}
			]
		});
		const card = plan.columns[0]!.cards[0]!;
		expect(card.checklist).toHaveLength(200);
		expect(card.checklist[0]).toEqual({ text: 'x'.repeat(500), done: true });
		expect(card.checklist[1]).toEqual({ text: 'Item 0', done: true });
		expect(card.comments).toEqual([
			{ author: 'Ana', date: '2026-03-01T10:00:00.000Z', text: 'Hi' },
			// Quoted as "wrote on <day>": a date naming no day is left out.
			{ author: 'Ben', date: null, text: 'Undated' }
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

	it('keeps both columns of a duplicate id, their cards in the less advanced one, and says so', () => {
		// As testers found it: the done column's id repeats the to-do column's.
		const plan = planFromTaskflow({
			...exported,
			columns: [
				{ id: 'c1', title: 'To do', category: 'todo', wipLimit: null, position: 0 },
				{ id: 'c1', title: 'Done', category: 'done', wipLimit: null, position: 1 }
			],
			cards: [
				{ id: 'x1', columnId: 'c1', position: 0, title: 'First' },
				{ id: 'x2', columnId: 'c1', position: 0, title: 'Second' }
			]
		});
		expect(
			plan.columns.map((c) => [c.title, c.category, c.cards.map((card) => card.title)])
		).toEqual([
			['To do', 'todo', ['First', 'Second']],
			['Done', 'done', []]
		]);
		expect(plan.skipped).toEqual([
			{
				what: 'Column “Done”',
				reason: 'has the same id as column “To do”; the cards with that id are all in “To do”'
			}
		]);
		// Listed done first: the cards still go to the column that does not complete them.
		const reversed = planFromTaskflow({
			...exported,
			columns: [
				{ id: 'c1', title: 'Done', category: 'done', position: 0 },
				{ id: 'c1', title: 'Doing', category: 'in_progress', position: 1 }
			],
			cards: [{ id: 'x1', columnId: 'c1', position: 0, title: 'Open' }]
		});
		expect(reversed.columns.map((c) => c.cards.length)).toEqual([0, 1]);
	});

	it('reports each value of a malformed card or column it drops or changes, a line per card and kind', () => {
		const plan = planFromTaskflow({
			...exported,
			columns: [
				{ id: 'c1', title: 'To do', category: 'later', wipLimit: 5000, position: 0 },
				'not a column'
			],
			cards: [
				{
					id: 'x1',
					columnId: 'c1',
					position: 0,
					title: 'Broken',
					description: 42,
					priority: 'asap',
					dueDate: '2026-02-30',
					labels: ['ok', 7, '\u200b', 'L'.repeat(50)],
					assigneeEmail: 12,
					checklist: 'none'
				},
				{ id: 'x2', columnId: 'c1', position: 1, title: 'Long', description: 'd'.repeat(20_001) },
				{ id: 'x3', columnId: 'c1', position: 2, title: '', labels: 'ops' }
			]
		});
		const [broken, long, untitled] = plan.columns[0]!.cards;
		expect(plan.columns[0]).toMatchObject({ category: 'todo', wipLimit: 999 });
		expect(broken).toMatchObject({
			description: '',
			priority: 'medium',
			dueDate: null,
			labels: ['ok', 'L'.repeat(40)],
			assignee: null,
			checklist: []
		});
		expect(long!.description).toHaveLength(20_000);
		expect(untitled).toMatchObject({ title: 'Untitled card', labels: [] });
		expect(plan.skipped).toEqual([
			{ what: '1 entry of the columns list', reason: 'not a column' },
			{
				what: 'Category “later” of column “To do”',
				reason: 'not todo, in_progress or done; todo used'
			},
			{
				what: 'WIP limit “5000” of column “To do”',
				reason: 'not a whole number from 1 to 999; 999 used'
			},
			{ what: 'Due date “2026-02-30” of “Broken”', reason: 'not a YYYY-MM-DD date' },
			{
				what: 'Priority “asap” of “Broken”',
				reason: 'not low, medium, high or urgent; medium used'
			},
			{ what: 'Assignee “12” of “Broken”', reason: 'not an e-mail address; left unassigned' },
			{ what: 'The description of “Broken”', reason: 'not a text' },
			{ what: 'Labels of “Broken”: 7, \u200b', reason: 'not a text with something visible' },
			{
				what: `The end of labels of “Broken”: ${'L'.repeat(50)}`,
				reason: 'longer than 40 characters'
			},
			{ what: 'The checklist of “Broken”', reason: 'not a list' },
			{ what: 'The end of the description of “Long”', reason: 'longer than 20000 characters' },
			{
				what: 'The title of a card in “To do”',
				reason: 'missing or nothing visible; “Untitled card” used'
			},
			{ what: 'The labels of “Untitled card”', reason: 'not a list' }
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
