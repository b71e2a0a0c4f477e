/**
 * The task listing's pages, against PostgreSQL directly: every sort, direction, filter and page
 * size walks the board in exactly the order of a whole-board sort by the documented keys (the
 * listing's definition), and a page reads about its own rows, not the board's (its plan).
 */
import { randomUUID } from 'node:crypto';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listTasks, taskPageSql } from '../../src/lib/server/api/task-list.ts';
import { pageRows } from '../../src/lib/server/api/task-list-query.ts';
import type { ListTasksQuery } from '../../src/lib/server/api/task-schemas.ts';
import type { Sql } from '../../src/lib/server/db/client.ts';
import { createMigratedDatabase, type TestDatabase } from './support/database.ts';
import { addSmallBoards } from './support/small-boards.ts';

let db: TestDatabase;
let sql: Sql;
beforeAll(async () => {
	({ db, sql } = await createMigratedDatabase());
});
afterAll(async () => {
	await sql?.end();
	await db?.drop();
});

/** A small deterministic generator, so a failure repeats. */
function random(seed: number) {
	let state = seed;
	return () => {
		state = (state * 1103515245 + 12345) % 2 ** 31;
		return state / 2 ** 31;
	};
}

async function newBoard(owner: string): Promise<string> {
	const [board] = await sql<{ id: string }[]>`
		insert into boards (title, owner_id) values ('Order', ${owner}) returning id`;
	return board!.id;
}

async function addColumn(
	boardId: string,
	rank: string,
	deleted = false,
	id: string = randomUUID()
): Promise<string> {
	await sql`
		insert into board_columns (board_id, id, title, rank, category, deleted_at)
		values (${boardId}, ${id}, ${'column ' + rank}, ${rank}, 'todo', ${deleted ? new Date() : null})`;
	return id;
}

/** Whole-board sort keys, as the listing defines them (and as it computed them before keysets). */
const definitions: Record<string, string[]> = {
	rank: [
		`coalesce(c.rank, '') collate "C"`,
		`coalesce(c.id::text, '') collate "C"`,
		't.rank collate "C"',
		't.id::text collate "C"'
	],
	createdAt: ['t.created_at', 't.id::text collate "C"'],
	updatedAt: ['t.updated_at', 't.id::text collate "C"'],
	dueDate: [`coalesce(t.due_date, 'infinity'::date)`, 't.id::text collate "C"'],
	priority: [
		`(case t.priority when 'urgent' then 0 when 'high' then 1 when 'medium' then 2 else 3 end)`,
		't.created_at',
		't.id::text collate "C"'
	]
};

interface Row {
	id: string;
	column_id: string | null;
	status: string;
	priority: string;
	title: string;
	deleted: boolean;
}

/** The board's tasks in the order `sort` defines, by sorting all of them. */
async function wholeBoard(boardId: string, sort: string): Promise<Row[]> {
	const name = sort.replace(/^-/, '');
	const direction = sort.startsWith('-') ? 'desc' : 'asc';
	const order = definitions[name]!.map((key) => `${key} ${direction}`).join(', ');
	return sql<Row[]>`
		select t.id, t.column_id, t.status, t.priority, t.title, t.deleted_at is not null as deleted
		from tasks t left join board_columns c on c.board_id = t.board_id and c.id = t.column_id
		where t.board_id = ${boardId}
		order by ${sql.unsafe(order)}`;
}

async function walk(boardId: string, query: ListTasksQuery): Promise<string[]> {
	const ids: string[] = [];
	let cursor: string | undefined;
	for (let pages = 0; pages < 500; pages++) {
		const page = await listTasks(sql, boardId, { ...query, cursor });
		expect(page.items.length).toBeLessThanOrEqual(query.limit ?? 50);
		ids.push(...page.items.map((item) => item.id));
		if (!page.nextCursor) return ids;
		cursor = page.nextCursor;
	}
	throw new Error('the listing did not end');
}

interface PlanNode {
	'Node Type': string;
	'Actual Rows': number;
	'Actual Loops': number;
	'Rows Removed by Filter'?: number;
	'Rows Removed by Index Recheck'?: number;
	'Index Name'?: string;
	'Relation Name'?: string;
	Plans?: PlanNode[];
}
/** The most rows any one plan node produced or read and threw away. */
const largest = (node: PlanNode): number =>
	Math.max(
		node['Actual Rows'] * node['Actual Loops'] +
			(node['Rows Removed by Filter'] ?? 0) +
			(node['Rows Removed by Index Recheck'] ?? 0),
		...(node.Plans ?? []).map(largest)
	);

/** The plan as an indented outline, for the failure message. */
const outline = (node: PlanNode, depth = 0): string =>
	[
		`${'  '.repeat(depth)}${node['Node Type']} ${node['Index Name'] ?? node['Relation Name'] ?? ''}` +
			` rows=${node['Actual Rows']}x${node['Actual Loops']}` +
			` removed=${node['Rows Removed by Filter'] ?? 0}`,
		...(node.Plans ?? []).map((child) => outline(child, depth + 1))
	].join('\n');

describe('task list order', () => {
	it('pages through every sort exactly as a whole-board sort orders it', async () => {
		const [user] = await sql<{ id: string }[]>`
			insert into users (email, password_hash, display_name) values ('order@x', '-', 'O')
			returning id`;
		const board = await newBoard(user!.id);
		const other = await newBoard(user!.id);
		// Ties on purpose: two columns share a rank, a real column has the empty rank that
		// column-less tasks sort by, and one column is deleted.
		const columns = [
			await addColumn(board, 'a'),
			await addColumn(board, 'a'),
			await addColumn(board, 'M'),
			await addColumn(board, 'é', true),
			await addColumn(board, '')
		];
		// A column row of another board: this board's tasks naming it have no column here.
		const foreign = await addColumn(other, '0');
		const placements = [...columns, foreign, null, randomUUID()];
		const ranks = ['', 'a', 'a', 'B', 'Z', 'é', 'é0', '\u{1F600}', '\uFFFD', 'a0', 'zz', '~'];
		// Same minute, the last microsecond of that minute, and another day: `updatedAt` pages
		// walk minutes first (migration 024).
		const times = [
			'2027-01-01T00:00:00Z',
			'2027-01-01T00:00:00.000001Z',
			'2027-01-01T00:00:59.999999Z',
			'2027-02-03T04:05:06Z'
		];
		const next = random(7);
		const pick = <T>(list: readonly T[]) => list[Math.floor(next() * list.length)]!;
		for (const boardId of [board, other]) {
			for (let i = 0; i < 60; i++) {
				await sql`
					insert into tasks (board_id, id, column_id, rank, title, status, priority,
						due_date, created_at, updated_at, deleted_at)
					values (${boardId}, ${randomUUID()}, ${boardId === board ? pick(placements) : foreign},
						${pick(ranks)}, ${next() < 0.3 ? `needle ${i}` : `task ${i}`},
						${pick(['todo', 'in_progress', 'done'])}, ${pick(['low', 'medium', 'high', 'urgent'])},
						${pick([null, '2027-03-01', '2027-03-02'])}, ${pick(times)}, ${pick(times)},
						${next() < 0.2 ? new Date() : null})`;
			}
		}

		const filters: { query: Partial<ListTasksQuery>; keep: (row: Row) => boolean }[] = [
			{ query: {}, keep: () => true },
			{
				query: { status: ['todo', 'done'], priority: ['high', 'urgent'] },
				keep: (r) => ['todo', 'done'].includes(r.status) && ['high', 'urgent'].includes(r.priority)
			},
			{ query: { columnId: columns[1] }, keep: (r) => r.column_id === columns[1] },
			{ query: { columnId: foreign }, keep: (r) => r.column_id === foreign },
			{ query: { q: 'NEEDLE' }, keep: (r) => r.title.startsWith('needle') }
		];
		for (const sort of Object.keys(definitions).flatMap((s) => [s, `-${s}`])) {
			const all = await wholeBoard(board, sort);
			for (const includeDeleted of [false, true]) {
				for (const filter of filters) {
					const expected = all
						.filter((row) => (includeDeleted || !row.deleted) && filter.keep(row))
						.map((row) => row.id);
					for (const limit of [2, 7, 200]) {
						const query = { ...filter.query, sort, includeDeleted, limit };
						expect(await walk(board, query), JSON.stringify(query)).toEqual(expected);
					}
				}
			}
		}
	}, 120_000);

	it('reads about one page of rows per page, not the whole board', async () => {
		const [user] = await sql<{ id: string }[]>`
			insert into users (email, password_hash, display_name) values ('plan@x', '-', 'P')
			returning id`;
		const board = await newBoard(user!.id);
		const columns: string[] = [];
		for (const rank of ['a', 'b', 'c', 'd']) columns.push(await addColumn(board, rank));
		const boardSize = 5000;
		await sql`
			insert into tasks (board_id, id, column_id, rank, title, description, status, priority,
				due_date, created_at, updated_at, deleted_at)
			select ${board}, gen_random_uuid(),
				case when g % 100 = 1 then null else (${columns}::uuid[])[1 + g % 4] end,
				substr(md5(g::text), 1, 6), 'task ' || g, repeat('x', 200), 'todo',
				(array['low', 'medium', 'high', 'urgent'])[1 + g % 4],
				case when g % 3 = 0 then date '2027-01-01' + g % 90 end,
				now() - g * interval '1 second', now() - (g % 700) * interval '1 second',
				case when g % 10 = 0 then now() end
			from generate_series(1, ${boardSize}) g`;
		// A workspace of 300 small boards beside it (one column of four tasks each): the planner
		// then takes every column for a few rows, and at PostgreSQL's default page cost chose to
		// read whole columns of the big board by bitmap and sort them (migration 025).
		await addSmallBoards(sql, user!.id, 300);
		await sql`analyze tasks`;
		await sql`analyze board_columns`;
		const [columnlessRow] = await sql<{ count: number }[]>`
			select count(*)::int as count from tasks where board_id = ${board} and column_id is null`;
		const columnless = columnlessRow!.count;
		// `updatedAt`'s index holds minutes (migration 024): a page also reads the rest of the
		// minutes it starts and ends in, here about 390 live tasks each, far from the board's 4,500.
		const [minuteRow] = await sql<{ largestMinute: number }[]>`
			select max(n)::int as "largestMinute" from (
				select count(*) as n from tasks
				where board_id = ${board} and deleted_at is null group by updated_minute) m`;

		const sorts = ['rank', '-rank', 'createdAt', '-createdAt', 'updatedAt', '-updatedAt'];
		sorts.push('dueDate', '-dueDate', 'priority', '-priority');
		const cases: ListTasksQuery[] = sorts.flatMap((sort) => [
			{ sort, limit: 50 },
			{ sort, limit: 200 }
		]);
		// Board order writes its row count into the statement (`pageRows`): each count is a
		// statement of its own, so each is checked; with deleted tasks it still has an index (the
		// other sorts' indexes hold live tasks only).
		for (const sort of ['rank', '-rank']) {
			for (const limit of [10, 25, 100]) cases.push({ sort, limit });
			for (const limit of [10, 25, 50, 100, 200]) cases.push({ sort, limit, includeDeleted: true });
		}
		// Plans as a one-off statement (parameters known) and as the server runs it after a few
		// requests: a prepared statement, which PostgreSQL may plan once for any parameters.
		let parameters: unknown[] = [];
		const probe = postgres(db.url, {
			max: 1,
			onnotice: () => {},
			debug: (_connection, _query, params) => {
				parameters = params;
			}
		}) as unknown as Sql;
		try {
			await probe`set plan_cache_mode = force_generic_plan`;
			for (const query of cases) {
				// A first page and one from the middle of the board.
				const middle = await listTasks(sql, board, { ...query, limit: boardSize / 2 });
				for (const cursor of [undefined, middle.nextCursor!]) {
					const { statement, limit } = taskPageSql(probe, board, { ...query, cursor });
					const described = await probe`${statement}`.describe();
					const [custom] = await probe<{ 'QUERY PLAN': { Plan: PlanNode }[] }[]>`
						explain (analyze, format json) ${statement}`;
					const values = parameters;
					const types = await probe<{ name: string }[]>`
						select t::regtype::text as name from unnest(${described.types}::oid[]) t`;
					await probe.unsafe(
						`prepare page_plan(${types.map((t) => t.name).join(', ')}) as ${described.string}`
					);
					// EXPLAIN takes no parameters: the values go in as literals (these cases have no
					// user text).
					const literals = values
						.map((value, i) => `'${String(value).replaceAll("'", "''")}'::${types[i]!.name}`)
						.join(', ');
					const [generic] = await probe.unsafe<{ 'QUERY PLAN': { Plan: PlanNode }[] }[]>(
						`explain (analyze, format json) execute page_plan(${literals})`
					);
					await probe`deallocate page_plan`;
					for (const [mode, explained] of [
						['one-off', custom],
						['prepared', generic]
					] as const) {
						const plan = explained!['QUERY PLAN'][0]!.Plan;
						// Board order reads the column groups it reaches in their order and stops once
						// the page is full: the groups before the last hold less than a page, the last
						// gives at most a page (each column's read is limited to one), and one more row
						// shows the page is full. So two pages, plus one row per group for the rounding
						// of EXPLAIN's per-loop averages (5 groups here); the old query, reading a page
						// from every column, read 254 rows for a 51-row page. The other sorts read their
						// index range, plus the rest of the minutes an `updatedAt` page starts and ends in.
						// Tasks without a column (only malformed documents have them) come first in
						// ascending order, and PostgreSQL sorts them rather than reading an index in order:
						// an ascending first page reads all of them, so their count bounds a smaller page.
						const minutes = query.sort?.endsWith('updatedAt') ? 2 * minuteRow!.largestMinute : 0;
						const rankOrder = (query.sort ?? 'rank').endsWith('rank');
						const columnlessFirst = !cursor && !query.sort?.startsWith('-');
						const bound = rankOrder
							? Math.max(2 * (limit + 1) + 5, columnlessFirst ? columnless : 0)
							: limit + 1 + minutes;
						const page = cursor ? 'middle' : 'first';
						const name = `${JSON.stringify(query)} ${page} page, ${mode}\n${outline(plan)}`;
						expect(largest(plan), name).toBeLessThanOrEqual(bound);
					}
				}
			}
		} finally {
			await probe.end();
		}
	}, 120_000);
	it('keeps one generic plan for board order on a board of average size', async () => {
		// A database of its own: the board here must be the average board. Beside the small
		// boards of the test above, PostgreSQL costs a big board's page with its own statistics
		// far below the generic plan's (a limit takes a smaller share of a bigger board) and
		// keeps planning it (docs/architecture.md, "REST reads"); that test checks those plans.
		const own = await createMigratedDatabase();
		const { sql } = own;
		try {
			await averageBoardKeepsGenericPlan(own.db, sql);
		} finally {
			await sql.end();
			await own.db.drop();
		}
	});

	async function averageBoardKeepsGenericPlan(db: TestDatabase, sql: Sql): Promise<void> {
		const [user] = await sql<{ id: string }[]>`
			insert into users (email, password_hash, display_name) values ('generic@x', '-', 'G')
			returning id`;
		// Written here rather than with newBoard/addColumn, which use the shared database.
		const [created] = await sql<{ id: string }[]>`
			insert into boards (title, owner_id) values ('Generic', ${user!.id}) returning id`;
		const board = created!.id;
		const columns = (
			await sql<{ id: string }[]>`
				insert into board_columns (board_id, id, title, rank, category)
				select ${board}, gen_random_uuid(), 'column ' || r, r, 'todo'
				from unnest(array['a', 'b', 'c']) r
				returning id`
		).map((column) => column.id);
		await sql`
			insert into tasks (board_id, id, column_id, rank, title, description, status, priority)
			select ${board}, gen_random_uuid(), (${columns}::uuid[])[1 + g % 3],
				substr(md5(g::text), 1, 6), 'task ' || g, repeat('x', 200), 'todo', 'low'
			from generate_series(1, 1000) g`;
		await sql`analyze tasks`;
		// One connection, as the server's pool uses each of its own: prepared statements and their
		// plan counts belong to the session. PostgreSQL plans a prepared statement's first five
		// runs for their values, then keeps a generic plan if it looks no dearer.
		const single = postgres(db.url, { max: 1, onnotice: () => {} }) as unknown as Sql;
		try {
			for (let run = 0; run < 8; run++) {
				const page = await listTasks(single, board, {});
				expect(page.items).toHaveLength(50);
			}
			const plans = await single<{ generic: number; custom: number }[]>`
				select generic_plans::int as generic, custom_plans::int as custom
				from pg_prepared_statements
				where statement like '%with recursive ids%' and statement not like '%pg_prepared%'`;
			expect(plans).toHaveLength(1);
			expect(plans[0]!.generic, JSON.stringify(plans)).toBeGreaterThan(0);
		} finally {
			await single.end();
		}
		// The counts it is prepared for: a page size needs no statement of its own.
		expect([2, 11, 12, 51, 52, 201].map(pageRows)).toEqual([11, 11, 26, 51, 101, 201]);
		expect(pageRows(2501)).toBe(2501);
		expect(() => pageRows(0)).toThrow();
		expect(() => pageRows(1.5)).toThrow();
	}
});
