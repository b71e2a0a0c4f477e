/**
 * A plain copy of what events describe (card fields, columns, the board title), kept in step
 * with the document after every transaction whatever its origin, so each change can be told as
 * "before -> after" without reconstructing old states from Yjs internals.
 */
import * as Y from 'yjs';
import {
	cleanText,
	descriptionLength,
	readTask,
	type ColumnSet
} from '#lib/domain/board/records.ts';
import { boardMap, columnsMap, tasksMap } from '#lib/domain/board/schema.ts';

/**
 * What events say about a card: the domain's reading of it (`readTask`, the one card reader
 * rows and pages use too, so an event, a row and the board show the same column, priority and
 * due date), with the description and checklist summarised.
 */
export interface TaskState {
	title: string;
	/** The document's key of its column (events clean it as they tell it, `entityKey`). */
	columnId: string;
	rank: string;
	priority: string;
	assigneeId: string | null;
	dueDate: string | null;
	labels: string[];
	/** Descriptions are summarised by length: an event per keystroke's text would be useless. */
	descriptionChars: number;
	/** Checklists are summarised by progress, like descriptions by length. */
	checklist: { done: number; total: number };
	/** The card's own deletion (a card in a deleted column keeps its own state). */
	deletedAt: string | null;
	/** Who the document says created the card (told when it is completed). */
	createdBy: string | null;
}

/** Card fields whose changes are `task.updated` (placement and deletion have their own events). */
export const updatableFields = [
	'title',
	'description',
	'priority',
	'assigneeId',
	'dueDate',
	'labels',
	'checklist'
] as const;
export type UpdatableField = (typeof updatableFields)[number];

/** A map key (card or column id) as events carry it: storable, like every string they hold. */
export function entityKey(key: string): string {
	return cleanText(key, 255);
}

/** The card as events tell it, or null when the value is no card (or the board has no column). */
export function readTaskState(columns: ColumnSet, id: string, value: unknown): TaskState | null {
	const task = readTask(columns, { id, value });
	if (!task) return null;
	let done = 0;
	for (const item of task.checklist) if (item.done) done++;
	return {
		title: task.title,
		columnId: task.columnId,
		rank: task.rank,
		priority: task.priority,
		assigneeId: task.assigneeId,
		dueDate: task.dueDate,
		labels: task.labels,
		descriptionChars: descriptionLength(task.map),
		checklist: { done, total: task.checklist.length },
		deletedAt: task.ownDeletedAt,
		createdBy: task.createdBy || null
	};
}

/** The value an event shows for a field: descriptions as a length, the rest as stored. */
export function fieldValue(state: TaskState, field: UpdatableField): unknown {
	if (field === 'description') return { chars: state.descriptionChars };
	return state[field];
}

/** Other field values are strings, null or string arrays (labels). */
function sameValue(a: unknown, b: unknown): boolean {
	if (a === b) return true;
	return (
		Array.isArray(a) &&
		Array.isArray(b) &&
		a.length === b.length &&
		a.every((item, i) => item === b[i])
	);
}

export function changedFields(before: TaskState, after: TaskState): UpdatableField[] {
	return updatableFields.filter((field) => {
		if (field === 'description') return before.descriptionChars !== after.descriptionChars;
		if (field === 'checklist') {
			return (
				before.checklist.done !== after.checklist.done ||
				before.checklist.total !== after.checklist.total
			);
		}
		return !sameValue(before[field], after[field]);
	});
}

/** What a transaction touched: card and column ids, and whether the board map changed. */
export interface Touched {
	tasks: ReadonlySet<string>;
	columns: ReadonlySet<string>;
	board: boolean;
}

/**
 * Every listener of a transaction (events, rows) asks for its touched set; it is computed once
 * per transaction and shared. Keyed weakly: a transaction is garbage once its listeners ran.
 */
const touchedOf = new WeakMap<Y.Transaction, Touched>();

/**
 * Reads the touched entities from `transaction.changed`: a nested type (a description's Y.Text,
 * a card's labels) is traced up to the card or column that holds it. The sets are shared by
 * every caller for the same transaction: read them, never change them.
 */
export function touchedBy(doc: Y.Doc, transaction: Y.Transaction): Readonly<Touched> {
	let touched = touchedOf.get(transaction);
	if (!touched) {
		touched = readTouched(doc, transaction);
		touchedOf.set(transaction, touched);
	}
	return touched;
}

function readTouched(doc: Y.Doc, transaction: Y.Transaction): Touched {
	// Compared by identity with the transaction's changed types.
	const tasks: unknown = tasksMap(doc);
	const columns: unknown = columnsMap(doc);
	const board: unknown = boardMap(doc);
	const touchedTasks = new Set<string>();
	const touchedColumns = new Set<string>();
	let touchedBoard = false;
	for (const [type, keys] of transaction.changed) {
		if (type === tasks || type === columns) {
			const into = type === tasks ? touchedTasks : touchedColumns;
			for (const key of keys) if (key !== null) into.add(key);
			continue;
		}
		if (type === board) {
			touchedBoard = true;
			continue;
		}
		let child = type;
		while (child._item) {
			const parent = child._item.parent;
			const key = child._item.parentSub;
			if ((parent === tasks || parent === columns) && key !== null) {
				(parent === tasks ? touchedTasks : touchedColumns).add(key);
				break;
			}
			if (!(parent instanceof Y.AbstractType)) break;
			child = parent;
		}
	}
	return { tasks: touchedTasks, columns: touchedColumns, board: touchedBoard };
}

/** Ids in display order, (rank, id), as the domain sorts siblings. */
export function ordered<T extends { rank: string }>(entries: Iterable<[string, T]>): string[] {
	return [...entries]
		.sort(([ida, a], [idb, b]) =>
			a.rank !== b.rank ? (a.rank < b.rank ? -1 : 1) : ida < idb ? -1 : ida > idb ? 1 : 0
		)
		.map(([id]) => id);
}

/**
 * Which of the re-ranked items really moved. Making room re-ranks neighbours without changing
 * their order, so an item moved when its neighbours changed; when several candidates qualify,
 * the one whose removal leaves both orders equal is the move and the rest were made room for.
 * (Two adjacent items swapping places fit either reading; the first candidate is reported.)
 */
export function movedAmong(
	allBefore: string[],
	allAfter: string[],
	candidates: string[]
): string[] {
	// Only items on both sides: an item added or removed next to another is not its move.
	const inAfter = new Set(allAfter);
	const common = new Set(allBefore.filter((id) => inAfter.has(id)));
	const before = allBefore.filter((id) => common.has(id));
	const after = allAfter.filter((id) => common.has(id));
	const neighbours = (order: string[], id: string) => {
		const at = order.indexOf(id);
		return `${order[at - 1] ?? ''}|${order[at + 1] ?? ''}`;
	};
	const shifted = candidates.filter(
		(id) => common.has(id) && neighbours(before, id) !== neighbours(after, id)
	);
	if (shifted.length <= 1) return shifted;
	const without = (order: string[], id: string) => order.filter((other) => other !== id).join();
	const single = shifted.filter((id) => without(before, id) === without(after, id));
	return single.length > 0 ? single.slice(0, 1) : shifted;
}
