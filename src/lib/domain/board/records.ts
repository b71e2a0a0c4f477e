/**
 * Tolerant reading of the raw document. Any client with write access can put any value under
 * any key, so every field is checked and replaced by a safe default when malformed. Reads,
 * projections and operations all go through here, so they agree on what the board looks like.
 */
import * as Y from 'yjs';
import {
	storedColumnIndex,
	storedColumnTail,
	storedPlacement,
	type StoredTail
} from './column-index.ts';
import { compareRanked, storedRank } from './rank.ts';
import {
	columnsMap,
	defaultCategory,
	defaultPriority,
	checklistKeyPrefix,
	isCalendarDate,
	isChecklistKey,
	isColumnCategory,
	isTaskPriority,
	maxChecklistItems,
	maxChecklistTextLength,
	maxDescriptionLength,
	maxLabelLength,
	maxLabels,
	maxTitleLength,
	tasksMap,
	type ColumnCategory,
	type TaskPriority
} from './schema.ts';

/** A column as read from the document, with defaults in place of malformed fields. */
export interface ColumnRecord {
	id: string;
	title: string;
	rank: string;
	category: ColumnCategory;
	wipLimit: number | null;
	deletedAt: string | null;
	map: Y.Map<unknown>;
}

/** A card as read, placed in a column that exists (see `readRecords`). */
export interface TaskRecord {
	id: string;
	title: string;
	columnId: string;
	rank: string;
	/** False when the stored placement was malformed or named a column that does not exist. */
	placed: boolean;
	priority: TaskPriority;
	assigneeId: string | null;
	dueDate: string | null;
	labels: string[];
	/** In (rank, id) order, at most `maxChecklistItems`. */
	checklist: ChecklistItemRecord[];
	createdBy: string;
	createdAt: string;
	/** The card's own deletion time, whatever its column's state. */
	ownDeletedAt: string | null;
	/** Deleted itself, or sitting in a deleted column. */
	deletedAt: string | null;
	map: Y.Map<unknown>;
}

/** A checklist item as read; its id is the part of its key after `checklist:`. */
export interface ChecklistItemRecord {
	id: string;
	text: string;
	done: boolean;
	rank: string;
	map: Y.Map<unknown>;
}

/** Columns (deleted ones too) and cards, each sorted by (rank, id). */
export interface BoardRecords extends ColumnSet {
	tasks: TaskRecord[];
	taskById: Map<string, TaskRecord>;
}

const epoch = new Date(0).toISOString();

/**
 * Drops NUL and replaces lone surrogates with U+FFFD (PostgreSQL text and jsonb hold neither, so
 * one such value would fail every later store of the board), and cuts to `max` without
 * splitting a pair.
 */
export function cleanText(value: string, max: number): string {
	let text = value.includes('\u0000') ? value.replaceAll('\u0000', '') : value;
	if (!text.isWellFormed()) text = text.toWellFormed();
	if (text.length > max) {
		text = text.slice(0, max);
		if (/[\uD800-\uDBFF]$/.test(text)) text = text.slice(0, -1);
	}
	return text;
}

function text(value: unknown, max: number): string {
	return typeof value === 'string' ? cleanText(value, max) : '';
}

/**
 * Canonical forms of timestamps read recently. A card's timestamps are read on every edit of it
 * (before and after, by the event recorder and the row projection) and rarely change: a parse
 * and a format each time were a steady cost at load. Bounded (cleared when full), and only short
 * strings are kept, so a hostile value cannot grow it.
 */
const canonicalTimestamps = new Map<string, string | null>();
const maxCanonicalTimestamps = 4096;
const maxTimestampLength = 40;

/** An ISO timestamp in canonical form, or null when absent or unparseable. */
function timestamp(value: unknown): string | null {
	if (typeof value !== 'string') return null;
	const known = canonicalTimestamps.get(value);
	if (known !== undefined) return known;
	const time = Date.parse(value);
	const canonical = Number.isFinite(time) ? new Date(time).toISOString() : null;
	if (value.length <= maxTimestampLength) {
		if (canonicalTimestamps.size >= maxCanonicalTimestamps) canonicalTimestamps.clear();
		canonicalTimestamps.set(value, canonical);
	}
	return canonical;
}

/** Any string marks a deletion; an unparseable one still counts, dated at the epoch. */
function deletion(value: unknown): string | null {
	return typeof value === 'string' ? (timestamp(value) ?? epoch) : null;
}

function wipLimit(value: unknown): number | null {
	return Number.isInteger(value) && (value as number) >= 1 && (value as number) <= 999
		? (value as number)
		: null;
}

/** The card's description as a string, whether stored as Y.Text (as it should be) or not. */
export function readDescription(map: Y.Map<unknown>): string {
	const value = map.get('description');
	const raw = value instanceof Y.Text ? value.toString() : typeof value === 'string' ? value : '';
	return cleanText(raw, maxDescriptionLength);
}

/** The description's length, without reading it out (events summarise descriptions by it). */
export function descriptionLength(map: Y.Map<unknown>): number {
	const value = map.get('description');
	return value instanceof Y.Text || typeof value === 'string'
		? Math.min(value.length, maxDescriptionLength)
		: 0;
}

/** Valid, distinct labels in stored order, at most `maxLabels`. */
export function readLabels(value: unknown): string[] {
	const raw = value instanceof Y.Array ? value.toArray() : Array.isArray(value) ? value : [];
	const labels: string[] = [];
	for (const item of raw) {
		if (labels.length === maxLabels) break;
		if (typeof item !== 'string' || item.includes('\u0000')) continue;
		const label = item.trim().toWellFormed();
		if (label && label.length <= maxLabelLength && !labels.includes(label)) labels.push(label);
	}
	return labels;
}

/**
 * The card's checklist items in (rank, id) order. Entries that are not a `Y.Map` are skipped;
 * past `maxChecklistItems` (only a hostile client writes more) the first ones in order are kept.
 */
export function readChecklist(map: Y.Map<unknown>): ChecklistItemRecord[] {
	const items: ChecklistItemRecord[] = [];
	// The raw entries, so a card's other fields cost a key comparison each, not a read: every
	// full read of a board passes here for every card, and so does every edit of a card on the
	// server (its events read it). `forEach`, not `for … of`: the iterator made a [key, entry]
	// pair for each of the card's dozen keys, 1.1 KB of garbage per edit at the seed load.
	map._map.forEach((entry, key) => {
		if (entry.deleted || !isChecklistKey(key)) return;
		const value = map.get(key);
		if (!(value instanceof Y.Map)) return;
		const item = value as Y.Map<unknown>;
		items.push({
			id: cleanText(key.slice(checklistKeyPrefix.length), 255),
			text: text(item.get('text'), maxChecklistTextLength),
			done: item.get('done') === true,
			rank: storedRank(item.get('rank')),
			map: item
		});
	});
	items.sort(compareRanked);
	return items.length > maxChecklistItems ? items.slice(0, maxChecklistItems) : items;
}

export function readColumn(id: string, map: Y.Map<unknown>): ColumnRecord {
	const category = map.get('category');
	return {
		id,
		title: text(map.get('title'), maxTitleLength),
		rank: storedRank(map.get('rank')),
		category: isColumnCategory(category) ? category : defaultCategory,
		wipLimit: wipLimit(map.get('wipLimit')),
		deletedAt: deletion(map.get('deletedAt')),
		map
	};
}

/** The existing column a stored placement names, if any. */
function namedColumn(
	placement: { columnId?: unknown },
	columnById: Map<string, ColumnRecord>
): ColumnRecord | undefined {
	return typeof placement.columnId === 'string' ? columnById.get(placement.columnId) : undefined;
}

function readTaskFields(
	id: string,
	map: Y.Map<unknown>,
	columnById: Map<string, ColumnRecord>,
	fallback: ColumnRecord
): TaskRecord {
	const stored = storedPlacement(map.get('placement'));
	const named = namedColumn(stored, columnById);
	const column = named ?? fallback;
	const priority = map.get('priority');
	const assigneeId = map.get('assigneeId');
	const dueDate = map.get('dueDate');
	const ownDeletedAt = deletion(map.get('deletedAt'));
	return {
		id,
		title: text(map.get('title'), maxTitleLength),
		columnId: column.id,
		rank: storedRank(stored.rank),
		placed: named !== undefined,
		priority: isTaskPriority(priority) ? priority : defaultPriority,
		assigneeId: typeof assigneeId === 'string' && assigneeId ? cleanText(assigneeId, 255) : null,
		dueDate: isCalendarDate(dueDate) ? dueDate : null,
		labels: readLabels(map.get('labels')),
		checklist: readChecklist(map),
		createdBy: text(map.get('createdBy'), 255),
		createdAt: timestamp(map.get('createdAt')) ?? epoch,
		ownDeletedAt,
		deletedAt: ownDeletedAt ?? column.deletedAt,
		map
	};
}

/** The columns (deleted ones too) in (rank, id) order, without reading any card. */
export function readColumnRecords(doc: Y.Doc): ColumnRecord[] {
	const columns: ColumnRecord[] = [];
	for (const [id, value] of columnsMap(doc)) {
		if (value instanceof Y.Map) columns.push(readColumn(id, value as Y.Map<unknown>));
	}
	return columns.sort(compareRanked);
}

/** The columns and where a card without a usable placement goes; no card is read. */
export interface ColumnSet {
	/** Deleted ones too, in (rank, id) order. */
	columns: ColumnRecord[];
	liveColumns: ColumnRecord[];
	columnById: Map<string, ColumnRecord>;
	/** The first live column, else the first column; none on a board without columns. */
	fallback: ColumnRecord | undefined;
}

export function readColumnSet(doc: Y.Doc): ColumnSet {
	const columns = readColumnRecords(doc);
	const columnById = new Map(columns.map((column) => [column.id, column]));
	const liveColumns = columns.filter((column) => column.deletedAt === null);
	return { columns, liveColumns, columnById, fallback: liveColumns[0] ?? columns[0] };
}

/**
 * One card read against the columns, or undefined when the value is no card or the board has
 * no column to show it in. Every read of a whole card goes through here (`readColumnCards`
 * reads only the rank and deletion, with the same field readers).
 */
export function readTask(
	set: ColumnSet,
	{ id, value }: { id: string; value: unknown }
): TaskRecord | undefined {
	if (!(value instanceof Y.Map) || !set.fallback) return undefined;
	return readTaskFields(id, value as Y.Map<unknown>, set.columnById, set.fallback);
}

/**
 * Everything on the board. A card whose placement is malformed or names a missing column is
 * put in the first live column (or, with none live, the first column); with no columns at all
 * it cannot be shown and is left out.
 */
export function readRecords(doc: Y.Doc): BoardRecords {
	const set = readColumnSet(doc);
	const tasks: TaskRecord[] = [];
	if (set.fallback) {
		for (const [id, value] of tasksMap(doc)) {
			const task = readTask(set, { id, value });
			if (task) tasks.push(task);
		}
	}
	tasks.sort(compareRanked);
	const taskById = new Map(tasks.map((task) => [task.id, task]));
	return { ...set, tasks, taskById };
}

/**
 * The listed cards only, read exactly as `readRecords` reads them (ids that are not cards are
 * left out), and the columns: for callers that need a few cards of a large board.
 */
export function readTaskRecords(
	doc: Y.Doc,
	ids: Iterable<string>
): ColumnSet & { tasks: TaskRecord[]; taskById: Map<string, TaskRecord> } {
	const set = readColumnSet(doc);
	const tasks: TaskRecord[] = [];
	const map = tasksMap(doc);
	for (const id of new Set(ids)) {
		const task = readTask(set, { id, value: map.get(id) });
		if (task) tasks.push(task);
	}
	tasks.sort(compareRanked);
	return { ...set, tasks, taskById: new Map(tasks.map((task) => [task.id, task])) };
}

/** A card as `readColumnCards` reads it: what placing a card among its siblings needs. */
export type ColumnCard = Pick<TaskRecord, 'id' | 'rank' | 'deletedAt' | 'map'>;

/**
 * The cards whose placement names no existing column (or none), which `readRecords` puts in
 * the fallback column. From the index of stored placements (column-index.ts).
 */
export function unplacedCardIds(doc: Y.Doc, set: ColumnSet): string[] {
	const ids: string[] = [];
	for (const [stored, more] of storedColumnIndex(doc).byColumn) {
		if (isUnplaced(set, stored)) ids.push(...more);
	}
	return ids;
}

/** Whether cards filed under this stored column id (null: none) sit in the fallback column. */
function isUnplaced(set: ColumnSet, stored: string | null): boolean {
	return stored === null || !set.columnById.has(stored);
}

/**
 * Cards whose column or inherited deletion may have changed with the columns: those naming a
 * column that appeared, vanished or changed its deletion, and, when the fallback column
 * changed, those that sit in it because their placement names no existing column.
 */
export function cardsMovedByColumns(
	doc: Y.Doc,
	{ before, after }: { before: ColumnSet; after: ColumnSet }
): Set<string> {
	const { byColumn } = storedColumnIndex(doc);
	const ids = new Set<string>();
	const add = (more: Iterable<string> = []) => {
		for (const id of more) ids.add(id);
	};
	for (const id of new Set([...before.columnById.keys(), ...after.columnById.keys()])) {
		if (before.columnById.get(id)?.deletedAt !== after.columnById.get(id)?.deletedAt) {
			add(byColumn.get(id));
		}
	}
	if (
		before.fallback?.id !== after.fallback?.id ||
		before.fallback?.deletedAt !== after.fallback?.deletedAt
	) {
		add(unplacedCardIds(doc, after));
	}
	return ids;
}

/**
 * The ids of the cards `readRecords` puts in `columnId` (deleted ones too), unordered, from
 * the index of stored placements, so this costs about the column.
 */
export function columnCardIds(
	doc: Y.Doc,
	{ set, columnId }: { set: ColumnSet; columnId: string }
): string[] {
	const column = set.columnById.get(columnId);
	if (!set.fallback || !column) return [];
	const ids = [...(storedColumnIndex(doc).byColumn.get(columnId) ?? [])];
	if (column === set.fallback) ids.push(...unplacedCardIds(doc, set));
	return ids;
}

/**
 * The cards of one column (deleted ones too) in board order, with the values `readRecords`
 * gives them, and the columns: for placing a card on a large board.
 */
export function readColumnCards(doc: Y.Doc, columnId: string): ColumnSet & { cards: ColumnCard[] } {
	const set = readColumnSet(doc);
	const column = set.columnById.get(columnId);
	const cards: ColumnCard[] = [];
	const tasks = tasksMap(doc);
	for (const id of columnCardIds(doc, { set, columnId })) {
		const map = tasks.get(id) as Y.Map<unknown>;
		const stored = storedPlacement(map.get('placement'));
		// Only what placing needs, so the cost per card stays a few reads.
		const deletedAt = deletion(map.get('deletedAt')) ?? (column as ColumnRecord).deletedAt;
		cards.push({ id, rank: storedRank(stored.rank), deletedAt, map });
	}
	return { ...set, cards: cards.sort(compareRanked) };
}

/**
 * The last live card of a live column in board order (what placing a card at its end needs),
 * and the columns: from the index's tails, so about O(1) however long the column. No card when
 * the column has no live card, or is deleted or unknown.
 */
export function readColumnTail(
	doc: Y.Doc,
	columnId: string
): ColumnSet & { last: ColumnCard | null } {
	const set = readColumnSet(doc);
	const column = set.columnById.get(columnId);
	if (!set.fallback || !column || column.deletedAt !== null) return { ...set, last: null };
	// The fallback column also shows the cards whose placement names no existing column.
	const keys: (string | null)[] = [columnId];
	if (column === set.fallback) {
		for (const key of storedColumnIndex(doc).byColumn.keys()) {
			if (isUnplaced(set, key)) keys.push(key);
		}
	}
	let last: StoredTail | null = null;
	for (const key of keys) {
		const tail = storedColumnTail(doc, key);
		if (tail && (last === null || compareRanked(tail, last) > 0)) last = tail;
	}
	if (!last) return { ...set, last: null };
	const map = tasksMap(doc).get(last.id) as Y.Map<unknown>;
	return { ...set, last: { id: last.id, rank: last.rank, deletedAt: null, map } };
}
