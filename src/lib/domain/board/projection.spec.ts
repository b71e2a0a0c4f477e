import * as Y from 'yjs';
import { describe, expect, it } from 'vitest';
import { deleteColumn, setColumnCategory } from './columns.ts';
import { projectBoard, projectTasks } from './projection.ts';
import { randomOperation } from './random-operations.ts';
import { readBoard } from './read.ts';
import { columnsMap, tasksMap } from './schema.ts';
import { createTask, deleteTask, moveTask, setDescription, updateTask } from './tasks.ts';
import { createBoard, createRandom } from './testing.ts';

function board() {
	const created = createBoard();
	const [todo, doing, done] = created.columnIds as [string, string, string];
	return { ...created, todo, doing, done };
}

describe('projectBoard', () => {
	it('gives one row per column, deleted ones included', () => {
		const { doc, ctx, doing } = board();
		deleteColumn(doc, { columnId: doing }, ctx);
		const { columns } = projectBoard(doc);
		expect(columns.map((row) => [row.title, row.category, row.deletedAt !== null])).toEqual([
			['To do', 'todo', false],
			['In progress', 'in_progress', true],
			['Done', 'done', false]
		]);
		expect(Object.keys(columns[0] ?? {}).sort()).toEqual(
			['category', 'deletedAt', 'id', 'rank', 'title', 'wipLimit'].sort()
		);
	});

	it('gives each card its fields and its column category as status', () => {
		const { doc, ctx, todo, done } = board();
		const id = createTask(
			doc,
			{ columnId: todo, title: 'Card', priority: 'high', labels: ['a'], dueDate: '2026-07-01' },
			ctx
		);
		setDescription(doc, { taskId: id, text: 'Details' }, ctx);
		updateTask(doc, { taskId: id, assigneeId: 'user-2' }, ctx);
		expect(projectBoard(doc).tasks).toEqual([
			{
				id,
				columnId: todo,
				rank: expect.any(String),
				title: 'Card',
				description: 'Details',
				status: 'todo',
				priority: 'high',
				assigneeId: 'user-2',
				creatorId: 'user-1',
				createdAt: expect.stringMatching(/Z$/),
				dueDate: '2026-07-01',
				labels: ['a'],
				checklist: [],
				deletedAt: null
			}
		]);
		moveTask(doc, { taskId: id, columnId: done }, ctx);
		expect(projectBoard(doc).tasks[0]).toMatchObject({ columnId: done, status: 'done' });
		setColumnCategory(doc, { columnId: done, category: 'in_progress' }, ctx);
		expect(projectBoard(doc).tasks[0]?.status).toBe('in_progress');
	});

	it('keeps deleted cards, counting cards of a deleted column as deleted', () => {
		const { doc, ctx, todo, doing } = board();
		const gone = createTask(doc, { columnId: todo, title: 'Gone' }, ctx);
		const inColumn = createTask(doc, { columnId: doing, title: 'In column' }, ctx);
		deleteTask(doc, { taskId: gone }, ctx);
		// As if a concurrent move had put a live card into the column after it was deleted.
		(columnsMap(doc).get(doing) as Y.Map<unknown>).set('deletedAt', '2026-04-01T00:00:00.000Z');
		const rows = projectBoard(doc).tasks;
		expect(rows.map((row) => [row.id, row.deletedAt !== null])).toEqual(
			expect.arrayContaining([
				[gone, true],
				[inColumn, true]
			])
		);
		expect(rows.find((row) => row.id === inColumn)?.deletedAt).toBe('2026-04-01T00:00:00.000Z');
	});

	it('agrees with readBoard', () => {
		const { doc, ctx, todo, doing } = board();
		for (let i = 0; i < 5; i++)
			createTask(doc, { columnId: i % 2 ? todo : doing, title: `${i}` }, ctx);
		const view = readBoard(doc);
		const rows = projectBoard(doc);
		const live = view.columns.flatMap((column) =>
			column.tasks.map((task) => ({ id: task.id, columnId: column.id, status: column.category }))
		);
		expect(
			rows.tasks
				.filter((row) => row.deletedAt === null)
				.map(({ id, columnId, status }) => ({ id, columnId, status }))
				.sort((a, b) => (a.id < b.id ? -1 : 1))
		).toEqual(live.sort((a, b) => (a.id < b.id ? -1 : 1)));
	});
});

describe('projectTasks', () => {
	it('gives the listed cards exactly the rows projectBoard gives them', () => {
		for (let seed = 1; seed <= 20; seed++) {
			const random = createRandom(seed);
			const { doc, ctx } = board();
			for (let step = 0; step < 60; step++) randomOperation(random, { doc, ctx });
			// A raw card, as a hostile client could write it: no placement, no fields.
			const stray = 'stray';
			tasksMap(doc).set(stray, new Y.Map<unknown>([['placement', { columnId: 'nowhere' }]]));
			const ids = [...tasksMap(doc).keys()].filter(() => random.chance(0.5));
			const wanted = new Set(ids);
			const expected = projectBoard(doc).tasks.filter((row) => wanted.has(row.id));
			expect(projectTasks(doc, [...ids, 'not-a-card', stray]), `seed ${seed}`).toEqual(
				projectBoard(doc).tasks.filter((row) => wanted.has(row.id) || row.id === stray)
			);
			expect(expected.length).toBe(ids.length);
		}
	});
});
