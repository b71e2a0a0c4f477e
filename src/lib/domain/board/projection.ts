/**
 * The board as normalized rows for the database mirror (search, reports, notifications). Rows
 * of deleted columns and cards are included so the database can mirror soft deletes; a card in
 * a deleted column is a deleted card.
 */
import type * as Y from 'yjs';
import {
	readDescription,
	readRecords,
	readTaskRecords,
	type ColumnRecord,
	type TaskRecord
} from './records.ts';
import type { ChecklistItemView } from './read.ts';
import { defaultCategory, type ColumnCategory, type TaskPriority } from './schema.ts';

/** One column, live or deleted. */
export interface ColumnRow {
	id: string;
	title: string;
	rank: string;
	category: ColumnCategory;
	wipLimit: number | null;
	deletedAt: string | null;
}

/** One card, live or deleted; `status` is its column's category. */
export interface TaskRow {
	id: string;
	columnId: string;
	rank: string;
	title: string;
	description: string;
	status: ColumnCategory;
	priority: TaskPriority;
	assigneeId: string | null;
	creatorId: string;
	createdAt: string;
	dueDate: string | null;
	labels: string[];
	/** In order, as the card shows it. */
	checklist: ChecklistItemView[];
	deletedAt: string | null;
}

/** All rows, each list in (rank, id) order. */
export interface BoardProjection {
	columns: ColumnRow[];
	tasks: TaskRow[];
}

function taskRow(task: TaskRecord, columnById: Map<string, ColumnRecord>): TaskRow {
	return {
		id: task.id,
		columnId: task.columnId,
		rank: task.rank,
		title: task.title,
		description: readDescription(task.map),
		status: columnById.get(task.columnId)?.category ?? defaultCategory,
		priority: task.priority,
		assigneeId: task.assigneeId,
		creatorId: task.createdBy,
		createdAt: task.createdAt,
		dueDate: task.dueDate,
		labels: task.labels,
		checklist: task.checklist.map(({ id, text, done }) => ({ id, text, done })),
		deletedAt: task.deletedAt
	};
}

export function projectBoard(doc: Y.Doc): BoardProjection {
	const records = readRecords(doc);
	const columns = records.columns.map((column): ColumnRow => ({
		id: column.id,
		title: column.title,
		rank: column.rank,
		category: column.category,
		wipLimit: column.wipLimit,
		deletedAt: column.deletedAt
	}));
	const tasks = records.tasks.map((task) => taskRow(task, records.columnById));
	return { columns, tasks };
}

/**
 * The rows of the listed cards only, equal to theirs in `projectBoard` (ids that are not cards
 * are left out), without reading the rest of the board.
 */
export function projectTasks(doc: Y.Doc, ids: Iterable<string>): TaskRow[] {
	const { columnById, tasks } = readTaskRecords(doc, ids);
	return tasks.map((task) => taskRow(task, columnById));
}
