/**
 * Many card operations as one change, all or nothing. A Yjs transaction cannot be rolled back,
 * so every item is checked against the document before the first write; a refusal lists every
 * failing item (index, field, message) and leaves the document untouched. Items then apply in
 * order, in one transaction, through the single-card operations.
 */
import type * as Y from 'yjs';
import { commit, type OpContext } from './context.ts';
import { setDescription } from './description.ts';
import { DomainError } from './errors.ts';
import { cardSiblings, requireLiveColumn, requireLiveTask, type Sibling } from './lookup.ts';
import { readColumnCards, readColumnSet, readTaskRecords } from './records.ts';
import type { TaskPriority } from './schema.ts';
import {
	moveTask,
	placeNewCard,
	updateTask,
	validateNewCard,
	type CreateTaskInput
} from './tasks.ts';
import {
	assertWritable,
	validateAssignee,
	validateDescription,
	validateDueDate,
	validateLabels,
	validatePriority,
	validateTitle
} from './validate.ts';

/** Most items one batch may hold: bounds the work of one transaction. */
export const maxBatchItems = 1000;

export interface BatchItemError {
	index: number;
	/** The item's field the message belongs to, or `_` for the item as a whole. */
	field: string;
	detail: string;
}

/** Some items were refused; nothing was written. */
export class BatchRefused extends Error {
	readonly errors: BatchItemError[];
	constructor(errors: BatchItemError[]) {
		super(`${errors.length} item(s) refused`);
		this.name = 'BatchRefused';
		this.errors = errors;
	}
}

/** A card to create: anchors are not offered, items go to the end of their column in order. */
export type BatchCreateItem = Omit<CreateTaskInput, 'columnId' | 'afterTaskId' | 'beforeTaskId'> & {
	/** Default: the first live column. */
	columnId?: string;
};

/** Fields to change on card `id`; `columnId` and/or `position` move it. */
export interface BatchUpdateItem {
	id: string;
	title?: string;
	description?: string;
	priority?: TaskPriority;
	assigneeId?: string | null;
	dueDate?: string | null;
	labels?: string[];
	/** The column to move the card into (may be its own). */
	columnId?: string;
	/**
	 * 0-based place among the column's other live cards when the item applies; past the end (or
	 * absent with a new `columnId`) puts it last.
	 */
	position?: number;
}

/** Runs each check, collecting its refusal under the item's index instead of throwing. */
class Checks {
	readonly errors: BatchItemError[] = [];
	check(index: number, run: () => void, rename: Record<string, string> = {}): void {
		try {
			run();
		} catch (error) {
			if (!(error instanceof DomainError)) throw error;
			const field = error.field === null ? '_' : (rename[error.field] ?? error.field);
			this.errors.push({ index, field, detail: error.message });
		}
	}
	/** Throws the refusal when any check failed. */
	settle(): void {
		if (this.errors.length > 0) throw new BatchRefused(this.errors);
	}
}

type CardFields = Pick<
	BatchUpdateItem,
	'title' | 'description' | 'priority' | 'assigneeId' | 'dueDate' | 'labels'
>;

function checkFields(checks: Checks, index: number, item: CardFields, ctx: OpContext) {
	const { title, description, priority, assigneeId, dueDate, labels } = item;
	if (title !== undefined) checks.check(index, () => validateTitle(title));
	if (description !== undefined) checks.check(index, () => validateDescription(description));
	if (priority !== undefined) checks.check(index, () => validatePriority(priority));
	if (assigneeId !== undefined) checks.check(index, () => validateAssignee(assigneeId, ctx));
	if (dueDate !== undefined) checks.check(index, () => validateDueDate(dueDate));
	if (labels !== undefined) checks.check(index, () => validateLabels(labels));
}

/**
 * Creates every card or none (BatchRefused); returns their ids in item order. Each item goes to
 * the end of its column (default the first live column), after the items before it.
 */
export function createTasks(
	doc: Y.Doc,
	items: readonly BatchCreateItem[],
	ctx: OpContext
): string[] {
	assertWritable(doc);
	const set = readColumnSet(doc);
	const first = set.liveColumns[0]?.id;
	const checks = new Checks();
	const columns: string[] = [];
	items.forEach((item, index) => {
		// The title is required here; the other fields are checked when given.
		checks.check(index, () => validateTitle(item.title));
		checkFields(checks, index, { ...item, title: undefined }, ctx);
		const columnId = item.columnId ?? first;
		if (columnId === undefined) {
			checks.errors.push({ index, field: 'columnId', detail: 'Add a column to the board first.' });
		} else {
			checks.check(index, () => requireLiveColumn(set, columnId));
		}
		columns.push(columnId ?? '');
	});
	checks.settle();
	// Each column is read once; its siblings then grow as cards are placed, so a batch costs
	// about its size plus its columns rather than a read of the column per card.
	const siblings = new Map<string, Sibling[]>();
	const siblingsOf = (columnId: string) => {
		let list = siblings.get(columnId);
		if (!list) siblings.set(columnId, (list = cardSiblings(readColumnCards(doc, columnId).cards)));
		return list;
	};
	const ids: string[] = [];
	commit(doc, ctx, () => {
		items.forEach((item, index) => {
			const columnId = columns[index]!;
			const list = siblingsOf(columnId);
			const card = validateNewCard(item, ctx);
			ids.push(placeNewCard(doc, card, { columnId, siblings: list, index: list.length }, ctx));
		});
	});
	return ids;
}

/** Changes (and moves) every card or none (BatchRefused); items apply in order. */
export function updateTasks(doc: Y.Doc, items: readonly BatchUpdateItem[], ctx: OpContext): void {
	assertWritable(doc);
	const records = readTaskRecords(
		doc,
		items.map((item) => item.id)
	);
	const checks = new Checks();
	const seen = new Set<string>();
	items.forEach((item, index) => {
		if (seen.has(item.id)) {
			checks.errors.push({ index, field: 'id', detail: 'This card appears earlier in the batch.' });
		}
		seen.add(item.id);
		checks.check(index, () => requireLiveTask(records, item.id), { taskId: 'id' });
		checkFields(checks, index, item, ctx);
		if (item.columnId !== undefined) {
			checks.check(index, () => requireLiveColumn(records, item.columnId));
		}
		if (item.position !== undefined && !(Number.isInteger(item.position) && item.position >= 0)) {
			checks.errors.push({ index, field: 'position', detail: 'Give a whole number from 0.' });
		}
	});
	checks.settle();
	commit(doc, ctx, () => {
		for (const item of items) applyUpdate(doc, item, ctx);
	});
}

function applyUpdate(doc: Y.Doc, item: BatchUpdateItem, ctx: OpContext): void {
	const { id, description, columnId, position, ...fields } = item;
	updateTask(doc, { taskId: id, ...fields }, ctx);
	if (description !== undefined) setDescription(doc, { taskId: id, text: description }, ctx);
	if (columnId === undefined && position === undefined) return;
	const current = requireLiveTask(readTaskRecords(doc, [id]), id).columnId;
	const target = columnId ?? current;
	// Naming the card's own column without a position keeps it where it is.
	if (target === current && position === undefined) return;
	const siblings = cardSiblings(readColumnCards(doc, target).cards, id);
	const before = position === undefined ? undefined : siblings[position]?.id;
	moveTask(doc, { taskId: id, columnId: target, beforeTaskId: before }, ctx);
}
