/**
 * The SQL of one page of `GET /api/v1/boards/:id/tasks`, shaped so that an index holds every
 * sort order (migration 010) and a page costs about its own rows, not the board's.
 *
 * Board order (`rank`) is (column rank, column id, task rank, task id) with the column's values
 * from `board_columns`; no index can hold that across two tables. So the query walks the columns
 * that have tasks (a loose index scan: one index probe per column), takes them in column order
 * and reads at most a page of each one's tasks from its own index range (`tasks (board_id,
 * column_id, rank "C", id)`), in order. Tasks without a column row (column_id null, or naming a
 * column the board has no row for) are keyed ('', ''): first in ascending order, last in
 * descending. The outer `order by` is the whole key, so the page is right whatever the plan;
 * with the table's statistics PostgreSQL runs it as an incremental sort over the columns'
 * order that stops once the page is full, so a page reads the columns it reaches, not a page
 * from every column (tests/server/task-list-order.test.ts checks the plans).
 *
 * The other sorts are plain index range scans: every key expression here is the expression its
 * index is built on, and the ids compare as uuids (the same order as their text in collation
 * "C", which the cursors hold). `updatedAt`'s index holds only the minute (migration 024), so
 * its pages also sort the rows of the minutes they reach (PostgreSQL's incremental sort).
 */
import type { Sql } from '../db/client.ts';
import type { TaskSort } from './task-schemas.ts';

export type Fragment = ReturnType<Sql['unsafe']>;

/** One part of a sort key. */
export interface SortKey {
	/** SQL over `t` (the task); fixed strings, never user input. */
	expr: string;
	/** The type the cursor's text value is cast back to. */
	type: 'text' | 'timestamptz' | 'date' | 'int' | 'uuid';
}

const byId: SortKey = { expr: 't.id', type: 'uuid' };

/**
 * Keys of each sort; `rank`'s first two are the column's (see `rankPage`), so they are not
 * expressions over `t`. The others must stay equal to the index expressions of migrations 010
 * and 024.
 */
export const sortKeys: Record<TaskSort, SortKey[]> = {
	rank: [
		{ expr: 'crank', type: 'text' },
		{ expr: 'cid', type: 'text' },
		{ expr: 't.rank collate "C"', type: 'text' },
		byId
	],
	createdAt: [{ expr: 't.created_at', type: 'timestamptz' }, byId],
	// The minute first: the index holds it rather than `updated_at` itself, so that card edits are
	// HOT updates (migration 024). It orders as `updated_at` does, so the walk is the same.
	updatedAt: [
		{ expr: 't.updated_minute', type: 'int' },
		{ expr: 't.updated_at', type: 'timestamptz' },
		byId
	],
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

export interface PageSpec {
	boardId: string;
	sort: TaskSort;
	descending: boolean;
	/**
	 * Rows to read at least: the page size plus one, to tell whether there is a next page. Board
	 * order reads up to a few more (`pageRows`); the caller keeps the first page.
	 */
	rows: number;
	/** Conditions on `t` (the filters, `deleted_at` included), joined by `and`. */
	filters: Fragment[];
	/** Live tasks only: the partial indexes apply. */
	live: boolean;
	columnId?: string;
	/** The last key of the previous page, as text. */
	after: string[] | null;
}

/**
 * The page's rows: the task columns `taskColumns` names plus its sort key as text in `k0`…
 * (the cursor's values), in sort order.
 */
export function taskPageQuery(sql: Sql, select: string, spec: PageSpec): Fragment {
	return spec.sort === 'rank' ? rankPage(sql, select, spec) : indexedPage(sql, select, spec);
}

function indexedPage(sql: Sql, select: string, spec: PageSpec): Fragment {
	const keys = sortKeys[spec.sort];
	const direction = sql.unsafe(spec.descending ? 'desc' : 'asc');
	const where = [sql`t.board_id = ${spec.boardId}`, ...spec.filters];
	if (spec.columnId) where.push(sql`t.column_id = ${spec.columnId}`);
	if (spec.after) {
		const left = keys.map((key) => sql.unsafe(key.expr));
		const right = keys.map((key, i) => typed(sql, spec.after![i]!, key));
		where.push(sql`(${join(sql, left)}) ${operator(sql, spec)} (${join(sql, right)})`);
	}
	const order = keys.map((key) => sql`${sql.unsafe(key.expr)} ${direction}`);
	const keyColumns = keys.map((key, i) => sql`(${sql.unsafe(key.expr)})::text as ${sql(`k${i}`)}`);
	return sql`
		select ${sql.unsafe(select)}, ${join(sql, keyColumns)}
		from tasks t
		where ${join(sql, where, ' and ')}
		order by ${join(sql, order)}
		limit ${spec.rows}`;
}

function rankPage(sql: Sql, select: string, spec: PageSpec): Fragment {
	const { boardId } = spec;
	const rows = pageRows(spec.rows);
	const dir = sql.unsafe(spec.descending ? 'desc' : 'asc');
	const filters = spec.filters.length > 0 ? sql` and ${join(sql, spec.filters, ' and ')}` : sql``;
	const live = spec.live ? sql` and t.deleted_at is null` : sql``;

	/**
	 * At most `rows` tasks matching `column`, in order, after the cursor; `crank` and `cid` are the
	 * column's own sort key. With a cursor, tasks of the cursor's column continue after its task
	 * and later columns are read from their start: each is its own branch with an index
	 * condition, and the planner runs only the branch whose column test (which involves no task)
	 * holds.
	 */
	const tasksOf = (column: Fragment, crank: Fragment, cid: Fragment) => {
		const scan = (extra: Fragment) => sql`(
			select t.* from tasks t
			where t.board_id = ${boardId} and ${column}${filters}${extra}
			order by t.rank collate "C" ${dir}, t.id ${dir}
			limit ${rows})`;
		if (!spec.after) return scan(sql``);
		const [rank, id, taskRank, taskId] = spec.after as [string, string, string, string];
		const op = operator(sql, spec);
		const cursorColumn = sql`(${crank}, ${cid}) = (${c(sql, rank)}, ${c(sql, id)})`;
		const laterColumn = sql`(${crank}, ${cid}) ${op} (${c(sql, rank)}, ${c(sql, id)})`;
		return sql`${scan(
			sql` and ${cursorColumn} and (t.rank collate "C", t.id) ${op} (${c(sql, taskRank)}, ${taskId}::uuid)`
		)} union all ${scan(sql` and ${laterColumn}`)}`;
	};

	const columnIds = spec.columnId
		? sql`select ${spec.columnId}::uuid as id`
		: sql`
			with recursive ids as (
				(select t.column_id as id from tasks t
				where t.board_id = ${boardId} and t.column_id is not null${live}
				order by t.column_id limit 1)
				union all
				select (
					select t.column_id from tasks t
					where t.board_id = ${boardId} and t.column_id > ids.id${live}
					order by t.column_id limit 1)
				from ids where ids.id is not null)
			select id from ids where id is not null`;
	// Tasks without a column id sort as a column keyed ('', ''); a column filter leaves them
	// out. They are one more row of `cols` rather than a branch beside the columns', so the
	// whole page stays one walk in column order.
	const orphans = spec.columnId
		? sql``
		: sql`union all select null::uuid, '' collate "C", '' collate "C"`;
	const inColumn = (crank: Fragment, cid: Fragment) =>
		spec.columnId
			? tasksOf(sql`t.column_id = cols.id`, crank, cid)
			: sql`${tasksOf(sql`t.column_id = cols.id`, crank, cid)} union all ${tasksOf(
					sql`cols.id is null and t.column_id is null`,
					crank,
					cid
				)}`;

	// The columns come in their key's order (this inner `order by` only hands the planner
	// presorted input) and each column's tasks in index order, except the column-less ones, which
	// no index orders (they are sorted in memory; only malformed documents have them). So the final
	// sort only orders within one (crank, cid) group, an incremental sort that stops once the page
	// is full; the outer `order by` alone makes the result right.
	return sql`
		with cols as (
			select k.id, coalesce(c.rank, '') collate "C" as crank,
				coalesce(c.id::text, '') collate "C" as cid
			from (${columnIds}) k
			left join board_columns c on c.board_id = ${boardId} and c.id = k.id
			${orphans}
		)
		select ${sql.unsafe(select)}, t.crank::text as k0, t.cid::text as k1,
			t.rank::text as k2, t.id::text as k3
		from (
			select cols.crank, cols.cid, k.*
			from (select * from cols order by crank ${dir}, cid ${dir}) cols
			cross join lateral (${inColumn(sql`cols.crank`, sql`cols.cid`)}) k
		) t
		order by t.crank ${dir}, t.cid ${dir}, t.rank collate "C" ${dir}, t.id ${dir}
		limit ${sql.unsafe(String(rows))}`;
}

/** The row counts board order is prepared for (page sizes 10, 25, 50, 100 and 200, plus one). */
const rowSizes = [11, 26, 51, 101, 201];

/**
 * Board order's row count, rounded up to one of `rowSizes`, to be written into the statement as
 * a literal rather than passed as a parameter.
 *
 * Why a literal: the walk stops early once the page is full, so a plan made for a known count
 * looks far cheaper than the generic plan, which takes a placeholder limit for a tenth of the
 * rows. With a parameter PostgreSQL kept planning the statement on every request whenever the
 * page is well under a tenth of the board (the default page of a 1,000-task board): 0.6–1.0 ms
 * of its CPU, more than running that page. Written in, the generic plan wins after five runs of
 * the prepared statement. The columns' own reads keep their parameter: a generic plan built for
 * an average board then still walks a big board's columns by their index (with a literal there
 * it read whole columns, bitmap and sort). The other sorts keep theirs too: one index range,
 * 0.2–0.3 ms to plan.
 *
 * Why rounded: each distinct text is a prepared statement on every connection for as long as
 * it lives, with its own five custom plans; one per page size would let any caller fill a
 * connection with 200 of them (~0.2 MB each). The caller keeps its page of the rows read.
 * Counts above the largest size (only tests ask for them) are used as they are.
 */
export function pageRows(rows: number): number {
	if (!Number.isSafeInteger(rows) || rows < 1) {
		throw new Error(`a page reads a whole number of rows, not ${rows}`);
	}
	return rowSizes.find((size) => size >= rows) ?? rows;
}

const operator = (sql: Sql, spec: PageSpec) => sql.unsafe(spec.descending ? '<' : '>');

/** A text value compared in collation "C" (code units, as the document's `<` compares). */
const c = (sql: Sql, value: string) => sql`${value}::text collate "C"`;

const typed = (sql: Sql, value: string, key: SortKey) =>
	key.type === 'text' ? c(sql, value) : sql`${value}::text::${sql.unsafe(key.type)}`;

/** `a, b, c` (or joined by `separator`) as one SQL fragment. */
export function join(sql: Sql, parts: Fragment[], separator = ', '): Fragment {
	return parts.reduce(
		(joined, part, i) => (i === 0 ? part : sql`${joined}${sql.unsafe(separator)}${part}`),
		sql``
	);
}
