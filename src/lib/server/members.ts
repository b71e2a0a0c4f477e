import type { MemberDto } from '../api/boards.ts';
import type { BoardRole } from '../domain/policy.ts';
import { decodeCursor, encodeCursor } from './api/keyset-cursor.ts';
import { defaultPageSize, type KeysetPageQuery } from './api/schemas.ts';
import { transaction, type Queryable } from './db/client.ts';
import { isUniqueViolation } from './users.ts';

export type { MemberDto };

interface MemberRow {
	user_id: string;
	email: string;
	display_name: string;
	role: BoardRole;
	created_at: Date;
}

function toMemberDto(row: MemberRow): MemberDto {
	return {
		userId: row.user_id,
		email: row.email,
		name: row.display_name,
		role: row.role,
		addedAt: row.created_at.toISOString()
	};
}

export class MemberExistsError extends Error {
	constructor() {
		super('This person is already a member of the board.');
		this.name = 'MemberExistsError';
	}
}

export class LastOwnerError extends Error {
	constructor() {
		super('A board must keep at least one owner.');
		this.name = 'LastOwnerError';
	}
}

export async function listMembers(sql: Queryable, boardId: string): Promise<MemberDto[]> {
	const rows = await sql<MemberRow[]>`
		select m.user_id, u.email, u.display_name, m.role, m.created_at
		from board_members m join users u on u.id = m.user_id
		where m.board_id = ${boardId}
		order by case m.role when 'owner' then 0 when 'editor' then 1 else 2 end, u.display_name, u.id`;
	return rows.map(toMemberDto);
}

const memberKeys = [{ type: 'int' }, { type: 'timestamptz' }, { type: 'uuid' }] as const;

/**
 * One page of a board's members for the API: owners, then editors, then viewers, each in the
 * order they joined. Keyset on (role rank, created_at, user_id), migration 020's index (whose
 * role expression this must repeat exactly).
 */
export async function listMemberPage(
	sql: Queryable,
	boardId: string,
	query: KeysetPageQuery
): Promise<{ items: MemberDto[]; nextCursor: string | null }> {
	const limit = query.limit ?? defaultPageSize;
	const after = query.cursor
		? decodeCursor(query.cursor, 'members', [...memberKeys], boardId)
		: null;
	const rank = sql`(case m.role when 'owner' then 0 when 'editor' then 1 else 2 end)`;
	const rows = await sql<(MemberRow & { k0: string; k1: string })[]>`
		select m.user_id, u.email, u.display_name, m.role, m.created_at,
			${rank}::text as k0, m.created_at::text as k1
		from board_members m join users u on u.id = m.user_id
		where m.board_id = ${boardId}
			and ${after ? sql`(${rank}, m.created_at, m.user_id) > (${after[0]!}::int, ${after[1]!}::text::timestamptz, ${after[2]!}::uuid)` : sql`true`}
		order by ${rank}, m.created_at, m.user_id
		limit ${limit + 1}`;
	const more = rows.length > limit;
	const page = more ? rows.slice(0, limit) : rows;
	const last = page.at(-1);
	return {
		items: page.map(toMemberDto),
		nextCursor:
			more && last
				? encodeCursor({ sort: 'members', key: [last.k0, last.k1, last.user_id], of: boardId })
				: null
	};
}

export async function getMember(
	sql: Queryable,
	boardId: string,
	userId: string
): Promise<MemberDto | null> {
	const [row] = await sql<MemberRow[]>`
		select m.user_id, u.email, u.display_name, m.role, m.created_at
		from board_members m join users u on u.id = m.user_id
		where m.board_id = ${boardId} and m.user_id = ${userId}`;
	return row ? toMemberDto(row) : null;
}

export async function addMember(
	sql: Queryable,
	input: { boardId: string; userId: string; role: BoardRole }
): Promise<MemberDto> {
	try {
		await sql`
			insert into board_members (board_id, user_id, role)
			values (${input.boardId}, ${input.userId}, ${input.role})`;
	} catch (error) {
		if (isUniqueViolation(error)) throw new MemberExistsError();
		throw error;
	}
	return (await getMember(sql, input.boardId, input.userId))!;
}

/**
 * Changes a role, refusing to demote the last owner. The owner rows are locked first so two
 * concurrent demotions cannot both pass the check.
 */
export async function changeMemberRole(
	sql: Queryable,
	input: { boardId: string; userId: string; role: BoardRole }
): Promise<MemberDto | null> {
	const changed = await transaction(sql, async (tx) => {
		const owners = await tx<{ user_id: string }[]>`
			select user_id from board_members
			where board_id = ${input.boardId} and role = 'owner' for update`;
		const isOwner = owners.some((o) => o.user_id === input.userId);
		if (isOwner && input.role !== 'owner' && owners.length === 1) throw new LastOwnerError();
		const rows = await tx`
			update board_members set role = ${input.role}
			where board_id = ${input.boardId} and user_id = ${input.userId}`;
		return rows.count > 0;
	});
	return changed ? getMember(sql, input.boardId, input.userId) : null;
}

export async function removeMember(
	sql: Queryable,
	input: { boardId: string; userId: string }
): Promise<boolean> {
	return transaction(sql, async (tx) => {
		const owners = await tx<{ user_id: string }[]>`
			select user_id from board_members
			where board_id = ${input.boardId} and role = 'owner' for update`;
		if (owners.length === 1 && owners[0]!.user_id === input.userId) throw new LastOwnerError();
		const rows = await tx`
			delete from board_members where board_id = ${input.boardId} and user_id = ${input.userId}`;
		return rows.count > 0;
	});
}
