/**
 * A plain copy of what events describe (card fields, columns, the board title), kept in step
 * with the document after every transaction whatever its origin, so each change can be told as
 * "before -> after" without reconstructing old states from Yjs internals.
 */
import * as Y from 'yjs';
import { cleanText, readChecklist, readLabels } from '#lib/domain/board/records.ts';
import { boardMap, columnsMap, maxTitleLength, tasksMap } from '#lib/domain/board/schema.ts';

export interface TaskState {
	title: string;
	columnId: string | null;
	rank: string;
	priority: string | null;
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

export interface ColumnState {
	title: string;
	rank: string;
	category: string | null;
	wipLimit: number | null;
	deletedAt: string | null;
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

/**
 * Strings as any client wrote them, made storable: no NUL (PostgreSQL text and jsonb refuse it,
 * and one such value must never make a store fail) and bounded in length.
 */
const str = (value: unknown, max = 255): string | null =>
	typeof value === 'string' ? cleanText(value, max) : null;

/** A map key (card or column id) as events carry it; see `str`. */
export function entityKey(key: string): string {
	return cleanText(key, 255);
}

export function readTaskState(value: unknown): TaskState | null {
	if (!(value instanceof Y.Map)) return null;
	const map = value as Y.Map<unknown>;
	const placement = map.get('placement') as { columnId?: unknown; rank?: unknown } | null;
	const place = typeof placement === 'object' && placement !== null ? placement : {};
	const description = map.get('description');
	const items = readChecklist(map);
	return {
		title: str(map.get('title'), maxTitleLength) ?? '',
		columnId: str(place.columnId),
		rank: str(place.rank, 1024) ?? '',
		priority: str(map.get('priority')),
		assigneeId: str(map.get('assigneeId')) || null,
		dueDate: str(map.get('dueDate')),
		labels: readLabels(map.get('labels')),
		descriptionChars:
			description instanceof Y.Text || typeof description === 'string' ? description.length : 0,
		checklist: { done: items.filter((item) => item.done).length, total: items.length },
		deletedAt: str(map.get('deletedAt')),
		createdBy: str(map.get('createdBy'))
	};
}

export function readColumnState(value: unknown): ColumnState | null {
	if (!(value instanceof Y.Map)) return null;
	const map = value as Y.Map<unknown>;
	const wipLimit = map.get('wipLimit');
	return {
		title: str(map.get('title'), maxTitleLength) ?? '',
		rank: str(map.get('rank'), 1024) ?? '',
		category: str(map.get('category')),
		wipLimit: typeof wipLimit === 'number' ? wipLimit : null,
		deletedAt: str(map.get('deletedAt'))
	};
}

/** The value an event shows for a field: descriptions as a length, the rest as stored. */
export function fieldValue(state: TaskState, field: UpdatableField): unknown {
	if (field === 'description') return { chars: state.descriptionChars };
	return state[field];
}

function sameValue(a: unknown, b: unknown): boolean {
	return JSON.stringify(a) === JSON.stringify(b);
}

export function changedFields(before: TaskState, after: TaskState): UpdatableField[] {
	return updatableFields.filter((field) =>
		field === 'description'
			? before.descriptionChars !== after.descriptionChars
			: !sameValue(before[field], after[field])
	);
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
