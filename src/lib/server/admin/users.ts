/** The admin console's view of accounts: a searchable, paged listing and one account's details. */
import type { Queryable } from '../db/client.ts';
import type { AdminUserDto } from '../../api/admin.ts';
import type { UserRole } from '../users.ts';
import { afterCursor, containsPattern, cursorTime, pageOf } from './paging.ts';

interface AdminUserRow {
	id: string;
	display_name: string;
	email: string;
	role: UserRole;
	disabled_at: Date | null;
	created_at: Date;
	last_active_at: Date | null;
	boards: number;
	cursor_time: string;
}

function toDto(row: AdminUserRow): AdminUserDto {
	return {
		id: row.id,
		name: row.display_name,
		email: row.email,
		role: row.role,
		status: row.disabled_at ? 'disabled' : 'active',
		disabledAt: row.disabled_at?.toISOString() ?? null,
		createdAt: row.created_at.toISOString(),
		lastActiveAt: row.last_active_at?.toISOString() ?? null,
		boards: row.boards
	};
}

const selectUsers = (sql: Queryable) => sql`
	select u.id, u.display_name, u.email, u.role, u.disabled_at, u.created_at, u.last_active_at,
		${cursorTime(sql, 'u.created_at')} as cursor_time,
		(select count(*)::int from board_members m where m.user_id = u.id) as boards
	from users u`;

/**
 * Newest first. A search walks the (created_at, id) index and stops once a page is full, so it
 * reads about as many rows as it must skip to find `limit` matches (all of them when few match:
 * a scan of the users table, measured at a few milliseconds for 10,000 accounts).
 */
export async function listUsersForAdmin(
	sql: Queryable,
	query: { q?: string; limit?: number; cursor?: string }
) {
	const limit = query.limit ?? 50;
	const search = query.q
		? sql`(u.display_name ilike ${containsPattern(query.q)} or u.email ilike ${containsPattern(query.q)})`
		: sql`true`;
	const rows = await sql<AdminUserRow[]>`
		${selectUsers(sql)}
		where ${search} and ${afterCursor(sql, 'u', query.cursor)}
		order by u.created_at desc, u.id desc
		limit ${limit + 1}`;
	return pageOf(rows, limit, toDto);
}

export async function getUserForAdmin(sql: Queryable, id: string): Promise<AdminUserDto | null> {
	const [row] = await sql<AdminUserRow[]>`${selectUsers(sql)} where u.id = ${id}`;
	return row ? toDto(row) : null;
}

export type { AdminUserDto };
