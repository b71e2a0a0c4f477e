/**
 * The board as plain JSON for rendering and for API responses. Never throws, whatever another
 * client wrote into the document: malformed fields read as defaults (see records.ts).
 */
import type * as Y from 'yjs';
import {
	cleanText,
	readColumnRecords,
	readDescription,
	readRecords,
	type TaskRecord
} from './records.ts';
import { readLabelColors, type LabelColor } from './label-colors.ts';
import { boardMap, maxTitleLength, type ColumnCategory, type TaskPriority } from './schema.ts';

/** A checklist item as shown, in its card's order. */
export interface ChecklistItemView {
	id: string;
	text: string;
	done: boolean;
}

/** A card as shown. `deletedAt` is set for a deleted card or one whose column was deleted. */
export interface TaskView {
	id: string;
	title: string;
	description: string;
	columnId: string;
	rank: string;
	priority: TaskPriority;
	assigneeId: string | null;
	dueDate: string | null;
	labels: string[];
	checklist: ChecklistItemView[];
	createdBy: string;
	createdAt: string;
	deletedAt: string | null;
}

/**
 * How many cards of each column a first paint shows: the server renders (and the page data
 * carries) only these, and a column's card list starts out showing no more than these.
 */
export const firstScreenCards = 30;

/** A live column with its live cards in order. */
export interface ColumnView {
	id: string;
	title: string;
	rank: string;
	category: ColumnCategory;
	wipLimit: number | null;
	/**
	 * How many live cards the column holds. Equal to `tasks.length` in a view read from the
	 * document; a first-paint preview lists only the first cards and says here how many follow.
	 */
	taskCount: number;
	tasks: TaskView[];
}

/**
 * The whole board: live columns in order, each with its live cards in order, and the deleted
 * cards (including those of deleted columns), most recently deleted first.
 */
export interface BoardView {
	title: string;
	/** 0 for a document that was never initialized. */
	schemaVersion: number;
	columns: ColumnView[];
	deletedTasks: TaskView[];
	/** The colours chosen for labels on this board; a label not listed has the default. */
	labelColors: Record<string, LabelColor>;
}

export function taskView(task: TaskRecord): TaskView {
	return {
		id: task.id,
		title: task.title,
		description: readDescription(task.map),
		columnId: task.columnId,
		rank: task.rank,
		priority: task.priority,
		assigneeId: task.assigneeId,
		dueDate: task.dueDate,
		labels: task.labels,
		checklist: task.checklist.map(({ id, text, done }) => ({ id, text, done })),
		createdBy: task.createdBy,
		createdAt: task.createdAt,
		deletedAt: task.deletedAt
	};
}

/** The live columns in order without their cards, which a large board makes costly to read. */
export function readColumns(doc: Y.Doc): Omit<ColumnView, 'tasks' | 'taskCount'>[] {
	return readColumnRecords(doc)
		.filter((column) => column.deletedAt === null)
		.map(({ id, title, rank, category, wipLimit }) => ({ id, title, rank, category, wipLimit }));
}

/** The board's own fields, with defaults in place of malformed ones. */
export function readBoardHeader(doc: Y.Doc): Pick<BoardView, 'title' | 'schemaVersion'> {
	const board = boardMap(doc);
	const title = board.get('title');
	const version = board.get('schemaVersion');
	return {
		title: typeof title === 'string' ? cleanText(title, maxTitleLength) : '',
		schemaVersion: typeof version === 'number' && Number.isFinite(version) ? version : 0
	};
}

/** The order of `deletedTasks`: most recently deleted first, then by id. */
export function compareDeleted(a: TaskView, b: TaskView): number {
	if (a.deletedAt !== b.deletedAt)
		return (a.deletedAt as string) > (b.deletedAt as string) ? -1 : 1;
	return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

export function readBoard(doc: Y.Doc): BoardView {
	const records = readRecords(doc);
	const columns = records.liveColumns.map((column): ColumnView => ({
		id: column.id,
		title: column.title,
		rank: column.rank,
		category: column.category,
		wipLimit: column.wipLimit,
		taskCount: 0,
		tasks: []
	}));
	const columnById = new Map(columns.map((column) => [column.id, column]));
	const deletedTasks: TaskView[] = [];
	for (const task of records.tasks) {
		if (task.deletedAt === null) columnById.get(task.columnId)?.tasks.push(taskView(task));
		else deletedTasks.push(taskView(task));
	}
	for (const column of columns) column.taskCount = column.tasks.length;
	deletedTasks.sort(compareDeleted);
	return { ...readBoardHeader(doc), columns, deletedTasks, labelColors: readLabelColors(doc) };
}
