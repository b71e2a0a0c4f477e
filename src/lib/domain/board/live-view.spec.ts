import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { deleteColumn } from './columns.ts';
import { liveBoardView } from './live-view.ts';
import { randomEditing } from './random-editing.ts';
import { liveTasks } from './random-operations.ts';
import { readBoard, type BoardView, type ColumnView, type TaskView } from './read.ts';
import { columnsMap, tasksMap } from './schema.ts';
import { createTask, editDescription, updateTask } from './tasks.ts';
import { createBoard } from './testing.ts';

/** The objects of a view and what they held, to check identity and immutability later. */
interface Snapshot {
	view: BoardView;
	json: string;
	tasks: Map<string, { task: TaskView; json: string }>;
	columns: Map<string, ColumnView>;
}

function snapshot(view: BoardView): Snapshot {
	const tasks = new Map<string, { task: TaskView; json: string }>();
	for (const task of [...view.columns.flatMap((column) => column.tasks), ...view.deletedTasks]) {
		tasks.set(task.id, { task, json: JSON.stringify(task) });
	}
	const columns = new Map(view.columns.map((column) => [column.id, column]));
	return { view, json: JSON.stringify(view), tasks, columns };
}

/**
 * The live view equals a fresh read; the previous view was not mutated; every card that reads
 * the same as before is the very same object, and so is every column whose fields and cards
 * are. (A card the step did not touch reads the same, so this covers untouched cards.)
 */
function expectPatched(doc: Y.Doc, previous: Snapshot): Snapshot {
	const view = liveBoardView(doc);
	expect(view).toEqual(readBoard(doc));
	expect(JSON.stringify(previous.view)).toBe(previous.json);
	const current = snapshot(view);
	for (const [id, { task, json }] of current.tasks) {
		const before = previous.tasks.get(id);
		if (before && before.json === json) expect(task).toBe(before.task);
	}
	for (const column of view.columns) {
		const before = previous.columns.get(column.id);
		const same =
			before !== undefined &&
			JSON.stringify({ ...before, tasks: null }) === JSON.stringify({ ...column, tasks: null }) &&
			before.tasks.length === column.tasks.length &&
			before.tasks.every((task, i) => task === column.tasks[i]);
		if (same) expect(column).toBe(before);
	}
	if (current.json === previous.json) expect(view).toBe(previous.view);
	return current;
}

describe('liveBoardView', () => {
	it('equals readBoard after every step of random concurrent editing, keeping unchanged objects', () => {
		for (let seed = 1; seed <= 40; seed++) {
			// Checked after every transaction (a delivery may apply several): the view is patched
			// by the listener registered first, so ours sees the patched view.
			const failures: unknown[] = [];
			const network = randomEditing(seed, {
				steps: 60,
				watch(replica) {
					let previous = snapshot(liveBoardView(replica.doc));
					replica.doc.on('afterTransaction', () => {
						try {
							previous = expectPatched(replica.doc, previous);
						} catch (error) {
							failures.push(error);
						}
					});
				},
				afterStep() {
					if (failures.length > 0) throw failures[0];
				}
			});
			if (failures.length > 0) throw failures[0];
			for (const replica of network.replicas) {
				expect(liveBoardView(replica.doc)).toEqual(readBoard(replica.doc));
			}
		}
	});

	it('replaces only the edited card and its column on a description keystroke', () => {
		const { doc, ctx, columnIds } = createBoard();
		const [todo, doing] = columnIds as [string, string];
		const a = createTask(doc, { columnId: todo, title: 'A' }, ctx);
		const b = createTask(doc, { columnId: todo, title: 'B' }, ctx);
		createTask(doc, { columnId: doing, title: 'C' }, ctx);
		const before = liveBoardView(doc);
		editDescription(doc, { taskId: a, index: 0, deleteCount: 0, insert: 'x' }, ctx);
		const after = liveBoardView(doc);
		expect(after).toEqual(readBoard(doc));
		expect(after.columns[0]!.tasks[0]).not.toBe(before.columns[0]!.tasks[0]);
		expect(after.columns[0]!.tasks[0]!.description).toBe('x');
		expect(after.columns[0]!.tasks[1]).toBe(before.columns[0]!.tasks[1]);
		expect(after.columns[0]!.tasks[1]!.id).toBe(b);
		expect(after.columns[0]).not.toBe(before.columns[0]);
		expect(after.columns[0]!.tasks).not.toBe(before.columns[0]!.tasks);
		expect(after.columns[1]).toBe(before.columns[1]);
		expect(after.deletedTasks).toBe(before.deletedTasks);
	});

	it('moves unplaced cards with the fallback column and back when it is restored', () => {
		const { doc, ctx, columnIds } = createBoard();
		const [todo, doing] = columnIds as [string, string];
		const a = createTask(doc, { columnId: doing, title: 'A' }, ctx);
		const lost = createTask(doc, { columnId: doing, title: 'Lost' }, ctx);
		let previous = snapshot(liveBoardView(doc));
		doc.transact(() =>
			(tasksMap(doc).get(lost) as Y.Map<unknown>).set('placement', { columnId: 'gone' })
		);
		previous = expectPatched(doc, previous);
		expect(liveTasks(previous.view).find((task) => task.id === lost)?.columnId).toBe(todo);
		const column = columnsMap(doc).get(todo) as Y.Map<unknown>;
		doc.transact(() => column.set('deletedAt', '2026-03-02T00:00:00.000Z'));
		previous = expectPatched(doc, previous);
		expect(previous.view.columns[0]!.tasks.map((task) => task.id)).toEqual([lost, a]);
		doc.transact(() => column.set('deletedAt', null));
		previous = expectPatched(doc, previous);
		expect(previous.view.columns[0]!.tasks.map((task) => task.id)).toEqual([lost]);
		updateTask(doc, { taskId: a, title: 'A2' }, ctx);
		previous = expectPatched(doc, previous);
		// A column deleted with its cards: they join the deleted list, most recent first.
		deleteColumn(doc, { columnId: doing }, ctx);
		previous = expectPatched(doc, previous);
		expect(previous.view.deletedTasks.map((task) => task.id)).toContain(a);
	});

	it('is current inside a running transaction', () => {
		const { doc, ctx, columnIds } = createBoard();
		liveBoardView(doc);
		doc.transact(() => {
			createTask(doc, { columnId: columnIds[0] as string, title: 'Inside' }, ctx);
			expect(liveBoardView(doc)).toEqual(readBoard(doc));
		});
		expect(liveBoardView(doc)).toEqual(readBoard(doc));
	});

	it('is current for observers of the transaction, and so is the column index', () => {
		const { doc, ctx, columnIds } = createBoard();
		liveBoardView(doc);
		const seen: { view: boolean; placed: string | null }[] = [];
		tasksMap(doc).observeDeep(() => {
			// Once: the card it adds is a transaction of its own, observed in turn.
			if (seen.length > 0) return;
			seen.push({
				view: JSON.stringify(liveBoardView(doc)) === JSON.stringify(readBoard(doc)),
				// An operation placing a card reads the column index: it must hold the new card.
				placed: createTask(doc, { columnId: columnIds[0] as string, title: 'Next' }, ctx)
			});
		});
		const remote = new Y.Doc();
		Y.applyUpdate(remote, Y.encodeStateAsUpdate(doc));
		createTask(remote, { columnId: columnIds[0] as string, title: 'Remote' }, { actorId: 'u2' });
		Y.applyUpdate(doc, Y.encodeStateAsUpdate(remote, Y.encodeStateVector(doc)));
		expect(seen[0]).toMatchObject({ view: true });
		expect(liveBoardView(doc)).toEqual(readBoard(doc));
		const titles = liveBoardView(doc).columns[0]!.tasks.map((task) => task.title);
		expect(titles.slice(0, 2)).toEqual(['Remote', 'Next']);
	});
});
