/**
 * The shape of a board's Yjs document, schema version 1. This is a public contract: the server,
 * the browser and outside clients all read and write these names, so renaming a key or changing
 * a value's type needs a new schema version (see docs/board-document.md).
 */
import * as Y from 'yjs';

/** Which stage of work a column stands for; a card's status is its column's category. */
export type ColumnCategory = 'todo' | 'in_progress' | 'done';

/** How urgent a card is. */
export type TaskPriority = 'low' | 'medium' | 'high' | 'urgent';

/**
 * Where a card sits: its column and its fractional rank there. Stored as one plain value so a
 * concurrent move replaces the whole placement and a card can never be split across columns.
 */
export interface Placement {
	columnId: string;
	rank: string;
}

export const schemaVersion = 1;

export const columnCategories: readonly ColumnCategory[] = ['todo', 'in_progress', 'done'];
export const taskPriorities: readonly TaskPriority[] = ['low', 'medium', 'high', 'urgent'];

/** Limits in UTF-16 code units (JavaScript string length), which is also Y.Text's length. */
export const maxTitleLength = 255;
export const maxDescriptionLength = 20000;
export const maxLabels = 20;
export const maxLabelLength = 40;
export const maxChecklistItems = 200;
export const maxChecklistTextLength = 500;

/**
 * A column's or card's id as the operations make it (`crypto.randomUUID()`): a lower-case UUID.
 * Lower case only: PostgreSQL's uuid ignores case, so `AAAA…` and `aaaa…` (two keys of one
 * document) would be one row. Rows, the API and exports hold only such ids, so the server
 * refuses an update that adds an item under any other key (it would show on the board and be
 * missing from every list and export).
 */
const itemIdPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

export function isItemId(value: unknown): value is string {
	return typeof value === 'string' && itemIdPattern.test(value);
}

/**
 * A checklist item lives in its card's map under `checklist:<itemId>` (a `Y.Map` of `id`,
 * `text`, `done`, `rank`), not in a `checklist` container: a container created lazily on an
 * old card by two people at once would keep only one of them, and the other's items with it.
 */
export const checklistKeyPrefix = 'checklist:';

export function checklistKey(itemId: string): string {
	return checklistKeyPrefix + itemId;
}

export function isChecklistKey(key: string): boolean {
	return key.startsWith(checklistKeyPrefix) && key.length > checklistKeyPrefix.length;
}

export const defaultPriority: TaskPriority = 'medium';
export const defaultCategory: ColumnCategory = 'todo';

/** The columns every new board starts with, in order. */
export const defaultColumns: readonly { title: string; category: ColumnCategory }[] = [
	{ title: 'To do', category: 'todo' },
	{ title: 'In progress', category: 'in_progress' },
	{ title: 'Done', category: 'done' }
];

/** Top-level map names: part of the contract. */
export const boardMapName = 'board';
export const columnsMapName = 'columns';
export const tasksMapName = 'tasks';
/** Optional (added later; a board without it has no label colours): label -> palette colour. */
export const labelColorsMapName = 'labelColors';

/** `title`, `schemaVersion`. */
export function boardMap(doc: Y.Doc): Y.Map<unknown> {
	return doc.getMap<unknown>(boardMapName);
}

/** columnId -> Y.Map of the column's fields. Values from other clients may be of any type. */
export function columnsMap(doc: Y.Doc): Y.Map<unknown> {
	return doc.getMap<unknown>(columnsMapName);
}

/** taskId -> Y.Map of the task's fields. Values from other clients may be of any type. */
export function tasksMap(doc: Y.Doc): Y.Map<unknown> {
	return doc.getMap<unknown>(tasksMapName);
}

/** label -> a `LabelColor` name. Top level, so no replica ever has to create it. */
export function labelColorsMap(doc: Y.Doc): Y.Map<unknown> {
	return doc.getMap<unknown>(labelColorsMapName);
}

export function isColumnCategory(value: unknown): value is ColumnCategory {
	return typeof value === 'string' && (columnCategories as readonly string[]).includes(value);
}

export function isTaskPriority(value: unknown): value is TaskPriority {
	return typeof value === 'string' && (taskPriorities as readonly string[]).includes(value);
}

/** A `YYYY-MM-DD` string naming a real calendar day (so no 2026-02-30). */
export function isCalendarDate(value: unknown): value is string {
	if (typeof value !== 'string') return false;
	const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
	if (!match) return false;
	const year = Number(match[1]);
	const month = Number(match[2]);
	const day = Number(match[3]);
	if (year < 1 || month < 1 || month > 12 || day < 1) return false;
	return day <= daysInMonth(year, month);
}

function daysInMonth(year: number, month: number): number {
	if (month === 2) {
		const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
		return leap ? 29 : 28;
	}
	return [4, 6, 9, 11].includes(month) ? 30 : 31;
}
