/**
 * The admin console's view of boards: every board, archived ones included, with its owners and
 * size; restoring an archived board; handing a board to another owner.
 */
import type { AdminBoardDto } from '../../api/admin.ts';
import type { Queryable, Tx } from '../db/client.ts';
import type { BoardRow } from '../boards.ts';
import { afterCursor, containsPattern, cursorTime, pageOf } from './paging.ts';

interface AdminBoardRow {
	id: string;
	title: string;
	archived_at: Date | null;
	created_at: Date;
	owners: { id: string; name: string; email: string }[];
	members: number;
	cards: number;
	last_activity_at: Date;
	cursor_time: string;
}

function toDto(row: AdminBoardRow): AdminBoardDto {
	return {
		id: row.id,
		title: row.title,
		archivedAt: row.archived_at?.toISOString() ?? null,
		createdAt: row.created_at.toISOString(),
		owners: row.owners,
		members: row.members,
		cards: row.cards,
		lastActivityAt: new Date(row.last_activity_at).toISOString()
	};
}

// Counted per listed row only (a page is at most 200 boards), each through an index on board_id.
const selectBoards = (sql: Queryable) => sql`
	select b.id, b.title, b.archived_at, b.created_at,
		${cursorTime(sql, 'b.created_at')} as cursor_time,
		coalesce((
			select json_agg(json_build_object('id', u.id, 'name', u.display_name, 'email', u.email)
				order by u.display_name)
			from board_members m join users u on u.id = m.user_id
			where m.board_id = b.id and m.role = 'owner'
		), '[]'::json) as owners,
		(select count(*)::int from board_members m where m.board_id = b.id) as members,
		(select count(*)::int from tasks t where t.board_id = b.id and t.deleted_at is null) as cards,
		greatest(b.updated_at,
			(select max(t.updated_at) from tasks t where t.board_id = b.id)) as last_activity_at
	from boards b`;

export async function listBoardsForAdmin(
	sql: Queryable,
	query: { q?: string; limit?: number; cursor?: string }
) {
	const limit = query.limit ?? 50;
	const search = query.q ? sql`b.title ilike ${containsPattern(query.q)}` : sql`true`;
	const rows = await sql<AdminBoardRow[]>`
		${selectBoards(sql)}
		where ${search} and ${afterCursor(sql, 'b', query.cursor)}
		order by b.created_at desc, b.id desc
		limit ${limit + 1}`;
	return pageOf(rows, limit, toDto);
}

export async function getBoardForAdmin(sql: Queryable, id: string): Promise<AdminBoardDto | null> {
	const [row] = await sql<AdminBoardRow[]>`${selectBoards(sql)} where b.id = ${id}`;
	return row ? toDto(row) : null;
}

/** Brings an archived board back; null when it was not archived (the event is recorded once). */
export async function unarchiveBoard(sql: Queryable, boardId: string): Promise<BoardRow | null> {
	const [row] = await sql<BoardRow[]>`
		update boards set archived_at = null, updated_at = now()
		where id = ${boardId} and archived_at is not null returning *`;
	return row ?? null;
}

/**
 * Makes `userId` an owner and the board's `owner_id`. Previous owners stay owners: taking a
 * board away from someone is a separate, deliberate step (the members page), and a board is
 * never left with nobody to manage it. Returns the new owner's previous role (null: not a member).
 */
export async function makeOwner(tx: Tx, boardId: string, userId: string): Promise<string | null> {
	const [before] = await tx<{ role: string }[]>`
		select role from board_members where board_id = ${boardId} and user_id = ${userId} for update`;
	await tx`
		insert into board_members (board_id, user_id, role) values (${boardId}, ${userId}, 'owner')
		on conflict (board_id, user_id) do update set role = 'owner'`;
	await tx`update boards set owner_id = ${userId}, updated_at = now() where id = ${boardId}`;
	return before?.role ?? null;
}

export type { AdminBoardDto };
