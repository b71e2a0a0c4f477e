import * as Y from 'yjs';
import { describe, expect, it } from 'vitest';
import { deleteColumn } from './columns.ts';
import { projectBoard } from './projection.ts';
import { readBoard } from './read.ts';
import { boardMap, columnsMap, tasksMap } from './schema.ts';
import { createTask, deleteTask, moveTask, updateTask } from './tasks.ts';
import { createBoard } from './testing.ts';

function boardWithCard() {
	const board = createBoard();
	const todo = board.columnIds[0] as string;
	const taskId = createTask(board.doc, { columnId: todo, title: 'Card' }, board.ctx);
	const map = tasksMap(board.doc).get(taskId) as Y.Map<unknown>;
	return { ...board, todo, taskId, map };
}

describe('readBoard', () => {
	it('reads an empty document', () => {
		expect(readBoard(new Y.Doc())).toEqual({
			title: '',
			schemaVersion: 0,
			columns: [],
			deletedTasks: [],
			labelColors: {}
		});
	});

	it('lists deleted cards most recently deleted first', () => {
		const { doc, ctx, todo } = boardWithCard();
		const later = createTask(doc, { columnId: todo, title: 'Later' }, ctx);
		const first = readBoard(doc).columns[0]?.tasks[0]?.id as string;
		deleteTask(doc, { taskId: first }, ctx);
		deleteTask(doc, { taskId: later }, ctx);
		expect(readBoard(doc).deletedTasks.map((task) => task.id)).toEqual([later, first]);
	});

	it('returns plain data that survives JSON', () => {
		const { doc, ctx, taskId } = boardWithCard();
		updateTask(doc, { taskId, labels: ['a'], dueDate: '2026-05-01' }, ctx);
		const view = readBoard(doc);
		expect(JSON.parse(JSON.stringify(view))).toEqual(view);
	});
});

describe('readBoard on a malformed document', () => {
	it('reads wrong types as defaults', () => {
		const { doc, todo, taskId, map } = boardWithCard();
		boardMap(doc).set('title', 42);
		const column = columnsMap(doc).get(todo) as Y.Map<unknown>;
		column.set('title', ['x']);
		column.set('category', 'sideways');
		column.set('wipLimit', 'many');
		column.set('rank', 7);
		map.set('title', null);
		map.set('priority', 'whenever');
		map.set('assigneeId', 5);
		map.set('dueDate', '2026-02-30');
		map.set('labels', 'not-an-array');
		map.set('description', { rich: true });
		map.set('createdAt', 'yesterday');
		map.set('createdBy', undefined);
		const view = readBoard(doc);
		expect(view.title).toBe('');
		const shown = view.columns.find((candidate) => candidate.id === todo);
		expect(shown).toMatchObject({ title: '', category: 'todo', wipLimit: null, rank: '' });
		expect(shown?.tasks[0]).toMatchObject({
			id: taskId,
			title: '',
			priority: 'medium',
			assigneeId: null,
			dueDate: null,
			labels: [],
			description: '',
			createdAt: new Date(0).toISOString(),
			createdBy: ''
		});
	});

	it('skips entries that are not maps and cleans labels', () => {
		const { doc, map } = boardWithCard();
		columnsMap(doc).set('junk', 'column?');
		tasksMap(doc).set('junk', 12);
		map.set(
			'labels',
			Y.Array.from<string | number>(['ok', 'ok', 3, '', 'x'.repeat(41), ' spaced '])
		);
		const view = readBoard(doc);
		expect(view.columns).toHaveLength(3);
		expect(view.columns[0]?.tasks).toHaveLength(1);
		expect(view.columns[0]?.tasks[0]?.labels).toEqual(['ok', 'spaced']);
	});

	it('puts a card whose placement is broken in the first live column', () => {
		const { doc, ctx, todo, columnIds, map } = boardWithCard();
		for (const placement of [null, 'x', { columnId: 'gone', rank: 'a0' }, { rank: 3 }]) {
			map.set('placement', placement);
			expect(readBoard(doc).columns[0]?.tasks.map((task) => task.columnId)).toEqual([todo]);
		}
		deleteColumn(doc, { columnId: todo, moveTasksTo: columnIds[1] }, ctx);
		map.set('placement', { columnId: 'gone' });
		expect(readBoard(doc).columns[0]?.tasks.map((task) => task.columnId)).toEqual([columnIds[1]]);
	});

	it('treats a live card in a deleted column as deleted', () => {
		const { doc, todo, taskId } = boardWithCard();
		(columnsMap(doc).get(todo) as Y.Map<unknown>).set('deletedAt', '2026-01-02T03:04:05.000Z');
		const view = readBoard(doc);
		expect(view.columns.flatMap((column) => column.tasks)).toEqual([]);
		expect(view.deletedTasks[0]).toMatchObject({
			id: taskId,
			deletedAt: '2026-01-02T03:04:05.000Z'
		});
	});

	it('survives every column being deleted, and no columns at all', () => {
		const { doc } = boardWithCard();
		for (const value of columnsMap(doc).values()) {
			(value as Y.Map<unknown>).set('deletedAt', 'whenever');
		}
		const view = readBoard(doc);
		expect(view.columns).toEqual([]);
		expect(view.deletedTasks[0]?.deletedAt).toBe(new Date(0).toISOString());
		columnsMap(doc).clear();
		expect(readBoard(doc).deletedTasks).toEqual([]);
		expect(projectBoard(doc).tasks).toEqual([]);
	});

	it('lets operations repair a card with a broken placement', () => {
		const { doc, ctx, columnIds, taskId, map } = boardWithCard();
		map.set('placement', 'broken');
		moveTask(doc, { taskId, columnId: columnIds[2] as string }, ctx);
		expect(map.get('placement')).toEqual({ columnId: columnIds[2], rank: expect.any(String) });
	});

	it('drops NUL and cuts overlong strings', () => {
		const { doc, map } = boardWithCard();
		map.set('title', `a\u0000b${'x'.repeat(300)}`);
		const title = readBoard(doc).columns[0]?.tasks[0]?.title;
		expect(title?.startsWith('abx')).toBe(true);
		expect(title).toHaveLength(255);
	});

	it('replaces lone surrogates with U+FFFD in every text field, so the rows can be stored', () => {
		const { doc, map } = boardWithCard();
		map.set('title', 'bad\ud800title');
		map.set('description', 'x\udc00');
		map.set('labels', ['ok\udbff', 'fine']);
		const placement = map.get('placement') as { columnId: string };
		map.set('placement', { columnId: placement.columnId, rank: 'a\ud800' });
		const { tasks } = projectBoard(doc);
		expect(tasks[0]).toMatchObject({
			title: 'bad\ufffdtitle',
			description: 'x\ufffd',
			labels: ['ok\ufffd', 'fine'],
			rank: ''
		});
		for (const text of [tasks[0]!.title, tasks[0]!.description, ...tasks[0]!.labels]) {
			expect(text.isWellFormed()).toBe(true);
		}
	});
});
