import * as Y from 'yjs';
import type { BoardDto } from '../api/boards.ts';
import { initBoard } from '../domain/board/board.ts';
import { projectBoard } from '../domain/board/projection.ts';
import type { BoardRole } from '../domain/policy.ts';
import { createBoardDocument } from './board-documents.ts';
import { syncBoardRows, type RowProgress } from './board-rows.ts';
import { decodeCursor, encodeCursor } from './api/keyset-cursor.ts';
import { defaultPageSize, type KeysetPageQuery } from './api/schemas.ts';
import { transaction, type Queryable, type Sql } from './db/client.ts';
import { batchPerClient } from './db/turn-batch.ts';

export interface BoardRow {
	id: string;
	title: string;
	owner_id: string;
	archived_at: Date | null;
	created_at: Date;
	updated_at: Date;
}

export type { BoardDto };

export function toBoardDto(row: BoardRow, myRole: BoardRole | null): BoardDto {
	return {
		id: row.id,
		title: row.title,
		ownerId: row.owner_id,
		archivedAt: row.archived_at?.toISOString() ?? null,
		createdAt: row.created_at.toISOString(),
		updatedAt: row.updated_at.toISOString(),
		myRole
	};
}

const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function isUuid(value: string): boolean {
	return uuidPattern.test(value);
}

/**
 * A batch key of uuids in PostgreSQL's text for them (lower case), as rows come back, joined by
 * a space; null unless every id is a uuid (a value the uuid cast refuses would fail the whole
 * batch, everyone's lookup with it).
 */
export function uuidKey(...ids: string[]): string | null {
	return ids.every(isUuid) ? ids.map((id) => id.toLowerCase()).join(' ') : null;
}

/**
 * Creates a board with its creator as owner, and its document (three starter columns, or what
 * `fill` writes, e.g. a copy of another board, or an import in steps) with the matching rows,
 * in one transaction; `onTasks` hears how many card rows are written, statement by statement.
 * Creating the document here rather than on first open means two instances can never each
 * seed their own starter columns.
 */
export async function createBoard(
	sql: Queryable,
	input: { title: string; ownerId: string },
	fill: (doc: Y.Doc) => void | Promise<void> = (doc) =>
		initBoard(doc, { title: input.title }, { actorId: input.ownerId }),
	onTasks?: RowProgress
): Promise<BoardRow> {
	return transaction(sql, async (tx) => {
		const [board] = await tx<BoardRow[]>`
			insert into boards (title, owner_id) values (${input.title}, ${input.ownerId}) returning *`;
		await tx`
			insert into board_members (board_id, user_id, role) values (${board!.id}, ${input.ownerId}, 'owner')`;
		const doc = new Y.Doc();
		await fill(doc);
		await createBoardDocument(tx, board!.id, Y.encodeStateAsUpdate(doc));
		await syncBoardRows(tx, board!.id, projectBoard(doc), onTasks);
		doc.destroy();
		return board!;
	});
}

export interface BoardWithRole {
	board: BoardRow;
	role: BoardRole | null;
}

const roleBatch = batchPerClient((sql: Sql, keys: string[]) =>
	getBoardsWithRoles(
		sql,
		keys.map((key) => {
			const [boardId = '', userId = ''] = key.split(' ');
			return { boardId, userId };
		})
	)
);

/**
 * The board (archived included) and the user's role on it; null when the board does not exist.
 * The lookups of one event-loop turn on one client share one query (`TurnBatch`): nearly every
 * API request checks its caller's role, and a busy API answers many a turn. Each query starts
 * after the request that asks, so a change of role committed before it is always seen.
 */
export async function getBoardWithRole(
	sql: Sql,
	boardId: string,
	userId: string
): Promise<BoardWithRole | null> {
	const key = uuidKey(boardId, userId);
	return key === null ? null : ((await roleBatch(sql).get(key)) ?? null);
}

/**
 * `getBoardWithRole` for many (board, user) pairs in one query, keyed `${boardId} ${userId}`;
 * pairs whose board does not exist are absent. Ids must be uuids.
 */
async function getBoardsWithRoles(
	sql: Sql,
	pairs: readonly { boardId: string; userId: string }[]
): Promise<Map<string, BoardWithRole>> {
	const rows = await sql<(BoardRow & { my_role: BoardRole | null; pair_user_id: string })[]>`
		select k.user_id as pair_user_id, b.*, m.role as my_role
		from unnest(${pairs.map((p) => p.boardId)}::uuid[], ${pairs.map((p) => p.userId)}::uuid[])
			as k(board_id, user_id)
		join boards b on b.id = k.board_id
		left join board_members m on m.board_id = k.board_id and m.user_id = k.user_id`;
	const found = new Map<string, BoardWithRole>();
	for (const { my_role, pair_user_id, ...board } of rows) {
		found.set(`${board.id} ${pair_user_id}`, { board, role: my_role });
	}
	return found;
}

export async function listBoardsForMember(
	sql: Sql,
	userId: string,
	options: { includeArchived?: boolean; archivedOnly?: boolean } = {}
): Promise<BoardWithRole[]> {
	const which = options.archivedOnly
		? sql`b.archived_at is not null`
		: options.includeArchived
			? sql`true`
			: sql`b.archived_at is null`;
	const rows = await sql<(BoardRow & { my_role: BoardRole })[]>`
		select b.*, m.role as my_role
		from boards b
		join board_members m on m.board_id = b.id and m.user_id = ${userId}
		where ${which}
		order by b.updated_at desc, b.id`;
	return rows.map(({ my_role, ...board }) => ({ board, role: my_role }));
}

const boardKeys = [{ type: 'timestamptz' }, { type: 'uuid' }] as const;

/**
 * One page of a member's live boards for the API, most recently updated first, as
 * `listBoardsForMember` orders them: keyset on (updated_at, id), migration 020's index.
 */
export async function listBoardPage(
	sql: Sql,
	userId: string,
	query: KeysetPageQuery
): Promise<{ items: BoardDto[]; nextCursor: string | null }> {
	const limit = query.limit ?? defaultPageSize;
	const after = query.cursor ? decodeCursor(query.cursor, 'boards', [...boardKeys]) : null;
	const rows = await sql<(BoardRow & { my_role: BoardRole; k0: string })[]>`
		select b.*, m.role as my_role, b.updated_at::text as k0 -- text keeps the microseconds
		from boards b
		join board_members m on m.board_id = b.id and m.user_id = ${userId}
		where b.archived_at is null
			and ${after ? sql`(b.updated_at, b.id) < (${after[0]!}::text::timestamptz, ${after[1]!}::uuid)` : sql`true`}
		order by b.updated_at desc, b.id desc
		limit ${limit + 1}`;
	const more = rows.length > limit;
	const page = more ? rows.slice(0, limit) : rows;
	const last = page.at(-1);
	return {
		items: page.map(({ my_role, k0: _, ...board }) => toBoardDto(board, my_role)),
		nextCursor: more && last ? encodeCursor({ sort: 'boards', key: [last.k0, last.id] }) : null
	};
}

/** The board row, archived or not; null when there is none. */
export async function getBoard(sql: Sql, boardId: string): Promise<BoardRow | null> {
	if (!isUuid(boardId)) return null;
	const [row] = await sql<BoardRow[]>`select * from boards where id = ${boardId}`;
	return row ?? null;
}

/** Archives a live board; null when it was archived already (the first archive time stays). */
export async function archiveBoard(sql: Queryable, boardId: string): Promise<BoardRow | null> {
	const [row] = await sql<BoardRow[]>`
		update boards set archived_at = now(), updated_at = now()
		where id = ${boardId} and archived_at is null returning *`;
	return row ?? null;
}
