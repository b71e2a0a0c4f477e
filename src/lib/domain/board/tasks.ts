/**
 * Card operations. Every field is its own key of the card's Y.Map, so concurrent edits of
 * different fields all survive; the placement is one value, so concurrent moves of a card
 * resolve to exactly one of them.
 */
import * as Y from 'yjs';
import { commit, nextId, nowIso, type OpContext } from './context.ts';
import { DomainError } from './errors.ts';
import { sameLabels, writeLabels } from './labels.ts';
import {
	cardSiblings,
	placeAmong,
	readNamedTask,
	requireLiveColumn,
	requireLiveTask,
	requireTask,
	type Sibling,
	writeCardRanks,
	writePlacement
} from './lookup.ts';
import { anchorIndex } from './ordering.ts';
import { canRankBetween } from './rank.ts';
import { readColumnCards, readColumnTail } from './records.ts';
import { defaultPriority, tasksMap, type TaskPriority } from './schema.ts';
import {
	assertWritable,
	validateAssignee,
	validateDescription,
	validateDueDate,
	validateLabels,
	validatePriority,
	validateTitle
} from './validate.ts';

export { editDescription, setDescription } from './description.ts';

/** Input of `createTask`; without anchors the card goes to the end of the column. */
export interface CreateTaskInput {
	columnId: string;
	title: string;
	description?: string;
	priority?: TaskPriority;
	assigneeId?: string | null;
	dueDate?: string | null;
	labels?: string[];
	afterTaskId?: string | null;
	beforeTaskId?: string | null;
}

/** Input of `updateTask`: only the fields given (not undefined) change; null clears. */
export interface UpdateTaskInput {
	taskId: string;
	title?: string;
	priority?: TaskPriority;
	assigneeId?: string | null;
	dueDate?: string | null;
	labels?: string[];
}

/** Input of `moveTask`; without anchors the card goes to the end of the column. */
export interface MoveTaskInput {
	taskId: string;
	columnId: string;
	afterTaskId?: string | null;
	beforeTaskId?: string | null;
}

const anchorFields = { after: 'afterTaskId', before: 'beforeTaskId' };

/** Adds a card to a live column and returns its id. */
export function createTask(doc: Y.Doc, input: CreateTaskInput, ctx: OpContext): string {
	const fields = validateNewCard(input, ctx);
	assertWritable(doc);
	const columnId = typeof input.columnId === 'string' ? input.columnId : '';
	if (input.afterTaskId == null && input.beforeTaskId == null) {
		// At the end only the last card counts, unless its rank leaves no room after it (then
		// cards before it are re-ranked too, which needs the column).
		const tail = readColumnTail(doc, columnId);
		const column = requireLiveColumn(tail, input.columnId);
		if (tail.last === null || canRankBetween(tail.last.rank, null)) {
			const siblings = cardSiblings(tail.last ? [tail.last] : []);
			const place = { columnId: column.id, siblings, index: siblings.length };
			return placeNewCard(doc, fields, place, ctx);
		}
	}
	// Only the target column's cards: creating must not cost a read of the whole board.
	const records = readColumnCards(doc, columnId);
	const column = requireLiveColumn(records, input.columnId);
	const siblings = cardSiblings(records.cards);
	const index = anchorIndex(
		siblings.map((task) => task.id),
		input.afterTaskId,
		input.beforeTaskId,
		anchorFields
	);
	return placeNewCard(doc, fields, { columnId: column.id, siblings, index }, ctx);
}

/** The checked fields of a new card. */
export type NewCardFields = ReturnType<typeof validateNewCard>;

/** Checks the fields of a new card (not its place); throws a DomainError naming the field. */
export function validateNewCard(input: Omit<CreateTaskInput, 'columnId'>, ctx: OpContext) {
	return {
		title: validateTitle(input.title),
		description: input.description === undefined ? '' : validateDescription(input.description),
		priority: input.priority === undefined ? defaultPriority : validatePriority(input.priority),
		assigneeId: input.assigneeId === undefined ? null : validateAssignee(input.assigneeId, ctx),
		dueDate: input.dueDate === undefined ? null : validateDueDate(input.dueDate),
		labels: input.labels === undefined ? [] : validateLabels(input.labels)
	};
}

/**
 * Writes a checked card at `index` among the live cards of a live column (`siblings`, in board
 * order, updated in place so a caller may place several cards in one column without reading it
 * again) and returns its id.
 */
export function placeNewCard(
	doc: Y.Doc,
	card: NewCardFields,
	place: { columnId: string; siblings: Sibling[]; index: number },
	ctx: OpContext
): string {
	const id = nextId(ctx);
	const map = new Y.Map<unknown>();
	const { rank, writes } = placeAmong(place.siblings, place.index, { id, map });
	const fields: [string, unknown][] = [
		['id', id],
		['title', card.title],
		['description', new Y.Text(card.description)],
		['placement', { columnId: place.columnId, rank }],
		['priority', card.priority],
		['assigneeId', card.assigneeId],
		['dueDate', card.dueDate],
		['labels', Y.Array.from(card.labels)],
		['createdBy', ctx.actorId],
		['createdAt', nowIso(ctx)],
		['deletedAt', null]
	];
	for (const [key, value] of fields) map.set(key, value);
	commit(doc, ctx, () => {
		writeCardRanks(writes, place.columnId);
		tasksMap(doc).set(id, map);
	});
	return id;
}

/** Changes the given fields of a live card. */
export function updateTask(doc: Y.Doc, input: UpdateTaskInput, ctx: OpContext): void {
	const changes = new Map<string, unknown>();
	if (input.title !== undefined) changes.set('title', validateTitle(input.title));
	if (input.priority !== undefined) changes.set('priority', validatePriority(input.priority));
	if (input.assigneeId !== undefined) {
		changes.set('assigneeId', validateAssignee(input.assigneeId, ctx));
	}
	if (input.dueDate !== undefined) changes.set('dueDate', validateDueDate(input.dueDate));
	const labels = input.labels === undefined ? null : validateLabels(input.labels);
	assertWritable(doc);
	const task = requireLiveTask(readNamedTask(doc, input.taskId), input.taskId);
	// Rewriting an unchanged value would still win over a concurrent edit of the same field.
	for (const [key, value] of changes) {
		if (task.map.get(key) === value) changes.delete(key);
	}
	const labelsChange = labels !== null && !sameLabels(task.map, labels) ? labels : null;
	if (changes.size === 0 && labelsChange === null) return;
	commit(doc, ctx, () => {
		for (const [key, value] of changes) task.map.set(key, value);
		if (labelsChange) writeLabels(task.map, labelsChange);
	});
}

/** Moves a live card to a position in a live column (possibly the one it is in). */
export function moveTask(doc: Y.Doc, input: MoveTaskInput, ctx: OpContext): void {
	assertWritable(doc);
	const task = requireLiveTask(readNamedTask(doc, input.taskId), input.taskId);
	// Only the target column's cards: moving must not cost a read of the whole board.
	const records = readColumnCards(doc, typeof input.columnId === 'string' ? input.columnId : '');
	const column = requireLiveColumn(records, input.columnId);
	const siblings = cardSiblings(records.cards, task.id);
	const index = anchorIndex(
		siblings.map((sibling) => sibling.id),
		input.afterTaskId,
		input.beforeTaskId,
		anchorFields
	);
	if (task.placed && task.columnId === column.id) {
		const current = cardSiblings(records.cards).findIndex((card) => card.id === task.id);
		if (current === index) return;
	}
	const { rank, writes } = placeAmong(siblings, index, { id: task.id, map: task.map });
	commit(doc, ctx, () => {
		writeCardRanks(writes, column.id);
		writePlacement(task.map, column.id, rank);
	});
}

/** Soft-deletes a card; deleting a deleted card does nothing. */
export function deleteTask(doc: Y.Doc, input: { taskId: string }, ctx: OpContext): void {
	assertWritable(doc);
	const task = requireTask(readNamedTask(doc, input.taskId), input.taskId);
	if (task.deletedAt !== null) return;
	const now = nowIso(ctx);
	commit(doc, ctx, () => task.map.set('deletedAt', now));
}

/**
 * Brings a deleted card back. It returns to its place when its column is live; when its column
 * was deleted (or never existed) it goes to the end of the first live column. Restoring a live
 * card does nothing.
 */
export function restoreTask(doc: Y.Doc, input: { taskId: string }, ctx: OpContext): void {
	assertWritable(doc);
	const records = readNamedTask(doc, input.taskId);
	const task = requireTask(records, input.taskId);
	if (task.deletedAt === null) return;
	const column = records.columnById.get(task.columnId);
	const stays = task.placed && column !== undefined && column.deletedAt === null;
	const target = stays ? null : records.liveColumns[0];
	if (!stays && !target) {
		throw new DomainError('unknown_column', 'Add a column to restore the card into.', null);
	}
	const siblings = target ? cardSiblings(readColumnCards(doc, target.id).cards) : [];
	const placed = target
		? placeAmong(siblings, siblings.length, { id: task.id, map: task.map })
		: null;
	commit(doc, ctx, () => {
		if (task.ownDeletedAt !== null) task.map.set('deletedAt', null);
		if (target && placed) {
			writeCardRanks(placed.writes, target.id);
			writePlacement(task.map, target.id, placed.rank);
		}
	});
}
