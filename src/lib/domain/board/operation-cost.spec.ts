/**
 * Operations and the live view must cost what they touch, not the board: on a board whose last
 * column holds 2,000 cards, working in the other columns reads a few hundred map values at
 * most. A read of every card (`readRecords` reads about ten values per card) would read tens of
 * thousands, so re-introducing one anywhere fails here.
 */
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import * as Y from 'yjs';
import {
	createColumn,
	deleteColumn,
	moveColumn,
	renameColumn,
	setColumnCategory,
	setWipLimit
} from './columns.ts';
import {
	addChecklistItem,
	moveChecklistItem,
	removeChecklistItem,
	setChecklistItemText,
	toggleChecklistItem
} from './checklist.ts';
import { setLabelColor } from './label-colors.ts';
import { liveBoardView } from './live-view.ts';
import { readBoard } from './read.ts';
import {
	createTask,
	deleteTask,
	editDescription,
	moveTask,
	restoreTask,
	setDescription,
	updateTask
} from './tasks.ts';
import { createBoard } from './testing.ts';

const bigColumnCards = 2000;
/** Generous for a few cards and columns; a whole-board read would be about 20,000. */
const budget = 300;

const board = createBoard();
const { doc, ctx } = board;
const [todo, doing, done] = board.columnIds as [string, string, string];
let a = '';
let b = '';
let item = '';

beforeAll(() => {
	for (let i = 0; i < bigColumnCards; i++)
		createTask(doc, { columnId: done, title: `Big ${i}` }, ctx);
	a = createTask(doc, { columnId: todo, title: 'A' }, ctx);
	b = createTask(doc, { columnId: todo, title: 'B' }, ctx);
	createTask(doc, { columnId: doing, title: 'C' }, ctx);
	liveBoardView(doc);
});

afterEach(() => {
	vi.restoreAllMocks();
	// Every patch along the way must have kept the view equal to a full read.
	expect(liveBoardView(doc)).toEqual(readBoard(doc));
});

/** How many values of Y.Maps `operation` reads (the live view's patch included). */
function mapReads(operation: () => unknown): number {
	const get = vi.spyOn(Y.Map.prototype, 'get');
	operation();
	liveBoardView(doc);
	const count = get.mock.calls.length;
	get.mockRestore();
	return count;
}

describe('operations on a large board read only what they touch', () => {
	const cases: [string, () => unknown][] = [
		['createTask', () => createTask(doc, { columnId: todo, title: 'New' }, ctx)],
		['updateTask', () => updateTask(doc, { taskId: a, title: 'A2', labels: ['x'] }, ctx)],
		['moveTask within a column', () => moveTask(doc, { taskId: a, columnId: todo }, ctx)],
		['moveTask to another column', () => moveTask(doc, { taskId: b, columnId: doing }, ctx)],
		['deleteTask', () => deleteTask(doc, { taskId: b }, ctx)],
		['restoreTask', () => restoreTask(doc, { taskId: b }, ctx)],
		[
			'editDescription',
			() => editDescription(doc, { taskId: a, index: 0, deleteCount: 0, insert: 'typed' }, ctx)
		],
		['setDescription', () => setDescription(doc, { taskId: a, text: 'replaced' }, ctx)],
		['addChecklistItem', () => (item = addChecklistItem(doc, { taskId: a, text: 'one' }, ctx))],
		['addChecklistItem again', () => addChecklistItem(doc, { taskId: a, text: 'two' }, ctx)],
		[
			'toggleChecklistItem',
			() => toggleChecklistItem(doc, { taskId: a, itemId: item, done: true }, ctx)
		],
		[
			'setChecklistItemText',
			() => setChecklistItemText(doc, { taskId: a, itemId: item, text: 'uno' }, ctx)
		],
		['moveChecklistItem', () => moveChecklistItem(doc, { taskId: a, itemId: item }, ctx)],
		['removeChecklistItem', () => removeChecklistItem(doc, { taskId: a, itemId: item }, ctx)],
		['setLabelColor', () => setLabelColor(doc, { label: 'x', color: 'red' }, ctx)],
		['renameColumn', () => renameColumn(doc, { columnId: todo, title: 'Later' }, ctx)],
		['setColumnCategory', () => setColumnCategory(doc, { columnId: todo, category: 'done' }, ctx)],
		['setWipLimit', () => setWipLimit(doc, { columnId: todo, wipLimit: 4 }, ctx)],
		['moveColumn', () => moveColumn(doc, { columnId: todo, afterColumnId: doing }, ctx)],
		['createColumn', () => createColumn(doc, { title: 'Extra', afterColumnId: todo }, ctx)],
		['deleteColumn', () => deleteColumn(doc, { columnId: todo, moveTasksTo: doing }, ctx)]
	];
	for (const [name, operation] of cases) {
		it(name, () => {
			expect(mapReads(operation)).toBeLessThan(budget);
		});
	}

	it('a whole-board read would exceed the budget (the measure works)', () => {
		expect(mapReads(() => readBoard(doc))).toBeGreaterThan(10 * bigColumnCards);
	});
});
