/**
 * `GET /api/v1/boards/:id/tasks`: filters, sorts and keyset pagination over the `tasks` mirror.
 * The cursor is the last item's sort key (as text, so timestamps keep their microseconds),
 * bound to the sort it was made for; every sort ends with the task id, so keys are unique.
 */
import { hash } from 'node:crypto';
import type { Sql } from '../db/client.ts';
import { withGenericPlan } from '../db/generic-plan.ts';
import { taskColumns, toTaskDto, type TaskApiRow, type TaskDto } from './board-rows-read.ts';
import { decodeCursor, encodeCursor } from './keyset-cursor.ts';
import { sortKeys, taskPageQuery, type Fragment, type SortKey } from './task-list-query.ts';
import type { ListTasksQuery, TaskSort } from './task-schemas.ts';

export interface TaskPage {
	items: TaskDto[];
	nextCursor: string | null;
}

/**
 * Parses the listing's cursor and filters and returns its SQL (exported for plan tests), and
 * whether its generic plan is one the plan test checks: every sort, direction, page size and
 * cursor of live tasks, and board order with deleted ones too; no filter or column (a selective
 * one may deserve a plan of its own, which PostgreSQL then keeps choosing per request).
 */
export function taskPageSql(
	sql: Sql,
	boardId: string,
	query: ListTasksQuery
): {
	statement: Fragment;
	keys: SortKey[];
	limit: number;
	sortParam: string;
	genericPlanChecked: boolean;
} {
	const sortParam = query.sort ?? 'rank';
	const sort = sortParam.replace(/^-/, '') as TaskSort;
	const keys = sortKeys[sort];
	const limit = query.limit ?? 50;
	/** The filters besides live tasks only. */
	const narrowing: Fragment[] = [];
	if (query.status) narrowing.push(sql`t.status = any(${sql.array(query.status)})`);
	if (query.priority) narrowing.push(sql`t.priority = any(${sql.array(query.priority)})`);
	if (query.assigneeId === 'none') narrowing.push(sql`t.assignee_id is null`);
	else if (query.assigneeId) narrowing.push(sql`t.assignee_id = ${query.assigneeId}`);
	if (query.dueBefore) narrowing.push(sql`t.due_date < ${query.dueBefore}::date`);
	if (query.dueAfter) narrowing.push(sql`t.due_date > ${query.dueAfter}::date`);
	if (query.q) {
		const q = query.q.toLowerCase();
		narrowing.push(
			sql`(strpos(lower(t.title), ${q}) > 0 or strpos(lower(t.description), ${q}) > 0)`
		);
	}
	const filters = query.includeDeleted ? narrowing : [sql`t.deleted_at is null`, ...narrowing];
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
	const genericPlanChecked =
		narrowing.length === 0 && !query.columnId && (!query.includeDeleted || sort === 'rank');
	return { statement, keys, limit, sortParam, genericPlanChecked };
}

export async function listTasks(
	sql: Sql,
	boardId: string,
	query: ListTasksQuery
): Promise<TaskPage> {
	const { statement, keys, limit, sortParam, genericPlanChecked } = taskPageSql(
		sql,
		boardId,
		query
	);
	type Row = TaskApiRow & Record<string, string>;
	// Planning a page of a big board costs more than reading it (generic-plan.ts).
	const rows = genericPlanChecked
		? await withGenericPlan(sql, (q) => q<Row[]>`${statement}`)
		: await sql<Row[]>`${statement}`;
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
