/**
 * Finding the column or card an operation names, and placing items among their siblings. Both
 * work on what records.ts reads (the named cards, one column's cards), which places every card
 * exactly where `readRecords` does, so an operation sees the board that `readBoard` shows
 * without reading all of it.
 */
import type * as Y from 'yjs';
import { DomainError } from './errors.ts';
import { planInsert } from './ordering.ts';
import {
	readTaskRecords,
	type BoardRecords,
	type ColumnCard,
	type ColumnRecord,
	type ColumnSet,
	type TaskRecord
} from './records.ts';
import type { Placement } from './schema.ts';

/** A column that exists and is not deleted. */
export function requireLiveColumn(
	records: Pick<BoardRecords, 'columnById'>,
	columnId: unknown,
	field = 'columnId'
): ColumnRecord {
	const column = typeof columnId === 'string' ? records.columnById.get(columnId) : undefined;
	if (!column) throw new DomainError('unknown_column', 'There is no such column.', field);
	if (column.deletedAt !== null) {
		throw new DomainError('column_deleted', 'That column has been deleted.', field);
	}
	return column;
}

/** The columns and the one card an input names (if it names a card), not the whole board. */
export function readNamedTask(
	doc: Y.Doc,
	taskId: unknown
): Pick<BoardRecords, 'taskById'> & ColumnSet {
	return readTaskRecords(doc, typeof taskId === 'string' ? [taskId] : []);
}

/** A card that exists, deleted or not. */
export function requireTask(records: Pick<BoardRecords, 'taskById'>, taskId: unknown): TaskRecord {
	const task = typeof taskId === 'string' ? records.taskById.get(taskId) : undefined;
	if (!task) throw new DomainError('unknown_task', 'There is no such card.', 'taskId');
	return task;
}

/** A card that exists and is live; a card in a deleted column counts as deleted. */
export function requireLiveTask(
	records: Pick<BoardRecords, 'taskById'>,
	taskId: unknown
): TaskRecord {
	const task = requireTask(records, taskId);
	if (task.deletedAt !== null) {
		throw new DomainError('task_deleted', 'That card has been deleted.', 'taskId');
	}
	return task;
}

/** A rank to write, keyed by the Y.Map that holds it. */
export interface RankWrite {
	map: Y.Map<unknown>;
	rank: string;
}

/** Ranked siblings as the planner needs them: sorted, with the map to update. */
export interface Sibling {
	id: string;
	rank: string;
	map: Y.Map<unknown>;
}

/**
 * The rank for an item inserted at `index` among `siblings`, plus sibling re-rankings that make
 * room. `siblings` is updated in place (new item included) so a caller can place several items.
 */
export function placeAmong(
	siblings: Sibling[],
	index: number,
	item: Omit<Sibling, 'rank'>
): { rank: string; writes: RankWrite[] } {
	const plan = planInsert(
		siblings.map((sibling) => sibling.rank),
		index
	);
	const writes: RankWrite[] = [];
	for (const { index: at, rank } of plan.reranked) {
		const sibling = siblings[at] as Sibling;
		sibling.rank = rank;
		writes.push({ map: sibling.map, rank });
	}
	siblings.splice(index, 0, { ...item, rank: plan.rank });
	return { rank: plan.rank, writes };
}

/**
 * The live cards of a column (from `readColumnCards`, in board order) as siblings, optionally
 * without the card being placed.
 */
export function cardSiblings(cards: readonly ColumnCard[], exceptId?: string): Sibling[] {
	return cards
		.filter((card) => card.deletedAt === null && card.id !== exceptId)
		.map(({ id, rank, map }) => ({ id, rank, map }));
}

/** The live columns as siblings, optionally without the column being placed. */
export function columnSiblings(set: Pick<ColumnSet, 'liveColumns'>, exceptId?: string): Sibling[] {
	return set.liveColumns
		.filter((column) => column.id !== exceptId)
		.map(({ id, rank, map }) => ({ id, rank, map }));
}

/** Writes a card's placement as one value, never field by field (see `Placement`). */
export function writePlacement(map: Y.Map<unknown>, columnId: string, rank: string): void {
	const placement: Placement = { columnId, rank };
	map.set('placement', placement);
}

/** Re-ranks cards of `columnId` that had to move to make room. */
export function writeCardRanks(writes: readonly RankWrite[], columnId: string): void {
	for (const { map, rank } of writes) writePlacement(map, columnId, rank);
}

/** Re-ranks columns that had to move to make room. */
export function writeColumnRanks(writes: readonly RankWrite[]): void {
	for (const { map, rank } of writes) map.set('rank', rank);
}
