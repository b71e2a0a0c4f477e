import * as Y from 'yjs';
import { describe, expect, it } from 'vitest';
import { deleteColumn } from './columns.ts';
import { readBoard, type TaskView } from './read.ts';
import { tasksMap, type TaskPriority } from './schema.ts';
import { createTask, deleteTask, moveTask, restoreTask, updateTask } from './tasks.ts';
import { cardIds, createBoard, expectRefused, testContext } from './testing.ts';

function task(doc: Y.Doc, id: string): TaskView | undefined {
	const view = readBoard(doc);
	return [...view.columns.flatMap((column) => column.tasks), ...view.deletedTasks].find(
		(candidate) => candidate.id === id
	);
}

function boardWithCards(titles = ['a', 'b', 'c']) {
	const board = createBoard(testContext({ memberIds: new Set(['user-1', 'user-2']) }));
	const [todo, doing, done] = board.columnIds as [string, string, string];
	const cards = titles.map((title) => createTask(board.doc, { columnId: todo, title }, board.ctx));
	return { ...board, todo, doing, done, cards };
}

describe('createTask', () => {
	it('adds a card at the end of the column with defaults', () => {
		const { doc, ctx, todo, cards } = boardWithCards(['first']);
		const id = createTask(doc, { columnId: todo, title: ' Write docs ' }, ctx);
		expect(cardIds(doc)[0]).toEqual([cards[0], id]);
		expect(task(doc, id)).toMatchObject({
			title: 'Write docs',
			description: '',
			columnId: todo,
			priority: 'medium',
			assigneeId: null,
			dueDate: null,
			labels: [],
			createdBy: 'user-1',
			deletedAt: null
		});
		expect(task(doc, id)?.createdAt).toMatch(/^\d{4}-\d{2}-\d{2}T/);
	});

	it('stores the fields in their shared types', () => {
		const { doc, ctx, todo } = boardWithCards([]);
		const id = createTask(
			doc,
			{ columnId: todo, title: 'x', description: 'hi', labels: ['a'] },
			ctx
		);
		const map = tasksMap(doc).get(id) as Y.Map<unknown>;
		expect(map.get('description')).toBeInstanceOf(Y.Text);
		expect(map.get('labels')).toBeInstanceOf(Y.Array);
		expect(map.get('placement')).toEqual({ columnId: todo, rank: expect.any(String) });
	});

	it('takes all optional fields and a position', () => {
		const { doc, ctx, todo, cards } = boardWithCards();
		const id = createTask(
			doc,
			{
				columnId: todo,
				title: 'Full',
				description: 'Line 1\nLine 2',
				priority: 'urgent',
				assigneeId: 'user-2',
				dueDate: '2026-02-28',
				labels: ['bug', ' ui '],
				afterTaskId: cards[0],
				beforeTaskId: cards[1]
			},
			ctx
		);
		expect(cardIds(doc)[0]).toEqual([cards[0], id, cards[1], cards[2]]);
		expect(task(doc, id)).toMatchObject({
			description: 'Line 1\nLine 2',
			priority: 'urgent',
			assigneeId: 'user-2',
			dueDate: '2026-02-28',
			labels: ['bug', 'ui']
		});
		const first = createTask(doc, { columnId: todo, title: 'Top', beforeTaskId: cards[0] }, ctx);
		expect(cardIds(doc)[0]?.[0]).toBe(first);
	});

	it('refuses each invalid field without touching the document', () => {
		const { doc, ctx, todo, doing, cards } = boardWithCards();
		deleteColumn(doc, { columnId: doing }, ctx);
		const create = (input: Record<string, unknown>) => () =>
			createTask(doc, { columnId: todo, title: 'X', ...input } as never, ctx);
		for (const title of ['', '   ', 'x'.repeat(256)]) {
			expectRefused(doc, create({ title }), 'invalid_title', 'title');
		}
		expectRefused(doc, create({ columnId: 'nope' }), 'unknown_column', 'columnId');
		expectRefused(doc, create({ columnId: doing }), 'column_deleted', 'columnId');
		expectRefused(doc, create({ assigneeId: 'stranger' }), 'invalid_assignee', 'assigneeId');
		for (const dueDate of ['2026-02-30', 'tomorrow']) {
			expectRefused(doc, create({ dueDate }), 'invalid_date', 'dueDate');
		}
		expectRefused(doc, create({ priority: 'asap' }), 'invalid_priority', 'priority');
		expectRefused(doc, create({ labels: ['x'.repeat(41)] }), 'invalid_label', 'labels');
		expectRefused(doc, create({ description: 'x'.repeat(20001) }), 'invalid_description');
		expectRefused(doc, create({ afterTaskId: 'nope' }), 'invalid_position', 'afterTaskId');
		expectRefused(
			doc,
			create({ afterTaskId: cards[0], beforeTaskId: cards[2] }),
			'invalid_position',
			'beforeTaskId'
		);
	});
});

describe('updateTask', () => {
	it('changes only the given fields, and clears with null', () => {
		const { doc, ctx, cards } = boardWithCards();
		const id = cards[0] as string;
		updateTask(doc, { taskId: id, title: 'Renamed', priority: 'high', dueDate: '2024-02-29' }, ctx);
		updateTask(doc, { taskId: id, assigneeId: 'user-2', labels: ['one', 'two'] }, ctx);
		expect(task(doc, id)).toMatchObject({
			title: 'Renamed',
			priority: 'high',
			dueDate: '2024-02-29',
			assigneeId: 'user-2',
			labels: ['one', 'two']
		});
		updateTask(doc, { taskId: id, assigneeId: null, dueDate: null, labels: ['two', 'three'] }, ctx);
		expect(task(doc, id)).toMatchObject({
			title: 'Renamed',
			assigneeId: null,
			dueDate: null,
			labels: ['two', 'three']
		});
		updateTask(doc, { taskId: id, labels: ['three', 'two'] }, ctx);
		expect(task(doc, id)?.labels).toEqual(['three', 'two']);
	});

	it('does not write unchanged values', () => {
		const { doc, ctx, cards } = boardWithCards();
		const before = Y.encodeStateAsUpdate(doc);
		updateTask(
			doc,
			{ taskId: cards[0] as string, title: 'a', priority: 'medium', labels: [] },
			ctx
		);
		expect(Y.encodeStateAsUpdate(doc)).toEqual(before);
	});

	it('keeps concurrent edits of different fields and labels', () => {
		const { doc, cards } = boardWithCards();
		const id = cards[0] as string;
		const other = new Y.Doc();
		Y.applyUpdate(other, Y.encodeStateAsUpdate(doc));
		updateTask(doc, { taskId: id, title: 'Mine', labels: ['x'] }, testContext());
		updateTask(other, { taskId: id, priority: 'low', labels: ['y'] }, testContext());
		Y.applyUpdate(doc, Y.encodeStateAsUpdate(other));
		expect(task(doc, id)).toMatchObject({ title: 'Mine', priority: 'low' });
		expect(task(doc, id)?.labels.sort()).toEqual(['x', 'y']);
	});

	it('refuses invalid fields, unknown and deleted cards', () => {
		const { doc, ctx, cards } = boardWithCards();
		const taskId = cards[0] as string;
		const update = (input: Record<string, unknown>) => () =>
			updateTask(doc, { taskId, ...input } as never, ctx);
		for (const title of ['', '  ', 'x'.repeat(256)]) {
			expectRefused(doc, update({ title }), 'invalid_title', 'title');
		}
		expectRefused(doc, update({ assigneeId: 'stranger' }), 'invalid_assignee', 'assigneeId');
		expectRefused(doc, update({ dueDate: '2026-02-30' }), 'invalid_date', 'dueDate');
		expectRefused(doc, update({ dueDate: 'tomorrow' }), 'invalid_date', 'dueDate');
		expectRefused(doc, update({ priority: 'p1' as TaskPriority }), 'invalid_priority');
		expectRefused(doc, update({ labels: [''] }), 'invalid_label', 'labels');
		expectRefused(doc, update({ taskId: 'nope', title: 'x' }), 'unknown_task', 'taskId');
		deleteTask(doc, { taskId }, ctx);
		expectRefused(doc, update({ title: 'x' }), 'task_deleted', 'taskId');
	});
});

describe('moveTask', () => {
	it('moves within a column and to another column', () => {
		const { doc, ctx, todo, doing, cards } = boardWithCards();
		const [a, b, c] = cards as [string, string, string];
		moveTask(doc, { taskId: a, columnId: todo, afterTaskId: b }, ctx);
		expect(cardIds(doc)[0]).toEqual([b, a, c]);
		moveTask(doc, { taskId: c, columnId: todo, beforeTaskId: b }, ctx);
		expect(cardIds(doc)[0]).toEqual([c, b, a]);
		moveTask(doc, { taskId: b, columnId: doing }, ctx);
		moveTask(doc, { taskId: a, columnId: doing, beforeTaskId: b }, ctx);
		expect(cardIds(doc).slice(0, 2)).toEqual([[c], [a, b]]);
		expect(task(doc, a)?.columnId).toBe(doing);
	});

	it('does not write when the card is already there', () => {
		const { doc, ctx, todo, cards } = boardWithCards();
		const before = Y.encodeStateAsUpdate(doc);
		moveTask(doc, { taskId: cards[2] as string, columnId: todo }, ctx);
		moveTask(doc, { taskId: cards[1] as string, columnId: todo, afterTaskId: cards[0] }, ctx);
		expect(Y.encodeStateAsUpdate(doc)).toEqual(before);
	});

	it('makes room when concurrent inserts share a rank', () => {
		const { doc, ctx, todo } = boardWithCards([]);
		const other = new Y.Doc();
		Y.applyUpdate(other, Y.encodeStateAsUpdate(doc));
		const x = createTask(doc, { columnId: todo, title: 'x' }, testContext({}, 'x'));
		const y = createTask(other, { columnId: todo, title: 'y' }, testContext({}, 'y'));
		Y.applyUpdate(doc, Y.encodeStateAsUpdate(other));
		expect(task(doc, x)?.rank).toBe(task(doc, y)?.rank);
		const z = createTask(doc, { columnId: todo, title: 'z', afterTaskId: x }, ctx);
		expect(cardIds(doc)[0]).toEqual([x, z, y]);
	});

	it('refuses unknown or deleted cards and columns and bad anchors', () => {
		const { doc, ctx, todo, doing, done, cards } = boardWithCards();
		const [a, b] = cards as [string, string, string];
		deleteColumn(doc, { columnId: done }, ctx);
		const move = (input: Record<string, unknown>) => () =>
			moveTask(doc, { taskId: a, columnId: doing, ...input } as never, ctx);
		expectRefused(doc, move({ taskId: 'nope' }), 'unknown_task', 'taskId');
		expectRefused(doc, move({ columnId: 'nope' }), 'unknown_column', 'columnId');
		expectRefused(doc, move({ columnId: done }), 'column_deleted', 'columnId');
		expectRefused(doc, move({ afterTaskId: b }), 'invalid_position', 'afterTaskId');
		expectRefused(doc, move({ columnId: todo, afterTaskId: a }), 'invalid_position');
		deleteTask(doc, { taskId: a }, ctx);
		expectRefused(doc, move({}), 'task_deleted', 'taskId');
	});
});

describe('deleteTask and restoreTask', () => {
	it('soft-deletes and restores a card in its place', () => {
		const { doc, ctx, cards } = boardWithCards();
		const b = cards[1] as string;
		deleteTask(doc, { taskId: b }, ctx);
		expect(cardIds(doc)[0]).toEqual([cards[0], cards[2]]);
		expect(readBoard(doc).deletedTasks.map((view) => view.id)).toEqual([b]);
		const before = Y.encodeStateAsUpdate(doc);
		deleteTask(doc, { taskId: b }, ctx);
		expect(Y.encodeStateAsUpdate(doc)).toEqual(before);
		restoreTask(doc, { taskId: b }, ctx);
		expect(cardIds(doc)[0]).toEqual(cards);
		expect(task(doc, b)?.deletedAt).toBeNull();
		const restored = Y.encodeStateAsUpdate(doc);
		restoreTask(doc, { taskId: b }, ctx);
		expect(Y.encodeStateAsUpdate(doc)).toEqual(restored);
	});

	it('restores a card of a deleted column into the first live column', () => {
		const { doc, ctx, todo, doing, cards } = boardWithCards();
		const kept = createTask(doc, { columnId: doing, title: 'kept' }, ctx);
		deleteColumn(doc, { columnId: todo }, ctx);
		restoreTask(doc, { taskId: cards[1] as string }, ctx);
		expect(cardIds(doc)[0]).toEqual([kept, cards[1]]);
		expect(task(doc, cards[1] as string)).toMatchObject({ columnId: doing, deletedAt: null });
	});

	it('refuses unknown cards', () => {
		const { doc, ctx } = boardWithCards();
		expectRefused(doc, () => deleteTask(doc, { taskId: 'nope' }, ctx), 'unknown_task', 'taskId');
		expectRefused(doc, () => restoreTask(doc, { taskId: 'nope' }, ctx), 'unknown_task', 'taskId');
	});
});
