/**
 * "My tasks" from the `tasks` mirror: the open cards (live, not in a done column) assigned to a
 * person on the boards they are a member of and that are not archived, in due-date order
 * (undated last), then board and card id, so keys are unique (card ids are unique per board
 * only). Keyset pages walk the index of migration 015; the key expressions here are its own.
 * Nothing reads a board document: the pending rows of live edits are written first
 * (`syncRows({ all: true })`), so a card edited a moment ago is listed as it is now.
 */
import { cardLink, type MyTaskDto, type MyTaskPageDto } from '../../api/my-tasks.ts';
import { dueGroup, utcDay, weekEnd } from '../../domain/due-groups.ts';
import type { AppContext } from '../context.ts';
import { defaultPageSize } from './schemas.ts';
import type { MyTasksQuery } from './my-task-schemas.ts';
import { decodeCursor, encodeCursor } from './keyset-cursor.ts';
import type { SortKey } from './task-list-query.ts';

/** The order's keys, as the cursor holds them (the formats `decodeCursor` checks). */
const keys: SortKey[] = [
	{ expr: `coalesce(t.due_date, 'infinity'::date)`, type: 'date' },
	{ expr: 't.board_id', type: 'uuid' },
	{ expr: 't.id', type: 'uuid' }
];
/** Names the listing inside its cursors, so a cursor of another listing is refused. */
const listing = 'me/tasks';

interface MyTaskRow {
	id: string;
	board_id: string;
	board_title: string;
	column_id: string | null;
	column_title: string | null;
	title: string;
	status: MyTaskDto['status'];
	priority: MyTaskDto['priority'];
	labels: string[];
	due_date: string | null;
	k0: string;
}

export async function myTaskPage(
	{ sql, collab }: Pick<AppContext, 'sql' | 'collab'>,
	userId: string,
	query: MyTasksQuery
): Promise<MyTaskPageDto> {
	const limit = query.limit ?? defaultPageSize;
	const today = query.today ?? utcDay(new Date());
	const after = query.cursor ? decodeCursor(query.cursor, listing, keys) : null;
	// After the cursor check: a refused cursor costs no flush.
	await collab.syncRows({ all: true });
	const from = after
		? sql`and (coalesce(t.due_date, 'infinity'::date), t.board_id, t.id)
			> (${after[0]!}::text::date, ${after[1]!}::uuid, ${after[2]!}::uuid)`
		: sql``;
	// Membership and archiving are probed per row read (primary keys), not joined as sets:
	// the index scan stays in order and stops after one page.
	const rows = await sql<MyTaskRow[]>`
		select t.id, t.board_id, b.title as board_title, t.column_id, c.title as column_title,
			t.title, t.status, t.priority, t.labels,
			to_char(t.due_date, 'YYYY-MM-DD') as due_date,
			coalesce(t.due_date, 'infinity'::date)::text as k0
		from tasks t
		join boards b on b.id = t.board_id and b.archived_at is null
		join board_members m on m.board_id = t.board_id and m.user_id = ${userId}
		left join board_columns c on c.board_id = t.board_id and c.id = t.column_id
		where t.assignee_id = ${userId} and t.deleted_at is null and t.status <> 'done' ${from}
		order by coalesce(t.due_date, 'infinity'::date), t.board_id, t.id
		limit ${limit + 1}`;
	const more = rows.length > limit;
	const page = more ? rows.slice(0, limit) : rows;
	const end = weekEnd(today);
	const last = page.at(-1);
	return {
		items: page.map((row) => ({
			id: row.id,
			boardId: row.board_id,
			boardTitle: row.board_title,
			columnId: row.column_id,
			columnTitle: row.column_title,
			title: row.title,
			status: row.status,
			priority: row.priority,
			labels: row.labels,
			dueDate: row.due_date,
			group: dueGroup(row.due_date, today, end),
			link: cardLink(row.board_id, row.id)
		})),
		nextCursor:
			more && last ? encodeCursor({ sort: listing, key: [last.k0, last.board_id, last.id] }) : null,
		today
	};
}
