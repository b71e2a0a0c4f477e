/**
 * Positions during a move, as indexes among an item's siblings without the item itself (the
 * domain's notion). Shared by pointer and keyboard moves, so both commit and announce alike.
 */
import type { ColumnView, TaskView } from '$lib/domain/board';

/** Where a card would go: its column and its index among that column's other cards. */
export interface CardSpot {
	columnId: string;
	index: number;
}

export function findCard(
	columns: readonly ColumnView[],
	taskId: string
): { column: ColumnView; task: TaskView; index: number } | null {
	for (const column of columns) {
		const index = column.tasks.findIndex((task) => task.id === taskId);
		if (index >= 0) return { column, task: column.tasks[index] as TaskView, index };
	}
	return null;
}

/** The neighbour to anchor on: the card that will follow the moved one, if any. */
export function beforeTaskId(column: ColumnView, taskId: string, index: number): string | null {
	return column.tasks.filter((task) => task.id !== taskId)[index]?.id ?? null;
}

/**
 * The index among the column's other cards (all of them, not only those rendered) at which a
 * card goes when dropped in front of `taskId`; with `after`, behind it.
 */
export function indexAmongOthers(
	column: ColumnView,
	{ taskId, movingId, after = false }: { taskId: string; movingId: string; after?: boolean }
): number {
	let index = 0;
	for (const task of column.tasks) {
		if (task.id === taskId) return after ? index + 1 : index;
		if (task.id !== movingId) index++;
	}
	return index;
}

export function beforeColumnId(
	columns: readonly ColumnView[],
	columnId: string,
	index: number
): string | null {
	return columns.filter((column) => column.id !== columnId)[index]?.id ?? null;
}

/** The columns as they would look with the card at `spot`; used to preview keyboard moves. */
export function previewCard(
	columns: readonly ColumnView[],
	taskId: string,
	spot: CardSpot
): ColumnView[] {
	const found = findCard(columns, taskId);
	if (!found) return [...columns];
	return columns.map((column) => {
		const tasks = column.tasks.filter((task) => task.id !== taskId);
		if (column.id === spot.columnId) tasks.splice(spot.index, 0, found.task);
		return tasks.length === column.tasks.length && column.id !== spot.columnId
			? column
			: { ...column, tasks, taskCount: column.taskCount + tasks.length - column.tasks.length };
	});
}

export function previewColumn(
	columns: readonly ColumnView[],
	columnId: string,
	index: number
): ColumnView[] {
	const moving = columns.find((column) => column.id === columnId);
	if (!moving) return [...columns];
	const rest = columns.filter((column) => column.id !== columnId);
	rest.splice(index, 0, moving);
	return rest;
}

/** "Column To do, position 2 of 5." for a card at `spot` (counting the card itself). */
export function describeCardSpot(columns: readonly ColumnView[], taskId: string, spot: CardSpot) {
	const column = columns.find((candidate) => candidate.id === spot.columnId);
	const others = column ? column.tasks.filter((task) => task.id !== taskId).length : 0;
	return `Column ${column?.title ?? 'unknown'}, position ${spot.index + 1} of ${others + 1}.`;
}

export function describeColumnSpot(columns: readonly ColumnView[], index: number): string {
	return `Position ${index + 1} of ${columns.length}.`;
}
