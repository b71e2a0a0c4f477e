/**
 * Column operations. Columns are ordered by (rank, id) among the live ones; deleting is soft so
 * cards and database rows that point at a column keep a target.
 */
import * as Y from 'yjs';
import { commit, nextId, nowIso, type OpContext } from './context.ts';
import { DomainError } from './errors.ts';
import {
	cardSiblings,
	columnSiblings,
	placeAmong,
	requireLiveColumn,
	writeCardRanks,
	writeColumnRanks,
	writePlacement,
	type RankWrite
} from './lookup.ts';
import { anchorIndex } from './ordering.ts';
import { readColumnCards, readColumnSet } from './records.ts';
import { columnsMap, defaultCategory, type ColumnCategory } from './schema.ts';
import { assertWritable, validateCategory, validateTitle, validateWipLimit } from './validate.ts';

/** Input of `createColumn`; without anchors the column goes last. */
export interface CreateColumnInput {
	title: string;
	category?: ColumnCategory;
	wipLimit?: number | null;
	afterColumnId?: string | null;
	beforeColumnId?: string | null;
}

/** Input of `moveColumn`; without anchors the column goes last. */
export interface MoveColumnInput {
	columnId: string;
	afterColumnId?: string | null;
	beforeColumnId?: string | null;
}

/**
 * Input of `deleteColumn`. With `moveTasksTo`, the column's live cards are appended to that
 * column in their current order; without it they are deleted along with the column.
 */
export interface DeleteColumnInput {
	columnId: string;
	moveTasksTo?: string | null;
}

const anchorFields = { after: 'afterColumnId', before: 'beforeColumnId' };

/** A complete column map, so readers never meet a half-made column. */
export function newColumnMap(fields: {
	id: string;
	title: string;
	rank: string;
	category: ColumnCategory;
	wipLimit?: number | null;
}): Y.Map<unknown> {
	const map = new Y.Map<unknown>();
	map.set('id', fields.id);
	map.set('title', fields.title);
	map.set('rank', fields.rank);
	map.set('category', fields.category);
	map.set('wipLimit', fields.wipLimit ?? null);
	map.set('deletedAt', null);
	return map;
}

/** Adds a column and returns its id. */
export function createColumn(doc: Y.Doc, input: CreateColumnInput, ctx: OpContext): string {
	const title = validateTitle(input.title);
	const category =
		input.category === undefined ? defaultCategory : validateCategory(input.category);
	const wipLimit = input.wipLimit === undefined ? null : validateWipLimit(input.wipLimit);
	assertWritable(doc);
	const siblings = columnSiblings(readColumnSet(doc));
	const index = anchorIndex(
		siblings.map((column) => column.id),
		input.afterColumnId,
		input.beforeColumnId,
		anchorFields
	);
	const id = nextId(ctx);
	const map = newColumnMap({ id, title, rank: '', category, wipLimit });
	const { rank, writes } = placeAmong(siblings, index, { id, map });
	map.set('rank', rank);
	commit(doc, ctx, () => {
		writeColumnRanks(writes);
		columnsMap(doc).set(id, map);
	});
	return id;
}

/** Renames a live column. */
export function renameColumn(
	doc: Y.Doc,
	input: { columnId: string; title: string },
	ctx: OpContext
): void {
	const title = validateTitle(input.title);
	setField(doc, input.columnId, 'title', title, ctx);
}

/** Sets the stage of work a live column stands for (its cards' status). */
export function setColumnCategory(
	doc: Y.Doc,
	input: { columnId: string; category: ColumnCategory },
	ctx: OpContext
): void {
	const category = validateCategory(input.category);
	setField(doc, input.columnId, 'category', category, ctx);
}

/** Sets or clears (null) the work-in-progress limit of a live column. */
export function setWipLimit(
	doc: Y.Doc,
	input: { columnId: string; wipLimit: number | null },
	ctx: OpContext
): void {
	const wipLimit = validateWipLimit(input.wipLimit);
	setField(doc, input.columnId, 'wipLimit', wipLimit, ctx);
}

function setField(doc: Y.Doc, columnId: unknown, key: string, value: unknown, ctx: OpContext) {
	assertWritable(doc);
	const column = requireLiveColumn(readColumnSet(doc), columnId);
	if (column.map.get(key) === value) return;
	commit(doc, ctx, () => column.map.set(key, value));
}

/** Moves a live column among the live columns. */
export function moveColumn(doc: Y.Doc, input: MoveColumnInput, ctx: OpContext): void {
	assertWritable(doc);
	const records = readColumnSet(doc);
	const column = requireLiveColumn(records, input.columnId);
	const siblings = columnSiblings(records, column.id);
	const index = anchorIndex(
		siblings.map((sibling) => sibling.id),
		input.afterColumnId,
		input.beforeColumnId,
		anchorFields
	);
	if (records.liveColumns.indexOf(column) === index) return;
	const { rank, writes } = placeAmong(siblings, index, { id: column.id, map: column.map });
	commit(doc, ctx, () => {
		writeColumnRanks(writes);
		column.map.set('rank', rank);
	});
}

/**
 * Soft-deletes a live column, moving its live cards to `moveTasksTo` or deleting them with it.
 * The last live column cannot be deleted: cards need somewhere to be.
 */
export function deleteColumn(doc: Y.Doc, input: DeleteColumnInput, ctx: OpContext): void {
	assertWritable(doc);
	const records = readColumnSet(doc);
	const column = requireLiveColumn(records, input.columnId);
	if (records.liveColumns.length === 1) {
		throw new DomainError('last_column', 'A board needs at least one column.', 'columnId');
	}
	const hasTarget = input.moveTasksTo !== undefined && input.moveTasksTo !== null;
	const target = hasTarget ? requireLiveColumn(records, input.moveTasksTo, 'moveTasksTo') : null;
	if (target === column) {
		throw new DomainError(
			'invalid_target',
			'Move the cards to another column than the one being deleted.',
			'moveTasksTo'
		);
	}
	// Only the two columns' cards, never the whole board.
	const cards = cardSiblings(readColumnCards(doc, column.id).cards);
	const now = nowIso(ctx);
	const moves: { writes: RankWrite[]; card: RankWrite }[] = [];
	if (target) {
		const siblings = cardSiblings(readColumnCards(doc, target.id).cards);
		for (const card of cards) {
			const placed = placeAmong(siblings, siblings.length, { id: card.id, map: card.map });
			moves.push({ writes: placed.writes, card: { map: card.map, rank: placed.rank } });
		}
	}
	commit(doc, ctx, () => {
		column.map.set('deletedAt', now);
		if (target) {
			// Later placements may re-rank earlier ones, so write in planning order.
			for (const move of moves) {
				writeCardRanks(move.writes, target.id);
				writePlacement(move.card.map, target.id, move.card.rank);
			}
		} else {
			for (const card of cards) card.map.set('deletedAt', now);
		}
	});
}
