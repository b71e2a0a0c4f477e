/**
 * What a board page paints first: its live columns in order, each with its true card count and
 * its first `firstScreenCards` live cards, read from the `board_columns`/`tasks` mirror.
 *
 * From the rows rather than the document: one indexed query costs about the first screen
 * whatever the board's size, while the document costs the whole board (loading and merging
 * the snapshot and log, or, where this instance holds it live, reading every card). The rows
 * may lag the document by the row sync's half second (the page load first syncs the edits this
 * instance holds, which costs only the cards they touched; other instances' follow within that
 * half second); the browser replaces the preview by the document's view as soon as it has
 * fetched the document, moments later.
 *
 * A card's description is cut to its first character: a card shows only whether it has one,
 * the card dialog waits for the document, and 120 descriptions of up to 20,000 characters
 * each would make the page as heavy as the document it spares.
 */
import {
	firstScreenCards,
	schemaVersion,
	type BoardView,
	type ChecklistItemView,
	type ColumnView,
	type TaskPriority,
	type ColumnCategory
} from '../domain/board/index.ts';
import type { Sql } from './db/client.ts';

interface PreviewRow {
	column_id: string;
	column_title: string;
	column_rank: string;
	category: ColumnCategory;
	wip_limit: number | null;
	task_count: number;
	/** The task columns are null for a column without live cards (the left join). */
	task_id: string | null;
	task_rank: string;
	task_title: string;
	description: string;
	priority: TaskPriority;
	assignee_id: string | null;
	creator_id: string | null;
	labels: string[];
	checklist: ChecklistItemView[];
	due_date: string | null;
	created_at: Date;
}

/**
 * The preview of a board (its title from the `boards` row). Orders are the document's: ranks
 * compare as code units (`collate "C"`), ties by id, as the order indexes of migration 010 hold
 * them; the count is an index-only scan of the same live-order index.
 */
export async function readBoardPreview(
	sql: Sql,
	board: { id: string; title: string }
): Promise<BoardView> {
	const rows = await sql<PreviewRow[]>`
		select c.id as column_id, c.title as column_title, c.rank as column_rank, c.category,
			c.wip_limit, n.task_count, t.id as task_id, t.rank as task_rank, t.title as task_title,
			t.description, t.priority, t.assignee_id, t.creator_id, t.labels,
			t.checklist, to_char(t.due_date, 'YYYY-MM-DD') as due_date, t.created_at
		from board_columns c
		cross join lateral (
			select count(*)::int as task_count from tasks
			where board_id = c.board_id and column_id = c.id and deleted_at is null
		) n
		left join lateral (
			select id, rank, title, left(description, 1) as description, priority, assignee_id,
				creator_id, labels, checklist, due_date, created_at
			from tasks
			where board_id = c.board_id and column_id = c.id and deleted_at is null
			order by rank collate "C", id
			limit ${firstScreenCards}
		) t on true
		where c.board_id = ${board.id} and c.deleted_at is null
		order by c.rank collate "C", c.id::text collate "C", t.rank collate "C", t.id`;
	const columns: ColumnView[] = [];
	for (const row of rows) {
		let column = columns.at(-1);
		if (column?.id !== row.column_id) {
			column = {
				id: row.column_id,
				title: row.column_title,
				rank: row.column_rank,
				category: row.category,
				wipLimit: row.wip_limit,
				taskCount: row.task_count,
				tasks: []
			};
			columns.push(column);
		}
		if (row.task_id === null) continue;
		column.tasks.push({
			id: row.task_id,
			title: row.task_title,
			description: row.description,
			columnId: row.column_id,
			rank: row.task_rank,
			priority: row.priority,
			assigneeId: row.assignee_id,
			dueDate: row.due_date,
			labels: row.labels,
			checklist: row.checklist,
			createdBy: row.creator_id ?? '',
			createdAt: row.created_at.toISOString(),
			deletedAt: null
		});
	}
	// Deleted cards are below the fold and come with the document.
	// So are deleted cards and label colours (the rows do not hold them).
	return { title: board.title, schemaVersion, columns, deletedTasks: [], labelColors: {} };
}
