/**
 * `GET /api/v1/boards/:id/tasks`: filters, sorts and keyset pagination over the `tasks` mirror.
 * The cursor is the last item's sort key (as text, so timestamps keep their microseconds),
 * bound to the sort it was made for; every sort ends with the task id, so keys are unique.
 */
import type { Sql } from '../db/client.ts';
import { ApiError } from '../http/problem.ts';
import { taskColumns, toTaskDto, type TaskDbRow, type TaskDto } from './board-rows-read.ts';
import { sortKeys, taskPageQuery, type Fragment, type SortKey } from './task-list-query.ts';
import type { ListTasksQuery, TaskSort } from './task-schemas.ts';

/** What each key type's text looks like, so a tampered cursor is refused rather than failing. */
const keyFormats: Record<SortKey['type'], { test(value: string): boolean }> = {
	// Any text but NUL, which PostgreSQL text cannot hold.
	text: { test: (value: string) => value.length <= 1100 && !value.includes('\u0000') },
	timestamptz: /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}(\.\d{1,6})?[+-]\d{2}(:\d{2})?$/,
	date: /^(\d{4}-\d{2}-\d{2}|infinity)$/,
	int: /^-?\d{1,9}$/,
	uuid: /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i
};

interface Cursor {
	sort: string;
	key: string[];
}

export function encodeCursor(cursor: Cursor): string {
	return Buffer.from(JSON.stringify(cursor)).toString('base64url');
}

export function decodeCursor(raw: string, sort: string, keys: SortKey[]): string[] {
	try {
		const value = JSON.parse(Buffer.from(raw, 'base64url').toString('utf8')) as Cursor;
		if (
			value.sort === sort &&
			Array.isArray(value.key) &&
			value.key.length === keys.length &&
			value.key.every((part, i) => typeof part === 'string' && keyFormats[keys[i]!.type].test(part))
		) {
			return value.key;
		}
	} catch {
		// fall through
	}
	const message = 'This cursor does not belong to this listing; start from the first page.';
	throw new ApiError(422, message, { errors: { cursor: message } });
}

export interface TaskPage {
	items: TaskDto[];
	nextCursor: string | null;
}

/** Parses the listing's cursor and filters and returns its SQL (exported for plan tests). */
export function taskPageSql(
	sql: Sql,
	boardId: string,
	query: ListTasksQuery
): { statement: Fragment; keys: SortKey[]; limit: number; sortParam: string } {
	const sortParam = query.sort ?? 'rank';
	const sort = sortParam.replace(/^-/, '') as TaskSort;
	const keys = sortKeys[sort];
	const limit = query.limit ?? 50;
	const filters: Fragment[] = [];
	if (!query.includeDeleted) filters.push(sql`t.deleted_at is null`);
	if (query.status) filters.push(sql`t.status = any(${sql.array(query.status)})`);
	if (query.priority) filters.push(sql`t.priority = any(${sql.array(query.priority)})`);
	if (query.assigneeId === 'none') filters.push(sql`t.assignee_id is null`);
	else if (query.assigneeId) filters.push(sql`t.assignee_id = ${query.assigneeId}`);
	if (query.dueBefore) filters.push(sql`t.due_date < ${query.dueBefore}::date`);
	if (query.dueAfter) filters.push(sql`t.due_date > ${query.dueAfter}::date`);
	if (query.q) {
		const q = query.q.toLowerCase();
		filters.push(sql`(strpos(lower(t.title), ${q}) > 0 or strpos(lower(t.description), ${q}) > 0)`);
	}
	const statement = taskPageQuery(sql, taskColumns, {
		boardId,
		sort,
		descending: sortParam.startsWith('-'),
		rows: limit + 1,
		filters,
		live: !query.includeDeleted,
		columnId: query.columnId,
		after: query.cursor ? decodeCursor(query.cursor, sortParam, keys) : null
	});
	return { statement, keys, limit, sortParam };
}

export async function listTasks(
	sql: Sql,
	boardId: string,
	query: ListTasksQuery
): Promise<TaskPage> {
	const { statement, keys, limit, sortParam } = taskPageSql(sql, boardId, query);
	const rows = await sql<(TaskDbRow & Record<string, string>)[]>`${statement}`;
	const more = rows.length > limit;
	const page = more ? rows.slice(0, limit) : rows;
	const last = page.at(-1);
	return {
		items: page.map(toTaskDto),
		nextCursor:
			more && last
				? encodeCursor({ sort: sortParam, key: keys.map((_, i) => last[`k${i}`]!) })
				: null
	};
}
