import * as Y from 'yjs';
import { describe, expect, it } from 'vitest';
import {
	createColumn,
	deleteColumn,
	moveColumn,
	renameColumn,
	setColumnCategory,
	setWipLimit
} from './columns.ts';
import { readBoard } from './read.ts';
import { columnsMap } from './schema.ts';
import { createTask, deleteTask } from './tasks.ts';
import { cardIds, createBoard, expectRefused } from './testing.ts';
import type { ColumnCategory } from './schema.ts';

function titles(doc: Y.Doc): string[] {
	return readBoard(doc).columns.map((column) => column.title);
}

describe('createColumn', () => {
	it('adds a column last by default, with defaults', () => {
		const { doc, ctx } = createBoard();
		const id = createColumn(doc, { title: ' Review ' }, ctx);
		const column = readBoard(doc).columns.at(-1);
		expect(column).toMatchObject({ id, title: 'Review', category: 'todo', wipLimit: null });
		expect(column?.tasks).toEqual([]);
	});

	it('places a column after or before another, with a category and a limit', () => {
		const { doc, ctx, columnIds } = createBoard();
		const [todo, doing] = columnIds as [string, string, string];
		createColumn(doc, { title: 'Ready', category: 'todo', afterColumnId: todo }, ctx);
		createColumn(doc, { title: 'Inbox', beforeColumnId: todo }, ctx);
		createColumn(doc, { title: 'Test', wipLimit: 3, afterColumnId: doing }, ctx);
		expect(titles(doc)).toEqual(['Inbox', 'To do', 'Ready', 'In progress', 'Test', 'Done']);
		expect(readBoard(doc).columns[4]?.wipLimit).toBe(3);
	});

	it('refuses bad input without touching the document', () => {
		const { doc, ctx, columnIds } = createBoard();
		const create = (input: Record<string, unknown>) => () =>
			createColumn(doc, { title: 'X', ...input } as never, ctx);
		expectRefused(doc, create({ title: '' }), 'invalid_title', 'title');
		expectRefused(doc, create({ title: '   ' }), 'invalid_title', 'title');
		expectRefused(doc, create({ title: 'x'.repeat(256) }), 'invalid_title', 'title');
		expectRefused(doc, create({ category: 'later' }), 'invalid_category', 'category');
		for (const wipLimit of [0, 1.5, 1000]) {
			expectRefused(doc, create({ wipLimit }), 'invalid_wip_limit', 'wipLimit');
		}
		expectRefused(doc, create({ afterColumnId: 'nope' }), 'invalid_position', 'afterColumnId');
		expectRefused(
			doc,
			create({ afterColumnId: columnIds[0], beforeColumnId: columnIds[2] }),
			'invalid_position',
			'beforeColumnId'
		);
	});
});

describe('renameColumn, setColumnCategory, setWipLimit', () => {
	it('change one field of a live column', () => {
		const { doc, ctx, columnIds } = createBoard();
		const columnId = columnIds[1] as string;
		renameColumn(doc, { columnId, title: 'Doing' }, ctx);
		setColumnCategory(doc, { columnId, category: 'done' }, ctx);
		setWipLimit(doc, { columnId, wipLimit: 4 }, ctx);
		expect(readBoard(doc).columns[1]).toMatchObject({
			title: 'Doing',
			category: 'done',
			wipLimit: 4
		});
		setWipLimit(doc, { columnId, wipLimit: null }, ctx);
		expect(readBoard(doc).columns[1]?.wipLimit).toBeNull();
	});

	it('refuse invalid values, unknown and deleted columns', () => {
		const { doc, ctx, columnIds } = createBoard();
		const [todo, doing] = columnIds as [string, string, string];
		deleteColumn(doc, { columnId: doing }, ctx);
		expectRefused(
			doc,
			() => renameColumn(doc, { columnId: todo, title: ' ' }, ctx),
			'invalid_title'
		);
		expectRefused(
			doc,
			() => renameColumn(doc, { columnId: 'nope', title: 'A' }, ctx),
			'unknown_column',
			'columnId'
		);
		expectRefused(
			doc,
			() => renameColumn(doc, { columnId: doing, title: 'A' }, ctx),
			'column_deleted',
			'columnId'
		);
		expectRefused(
			doc,
			() => setColumnCategory(doc, { columnId: todo, category: 'blocked' as ColumnCategory }, ctx),
			'invalid_category'
		);
		for (const wipLimit of [0, 1.5, 1000]) {
			expectRefused(
				doc,
				() => setWipLimit(doc, { columnId: todo, wipLimit }, ctx),
				'invalid_wip_limit',
				'wipLimit'
			);
		}
	});
});

describe('moveColumn', () => {
	it('moves a column to the end, after or before another', () => {
		const { doc, ctx, columnIds } = createBoard();
		const [todo, doing, done] = columnIds as [string, string, string];
		moveColumn(doc, { columnId: todo }, ctx);
		expect(titles(doc)).toEqual(['In progress', 'Done', 'To do']);
		moveColumn(doc, { columnId: todo, beforeColumnId: doing }, ctx);
		expect(titles(doc)).toEqual(['To do', 'In progress', 'Done']);
		moveColumn(doc, { columnId: done, afterColumnId: todo, beforeColumnId: doing }, ctx);
		expect(titles(doc)).toEqual(['To do', 'Done', 'In progress']);
	});

	it('does not write when the column is already there', () => {
		const { doc, ctx, columnIds } = createBoard();
		const before = Y.encodeStateAsUpdate(doc);
		moveColumn(doc, { columnId: columnIds[2] as string }, ctx);
		moveColumn(doc, { columnId: columnIds[1] as string, afterColumnId: columnIds[0] }, ctx);
		expect(Y.encodeStateAsUpdate(doc)).toEqual(before);
	});

	it('refuses unknown columns and anchors, including itself', () => {
		const { doc, ctx, columnIds } = createBoard();
		const todo = columnIds[0] as string;
		expectRefused(doc, () => moveColumn(doc, { columnId: 'nope' }, ctx), 'unknown_column');
		expectRefused(
			doc,
			() => moveColumn(doc, { columnId: todo, afterColumnId: todo }, ctx),
			'invalid_position',
			'afterColumnId'
		);
	});
});

describe('deleteColumn', () => {
	function boardWithCards() {
		const board = createBoard();
		const [todo, doing] = board.columnIds as [string, string, string];
		const { doc, ctx } = board;
		const cards = ['a', 'b', 'c'].map((title) => createTask(doc, { columnId: todo, title }, ctx));
		const existing = createTask(doc, { columnId: doing, title: 'existing' }, ctx);
		return { ...board, todo, doing, cards, existing };
	}

	it('moves live cards to the end of another column, keeping their order', () => {
		const { doc, ctx, todo, doing, cards, existing } = boardWithCards();
		deleteTask(doc, { taskId: cards[1] as string }, ctx);
		deleteColumn(doc, { columnId: todo, moveTasksTo: doing }, ctx);
		const view = readBoard(doc);
		expect(view.columns.map((column) => column.title)).toEqual(['In progress', 'Done']);
		expect(cardIds(doc)[0]).toEqual([existing, cards[0], cards[2]]);
		expect(view.deletedTasks.map((task) => task.id)).toEqual([cards[1]]);
		expect((columnsMap(doc).get(todo) as Y.Map<unknown>).get('deletedAt')).toBeTypeOf('string');
	});

	it('deletes live cards with the column when no target is given', () => {
		const { doc, ctx, todo, cards } = boardWithCards();
		deleteColumn(doc, { columnId: todo }, ctx);
		const deleted = readBoard(doc).deletedTasks;
		expect(deleted.map((task) => task.id).sort()).toEqual([...cards].sort());
		expect(deleted.every((task) => task.deletedAt !== null)).toBe(true);
	});

	it('refuses the last live column, unknown and deleted columns and targets', () => {
		const { doc, ctx, columnIds, todo } = boardWithCards();
		const [, doing, done] = columnIds as [string, string, string];
		deleteColumn(doc, { columnId: doing, moveTasksTo: done }, ctx);
		expectRefused(doc, () => deleteColumn(doc, { columnId: 'nope' }, ctx), 'unknown_column');
		expectRefused(doc, () => deleteColumn(doc, { columnId: doing }, ctx), 'column_deleted');
		expectRefused(
			doc,
			() => deleteColumn(doc, { columnId: todo, moveTasksTo: doing }, ctx),
			'column_deleted',
			'moveTasksTo'
		);
		expectRefused(
			doc,
			() => deleteColumn(doc, { columnId: todo, moveTasksTo: 'nope' }, ctx),
			'unknown_column',
			'moveTasksTo'
		);
		expectRefused(
			doc,
			() => deleteColumn(doc, { columnId: todo, moveTasksTo: todo }, ctx),
			'invalid_target',
			'moveTasksTo'
		);
		deleteColumn(doc, { columnId: done }, ctx);
		expectRefused(doc, () => deleteColumn(doc, { columnId: todo }, ctx), 'last_column');
	});
});
