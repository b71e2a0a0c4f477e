/**
 * Reading the `tasks` and `board_columns` mirror for the API, and the JSON shapes it returns.
 * The rows follow the board document: `changeBoard` writes an API write's rows before it
 * resolves (read-your-writes), and callers run `collab.syncRows` first so that edits made in
 * browsers on this instance are in the rows too.
 */
import type { TaskDbRow } from '../board-rows.ts';
import type { Sql } from '../db/client.ts';
import { batchPerClient } from '../db/turn-batch.ts';
import { uuidKey } from '../boards.ts';
import type { ColumnDto, TaskDto } from './response-schemas.ts';
import { defaultPageSize } from './schemas.ts';
import { decodeCursor, encodeCursor } from './keyset-cursor.ts';

export type { ColumnDto, TaskDto };

interface ColumnDbRow {
	board_id: string;
	id: string;
	title: string;
	rank: string;
	category: string;
	wip_limit: number | null;
	deleted_at: Date | null;
	created_at: Date;
	updated_at: Date;
	version: number;
}

const iso = (d: Date | null) => d?.toISOString() ?? null;

/**
 * A timestamp as the API writes it, `toISOString`'s form (UTC, milliseconds, truncated as a JS
 * Date truncates microseconds), made by PostgreSQL: the driver would otherwise parse each into a
 * Date only for `toISOString` to print it again, about a tenth of the CPU of a 200-task page.
 */
const isoText = (column: string) =>
	`to_char(${column} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') as ${column.slice(2)}`;

/**
 * The select list every task query uses: the due date as text (a calendar day, no zone) and
 * the times as ISO text (`TaskApiRow`).
 */
export const taskColumns = `t.board_id, t.id, t.column_id, t.rank, t.title, t.description,
	t.status, t.priority, t.assignee_id, t.creator_id, t.labels,
	t.checklist, to_char(t.due_date, 'YYYY-MM-DD') as due_date, ${isoText('t.created_at')},
	${isoText('t.updated_at')}, ${isoText('t.completed_at')}, ${isoText('t.deleted_at')}, t.version`;

/** A `tasks` row as `taskColumns` reads it: its times as ISO text. */
export type TaskApiRow = Omit<
	TaskDbRow,
	'created_at' | 'updated_at' | 'completed_at' | 'deleted_at'
> & {
	created_at: string;
	updated_at: string;
	completed_at: string | null;
	deleted_at: string | null;
};

export function toTaskDto(row: TaskApiRow): TaskDto {
	return {
		id: row.id,
		boardId: row.board_id,
		columnId: row.column_id,
		rank: row.rank,
		title: row.title,
		description: row.description,
		status: row.status,
		priority: row.priority,
		assigneeId: row.assignee_id,
		creatorId: row.creator_id,
		labels: row.labels,
		checklist: row.checklist,
		dueDate: row.due_date,
		createdAt: row.created_at,
		updatedAt: row.updated_at,
		completedAt: row.completed_at,
		deletedAt: row.deleted_at,
		version: row.version
	};
}

function toColumnDto(row: ColumnDbRow): ColumnDto {
	return {
		id: row.id,
		boardId: row.board_id,
		title: row.title,
		rank: row.rank,
		category: row.category,
		wipLimit: row.wip_limit,
		deletedAt: iso(row.deleted_at),
		createdAt: row.created_at.toISOString(),
		updatedAt: row.updated_at.toISOString(),
		version: row.version
	};
}

const taskRowBatch = batchPerClient(async (sql: Sql, keys: string[]) => {
	const pairs = keys.map((key) => key.split(' '));
	const rows = await sql<TaskApiRow[]>`
		select ${sql.unsafe(taskColumns)}
		from unnest(${pairs.map(([board]) => board!)}::uuid[], ${pairs.map(([, id]) => id!)}::uuid[])
			as k(board_id, id)
		join tasks t on t.board_id = k.board_id and t.id = k.id`;
	return new Map(rows.map((row) => [`${row.board_id} ${row.id}`, row]));
});

/**
 * One task's row, or null. The reads of one event-loop turn on one client share one query
 * (`TurnBatch`): every API write answers with the row it stored, and a busy API finishes many
 * writes a turn. Each query starts after the write that asks has resolved, so it reads that write.
 */
export async function getTaskRow(
	sql: Sql,
	boardId: string,
	taskId: string
): Promise<TaskApiRow | null> {
	const key = uuidKey(boardId, taskId);
	return key === null ? null : ((await taskRowBatch(sql).get(key)) ?? null);
}

/** Tasks of a board by id, in the order of `ids` (missing ones left out); one query. */
export async function getTaskRows(
	sql: Sql,
	boardId: string,
	ids: readonly string[]
): Promise<TaskApiRow[]> {
	const rows = await sql<TaskApiRow[]>`
		select ${sql.unsafe(taskColumns)} from tasks t
		where t.board_id = ${boardId} and t.id = any(${ids as string[]}::uuid[])`;
	const byId = new Map(rows.map((row) => [row.id, row]));
	return ids.flatMap((id) => byId.get(id) ?? []);
}

/** Boards holding a task with this id (ids come from clients, so there may be several). */
export async function boardsWithTask(sql: Sql, taskId: string): Promise<string[]> {
	const rows = await sql<{ board_id: string }[]>`
		select board_id from tasks where id = ${taskId} order by created_at`;
	return rows.map((r) => r.board_id);
}

/** Columns in board order (ranks compare as code units, like the document's `<`). */
export async function listColumns(
	sql: Sql,
	boardId: string,
	includeDeleted: boolean
): Promise<ColumnDto[]> {
	const rows = await sql<ColumnDbRow[]>`
		select * from board_columns
		where board_id = ${boardId} and (${includeDeleted} or deleted_at is null)
		order by rank collate "C", id::text collate "C"`;
	return rows.map(toColumnDto);
}

const columnKeys = [{ type: 'text' }, { type: 'uuid' }] as const;

/**
 * One page of a board's columns in board order: keyset on (rank "C", id), an index range
 * (migration 020). The cursor is the task list's, bound to the sort `columns`.
 */
export async function listColumnPage(
	sql: Sql,
	boardId: string,
	query: { includeDeleted?: boolean; limit?: number; cursor?: string }
): Promise<{ items: ColumnDto[]; nextCursor: string | null }> {
	const limit = query.limit ?? defaultPageSize;
	const after = query.cursor
		? decodeCursor(query.cursor, 'columns', [...columnKeys], boardId)
		: null;
	const rows = await sql<ColumnDbRow[]>`
		select * from board_columns
		where board_id = ${boardId} and (${query.includeDeleted ?? false} or deleted_at is null)
			and ${after ? sql`(rank collate "C", id) > (${after[0]!}::text collate "C", ${after[1]!}::uuid)` : sql`true`}
		order by rank collate "C", id
		limit ${limit + 1}`;
	const more = rows.length > limit;
	const page = more ? rows.slice(0, limit) : rows;
	const last = page.at(-1);
	return {
		items: page.map(toColumnDto),
		nextCursor:
			more && last
				? encodeCursor({ sort: 'columns', key: [last.rank, last.id], of: boardId })
				: null
	};
}

export async function getColumn(
	sql: Sql,
	boardId: string,
	columnId: string
): Promise<ColumnDto | null> {
	const [row] = await sql<ColumnDbRow[]>`
		select * from board_columns where board_id = ${boardId} and id = ${columnId}`;
	return row ? toColumnDto(row) : null;
}

export async function memberIds(sql: Sql, boardId: string): Promise<Set<string>> {
	const rows = await sql<{ user_id: string }[]>`
		select user_id from board_members where board_id = ${boardId}`;
	return new Set(rows.map((r) => r.user_id));
}
