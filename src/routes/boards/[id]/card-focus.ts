/**
 * Where the arrow keys take the focus on the board: up and down through a column's cards, left
 * and right to the nearest column that has cards, at the same height where it can.
 */
import type { ColumnView } from '$lib/domain/board';

export type FocusDirection = 'up' | 'down' | 'left' | 'right';

/**
 * The card the focus goes to from `taskId`, or null at an edge. `columnId` (the card's column,
 * known from the page) spares a search through every column of a large board.
 */
export function neighbourCard(
	columns: readonly ColumnView[],
	{ taskId, columnId, direction }: { taskId: string; columnId?: string; direction: FocusDirection }
): string | null {
	let at = columnId ? columns.findIndex((column) => column.id === columnId) : -1;
	let index = at >= 0 ? columns[at]!.tasks.findIndex((task) => task.id === taskId) : -1;
	if (index < 0) {
		at = columns.findIndex((column) => column.tasks.some((task) => task.id === taskId));
		if (at < 0) return null;
		index = columns[at]!.tasks.findIndex((task) => task.id === taskId);
	}
	const tasks = columns[at]!.tasks;
	if (direction === 'up') return tasks[index - 1]?.id ?? null;
	if (direction === 'down') return tasks[index + 1]?.id ?? null;
	const step = direction === 'left' ? -1 : 1;
	for (let next = at + step; next >= 0 && next < columns.length; next += step) {
		const target = columns[next]!.tasks;
		if (target.length > 0) return target[Math.min(index, target.length - 1)]!.id;
	}
	return null;
}
