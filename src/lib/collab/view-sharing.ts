/**
 * Structural sharing between successive board views. `readBoard` builds fresh objects on every
 * change; handing the previous object back wherever nothing changed lets keyed `{#each}` blocks
 * skip untouched cards, which keeps a keystroke on a 1000-card board cheap.
 */
import type { BoardView, ColumnView, TaskView } from '$lib/domain/board';

function sameValue(a: unknown, b: unknown): boolean {
	if (a === b) return true;
	if (Array.isArray(a) && Array.isArray(b)) {
		return a.length === b.length && a.every((item, i) => item === b[i]);
	}
	return false;
}

/** Same own fields, compared one level deep (arrays of primitives by element). */
function sameFields<T extends object>(a: T, b: T, skip?: keyof T): boolean {
	const keys = Object.keys(a) as (keyof T)[];
	if (keys.length !== Object.keys(b).length) return false;
	return keys.every((key) => key === skip || sameValue(a[key], b[key]));
}

function sameItems<T>(a: readonly T[], b: readonly T[]): boolean {
	return a.length === b.length && a.every((item, i) => item === b[i]);
}

/** `next`, with every part that equals the matching part of `previous` replaced by it. */
export function shareView(previous: BoardView | null, next: BoardView): BoardView {
	if (!previous) return next;
	const oldTasks = new Map<string, TaskView>();
	for (const column of previous.columns) {
		for (const task of column.tasks) oldTasks.set(task.id, task);
	}
	for (const task of previous.deletedTasks) oldTasks.set(task.id, task);
	const share = (task: TaskView): TaskView => {
		const old = oldTasks.get(task.id);
		return old && sameFields(old, task) ? old : task;
	};

	const oldColumns = new Map(previous.columns.map((column) => [column.id, column]));
	const columns = next.columns.map((column): ColumnView => {
		const tasks = column.tasks.map(share);
		const old = oldColumns.get(column.id);
		if (old && sameFields(old, column, 'tasks') && sameItems(old.tasks, tasks)) return old;
		return { ...column, tasks };
	});
	const deletedTasks = next.deletedTasks.map(share);
	const unchanged =
		previous.title === next.title &&
		previous.schemaVersion === next.schemaVersion &&
		sameItems(previous.columns, columns) &&
		sameItems(previous.deletedTasks, deletedTasks);
	return unchanged ? previous : { ...next, columns, deletedTasks };
}
