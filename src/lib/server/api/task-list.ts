/**
 * `GET /api/v1/boards/:id/tasks`: filters, sorts and keyset pagination over the `tasks` mirror.
 * The cursor is the last item's sort key (as text, so timestamps keep their microseconds),
 * bound to the sort it was made for; every sort ends with the task id, so keys are unique.
 */
import type { Sql } from '../db/client.ts';
import { ApiError } from '../http/problem.ts';
import { taskColumns, toTaskDto, type TaskDbRow, type TaskDto } from './board-rows-read.ts';
import type { ListTasksQuery, TaskSort } from './task-schemas.ts';

interface SortKey {
	/** SQL over `t` (task) and `c` (its column); fixed strings, never user input. */
	expr: string;
	/** The type the cursor's text value is cast back to. */
	type: 'text' | 'timestamptz' | 'date' | 'int';
}

const byId: SortKey = { expr: 't.id::text collate "C"', type: 'text' };

/** Ranks compare as code units (collation "C"), as the document's `<` does. */
const sortKeys: Record<TaskSort, SortKey[]> = {
	rank: [
		{ expr: `coalesce(c.rank, '') collate "C"`, type: 'text' },
		{ expr: `coalesce(c.id::text, '') collate "C"`, type: 'text' },
		{ expr: 't.rank collate "C"', type: 'text' },
		byId
	],
	createdAt: [{ expr: 't.created_at', type: 'timestamptz' }, byId],
	updatedAt: [{ expr: 't.updated_at', type: 'timestamptz' }, byId],
	// Tasks without a due date come last.
	dueDate: [{ expr: `coalesce(t.due_date, 'infinity'::date)`, type: 'date' }, byId],
	// Most urgent first, then oldest first.
	priority: [
		{
			expr: `(case t.priority when 'urgent' then 0 when 'high' then 1 when 'medium' then 2 else 3 end)`,
			type: 'int'
		},
		{ expr: 't.created_at', type: 'timestamptz' },
		byId
	]
};

/** What each key type's text looks like, so a tampered cursor is refused rather than failing. */
const keyFormats: Record<SortKey['type'], RegExp> = {
	text: /^[\s\S]{0,1100}$/,
	timestamptz: /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}(\.\d{1,6})?[+-]\d{2}(:\d{2})?$/,
	date: /^(\d{4}-\d{2}-\d{2}|infinity)$/,
	int: /^-?\d{1,9}$/
};

interface Cursor {
	sort: string;
	key: string[];
}

function encodeCursor(cursor: Cursor): string {
	return Buffer.from(JSON.stringify(cursor)).toString('base64url');
}

function decodeCursor(raw: string, sort: string, keys: SortKey[]): string[] {
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

export async function listTasks(
	sql: Sql,
	boardId: string,
	query: ListTasksQuery
): Promise<TaskPage> {
	const sortParam = query.sort ?? 'rank';
	const descending = sortParam.startsWith('-');
	const keys = sortKeys[sortParam.replace(/^-/, '') as TaskSort];
	const limit = query.limit ?? 50;
	const direction = sql.unsafe(descending ? 'desc' : 'asc');

	const where = [sql`t.board_id = ${boardId}`];
	if (!query.includeDeleted) where.push(sql`t.deleted_at is null`);
	if (query.status) where.push(sql`t.status = any(${sql.array(query.status)})`);
	if (query.priority) where.push(sql`t.priority = any(${sql.array(query.priority)})`);
	if (query.columnId) where.push(sql`t.column_id = ${query.columnId}`);
	if (query.assigneeId === 'none') where.push(sql`t.assignee_id is null`);
	else if (query.assigneeId) where.push(sql`t.assignee_id = ${query.assigneeId}`);
	if (query.dueBefore) where.push(sql`t.due_date < ${query.dueBefore}::date`);
	if (query.dueAfter) where.push(sql`t.due_date > ${query.dueAfter}::date`);
	if (query.q) {
		const q = query.q.toLowerCase();
		where.push(sql`(strpos(lower(t.title), ${q}) > 0 or strpos(lower(t.description), ${q}) > 0)`);
	}
	if (query.cursor) {
		const values = decodeCursor(query.cursor, sortParam, keys);
		const left = keys.map((key) => sql.unsafe(key.expr));
		const right = keys.map((key, i) => sql`${values[i]!}::text::${sql.unsafe(key.type)}`);
		const op = sql.unsafe(descending ? '<' : '>');
		where.push(sql`(${join(sql, left)}) ${op} (${join(sql, right)})`);
	}
	const order = keys.map((key) => sql`${sql.unsafe(key.expr)} ${direction}`);
	const keyColumns = keys.map((key, i) => sql`(${sql.unsafe(key.expr)})::text as ${sql(`k${i}`)}`);

	const rows = await sql<(TaskDbRow & Record<string, string>)[]>`
		select ${sql.unsafe(taskColumns)}, ${join(sql, keyColumns)}
		from tasks t left join board_columns c on c.board_id = t.board_id and c.id = t.column_id
		where ${join(sql, where, ' and ')}
		order by ${join(sql, order)}
		limit ${limit + 1}`;
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

type Fragment = ReturnType<Sql['unsafe']>;

/** `a, b, c` (or joined by `separator`) as one SQL fragment. */
function join(sql: Sql, parts: Fragment[], separator = ', '): Fragment {
	return parts.reduce(
		(joined, part, i) => (i === 0 ? part : sql`${joined}${sql.unsafe(separator)}${part}`),
		sql``
	);
}
