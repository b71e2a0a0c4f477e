/**
 * `GET /api/v1/boards/:id/tasks`: filters, sorts and keyset pagination over the `tasks` mirror.
 * The cursor is the last item's sort key (as text, so timestamps keep their microseconds),
 * bound to the sort it was made for; every sort ends with the task id, so keys are unique.
 */
import { hash } from 'node:crypto';
import type { Sql } from '../db/client.ts';
import { taskColumns, toTaskDto, type TaskApiRow, type TaskDto } from './board-rows-read.ts';
import { decodeCursor, encodeCursor } from './keyset-cursor.ts';
import { sortKeys, taskPageQuery, type Fragment, type SortKey } from './task-list-query.ts';
import type { ListTasksQuery, TaskSort } from './task-schemas.ts';

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
	if (query.status) filters.push(sql`t.status = any(${query.status}::text[])`);
	if (query.priority) filters.push(sql`t.priority = any(${query.priority}::text[])`);
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
		after: query.cursor ? decodeCursor(query.cursor, sortParam, keys, boardId) : null
	});
	return { statement, keys, limit, sortParam };
}

export async function listTasks(
	sql: Sql,
	boardId: string,
	query: ListTasksQuery
): Promise<TaskPage> {
	const { statement, keys, limit, sortParam } = taskPageSql(sql, boardId, query);
	const rows = await sql<(TaskApiRow & Record<string, string>)[]>`${statement}`;
	const more = rows.length > limit;
	const page = more ? rows.slice(0, limit) : rows;
	const last = page.at(-1);
	return {
		items: page.map(toTaskDto),
		nextCursor:
			more && last
				? encodeCursor({ sort: sortParam, key: keys.map((_, i) => last[`k${i}`]!), of: boardId })
				: null
	};
}

/**
 * A strong ETag for a page, from what determines its body: each item's id and row `version`
 * (every stored change of a task row bumps it, board-rows.ts; `If-Match` on a task relies on
 * the same) and the cursor. Hashing these few bytes instead of the whole body (tens of KB) takes
 * most of the tag's cost off every list request.
 */
export function taskPageTag(page: TaskPage): string {
	let key = page.nextCursor ?? '';
	for (const item of page.items) key += `\n${item.id} ${item.version}`;
	return `"p${hash('sha256', key, 'base64url')}"`;
}
