import { describe, expect, it } from 'vitest';
import { ImportFormatError, cardCount, maxImportComments } from './plan.ts';
import { planFromTrello } from './trello.ts';
import fixture from '../../../../tests/fixtures/trello/product-launch.json' with { type: 'json' };

describe('a Trello board export as an import plan', () => {
	const plan = planFromTrello(fixture);
	const card = (title: string) =>
		plan.columns.flatMap((c) => c.cards).find((c) => c.title === title)!;

	it('keeps the open lists in Trello order and leaves archived ones out, reported', () => {
		expect(plan.title).toBe('Product launch — Q3 🚀');
		expect(plan.columns.map((c) => c.title)).toEqual(['To do', 'Doing', 'Done']);
		expect(plan.skipped).toContainEqual({
			what: 'List “Ideas (old)”',
			reason: 'archived in Trello'
		});
		expect(plan.skipped).toContainEqual({
			what: 'Card “Podcast tour”',
			reason: 'its list is archived or missing'
		});
		expect(cardCount(plan)).toBe(5);
	});

	it('orders cards by position and imports archived cards as deleted', () => {
		expect(plan.columns[0]!.cards.map((c) => [c.title, c.deleted])).toEqual([
			['Budget sign-off', false],
			['Landing page copy', false],
			['Billboard in Times Square', true]
		]);
	});

	it('maps name, description, due day, labels with colours and the first member', () => {
		const press = card('Write the press release');
		expect(press).toMatchObject({
			description: 'Draft in **Markdown**; légal must approve.\n\nSee the brief.',
			dueDate: '2026-09-01',
			labels: ['Ready', 'Design ✏️'],
			priority: 'medium',
			assignee: { email: null, username: 'analopez', name: 'Ana López' }
		});
		expect(plan.skipped).toContainEqual({
			what: 'Members of “Write the press release” after the first',
			reason: 'a card has one assignee'
		});
		// A colour-only label is named by its colour; a label without colour has none.
		expect(card('Landing page copy').labels).toEqual(['Blocked', 'sky', 'Later']);
		expect(plan.labelColors).toEqual({
			Ready: 'green',
			Blocked: 'red',
			'Design ✏️': 'purple',
			sky: 'teal'
		});
		expect(card('Landing page copy').dueDate).toBeNull();
	});

	it('joins several checklists into one in order, naming each item’s list', () => {
		expect(card('Write the press release').checklist).toEqual([
			{ text: 'Draft: Outline', done: true },
			{ text: 'Draft: Collect quotes', done: false },
			{ text: 'Review: Legal approves', done: false }
		]);
		expect(card('Kick-off meeting').checklist).toEqual([]);
	});

	it('turns commentCard actions into comments, oldest first, with author and date', () => {
		expect(card('Write the press release').comments).toEqual([
			{
				author: 'Ana López',
				date: '2026-08-18T08:30:00.000Z',
				text: 'First draft is in the drive.'
			},
			{
				author: 'Ben Okafor',
				date: '2026-08-20T09:12:44.120Z',
				text: 'Légal says: fine by Friday ✅'
			}
		]);
	});

	it('leaves out empty comments and dates that name no day; a second card under one id comes bare', () => {
		const plan = planFromTrello({
			name: 'B',
			lists: [{ id: 'l', name: 'To do', pos: 1 }],
			cards: [
				{ id: 'c', name: 'First', idList: 'l', pos: 1 },
				{ id: 'c', name: 'Copy', idList: 'l', pos: 2 }
			],
			checklists: [],
			actions: [
				{
					type: 'commentCard',
					date: 'nonsense',
					memberCreator: { fullName: 'Ana' },
					data: { text: 'Hi', card: { id: 'c' } }
				},
				{
					type: 'commentCard',
					date: '2026-01-02T00:00:00Z',
					memberCreator: { fullName: 'Ben' },
					data: { text: ' \n ', card: { id: 'c' } }
				}
			]
		});
		const cards = plan.columns[0]!.cards;
		expect(cards.map((c) => c.title)).toEqual(['First', 'Copy']);
		expect(cards[0]!.comments).toEqual([{ author: 'Ana', date: null, text: 'Hi' }]);
		expect(cards[1]!.comments).toEqual([]);
		expect(plan.skipped).toEqual(
			expect.arrayContaining([
				{ what: 'An empty comment by Ben', reason: 'it has no text' },
				{
					what: 'The checklist and comments of “Copy”',
					reason: 'another card of the file has its id; they went to that one'
				}
			])
		);
	});

	it('keeps the comments of an archived card, to go with it as a deleted card', () => {
		expect(card('Billboard in Times Square')).toMatchObject({
			deleted: true,
			comments: [
				{
					author: 'Ana López',
					date: '2026-08-21T16:05:00.000Z',
					text: 'Archiving this: the quote came back at 3× the budget. 💸'
				}
			]
		});
	});

	it('refuses what is not a Trello board export with a sentence that says what to do', () => {
		for (const bad of [null, [], { name: 'x' }, { lists: [], cards: {} }]) {
			expect(() => planFromTrello(bad)).toThrow(ImportFormatError);
		}
		expect(() => planFromTrello({})).toThrow(/Export as JSON/);
	});

	it('bounds what it takes from hostile input', () => {
		const long = 'x'.repeat(600);
		const plan2 = planFromTrello({
			name: '  ',
			lists: [{ id: 'l', name: 'L\nwith newline', pos: 1 }],
			cards: [
				{
					id: 'c',
					name: 'y'.repeat(400),
					idList: 'l',
					pos: 'not a number',
					due: '2026-02-30T00:00:00Z',
					idLabels: Array.from({ length: 25 }, (_, i) => `l${i}`)
				}
			],
			labels: Array.from({ length: 25 }, (_, i) => ({
				id: `l${i}`,
				name: `label ${i}`,
				color: 'lime_light'
			})),
			checklists: [
				{
					id: 'k',
					idCard: 'c',
					checkItems: Array.from({ length: 205 }, (_, i) => ({ name: `${i} ${long}`, pos: i }))
				}
			]
		});
		const only = plan2.columns[0]!.cards[0]!;
		expect(plan2.title).toBe('Imported from Trello');
		expect(plan2.columns[0]!.title).toBe('L with newline');
		expect(only.title).toHaveLength(255);
		expect(plan2.skipped).toContainEqual({
			what: `The end of the title of “${'y'.repeat(255)}”`,
			reason: 'longer than 255 characters'
		});
		expect(only.dueDate).toBeNull();
		expect(only.labels).toHaveLength(20);
		expect(only.checklist).toHaveLength(200);
		expect(only.checklist[0]!.text).toHaveLength(500);
		expect(plan2.labelColors['label 0']).toBe('green');
		expect(plan2.skipped.map((s) => s.reason)).toEqual(
			expect.arrayContaining(['a card has at most 20 labels', 'a checklist has at most 200 items'])
		);
	});

	it('leaves out checklist items with nothing visible', () => {
		const plan3 = planFromTrello({
			name: 'B',
			lists: [{ id: 'l', name: 'L', pos: 1 }],
			cards: [{ id: 'c', name: 'Card', idList: 'l', pos: 1 }],
			checklists: [
				{
					id: 'k',
					idCard: 'c',
					checkItems: [
						{ name: '\u200b\u200e', pos: 1 },
						{ name: '\u2800', pos: 2 },
						{ name: 'Real\nitem', pos: 3 }
					]
				}
			]
		});
		expect(plan3.columns[0]!.cards[0]!.checklist).toEqual([{ text: 'Real item', done: false }]);
		expect(plan3.skipped).toEqual([
			{ what: '2 checklist items of “Card”', reason: 'nothing visible in the text' }
		]);
		// With two checklists each item is prefixed by its list's name: checked before that.
		const plan4 = planFromTrello({
			name: 'B',
			lists: [{ id: 'l', name: 'L', pos: 1 }],
			cards: [{ id: 'c', name: 'Card', idList: 'l', pos: 1 }],
			checklists: [
				{ id: 'k1', idCard: 'c', name: 'Todo', pos: 1, checkItems: [{ name: '\u200b', pos: 1 }] },
				{ id: 'k2', idCard: 'c', name: 'More', pos: 2, checkItems: [{ name: 'Kept', pos: 1 }] }
			]
		});
		expect(plan4.columns[0]!.cards[0]!.checklist).toEqual([{ text: 'More: Kept', done: false }]);
	});
});

describe('a Trello export with very many comments or checklists', () => {
	/** One open list with one card, and `count` comments (newest first, as Trello lists them). */
	const export_ = (count: number, checklists = 0) => ({
		name: 'Busy',
		lists: [{ id: 'l', name: 'L', pos: 1 }],
		cards: [{ id: 'c', name: 'Busy card', idList: 'l', pos: 1 }],
		checklists: Array.from({ length: checklists }, (_, i) => ({
			id: `k${i}`,
			idCard: 'c',
			name: `K${i}`,
			pos: i,
			checkItems: [{ name: 'item', pos: 1 }]
		})),
		actions: Array.from({ length: count }, (_, i) => ({
			type: 'commentCard',
			date: '2026-08-18T08:30:00.000Z',
			memberCreator: { fullName: 'Ana' },
			data: { card: { id: 'c' }, text: `comment ${count - 1 - i}` }
		}))
	});

	it('plans 40,000 comments and 20,000 checklists on one card in linear time', () => {
		// Each comment and checklist copied the card's list before: 40,000 comments took 52 s.
		const input = export_(40_000, 20_000);
		const started = performance.now();
		const plan = planFromTrello(input);
		expect(performance.now() - started).toBeLessThan(2_000);
		const only = plan.columns[0]!.cards[0]!;
		expect(only.comments).toHaveLength(40_000);
		expect(only.comments[0]!.text).toBe('comment 0');
		expect(only.comments.at(-1)!.text).toBe('comment 39999');
		expect(only.checklist).toHaveLength(200);
		expect(only.checklist[0]!.text).toBe('K0: item');
	});

	it(`refuses more than ${maxImportComments} comments with a sentence saying the limit`, () => {
		expect(planFromTrello(export_(maxImportComments)).columns[0]!.cards[0]!.comments).toHaveLength(
			maxImportComments
		);
		expect(() => planFromTrello(export_(maxImportComments + 1))).toThrow(ImportFormatError);
		expect(() => planFromTrello(export_(maxImportComments + 1))).toThrow(
			`This export holds more than 50000 comments; import at most 50000 at a time`
		);
	});
});

describe('Trello labels', () => {
	it('are coloured under the name the cards get: cut to the limit, object member names too', () => {
		const long = '🏷'.repeat(30);
		const plan = planFromTrello({
			lists: [{ id: 'l', name: 'L' }],
			cards: [{ id: 'c', name: 'C', idList: 'l', idLabels: ['a', 'b', 'c'] }],
			labels: [
				{ id: 'a', name: long, color: 'red' },
				{ id: 'b', name: '__proto__', color: 'blue' },
				{ id: 'c', name: 'constructor', color: 'green' }
			]
		});
		const labels = plan.columns[0]!.cards[0]!.labels;
		expect(labels).toEqual(['🏷'.repeat(20), '__proto__', 'constructor']);
		expect(Object.entries(plan.labelColors)).toEqual([
			['🏷'.repeat(20), 'red'],
			['__proto__', 'blue'],
			['constructor', 'green']
		]);
	});
});
