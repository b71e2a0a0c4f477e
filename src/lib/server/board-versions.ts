/**
 * A board's version history in PostgreSQL (`board_versions`): automatic checkpoints, named
 * versions and restores' undo versions ("Before restoring …"), each the whole document state as
 * one Yjs update. Undo versions are named but kept like checkpoints: not counted against the
 * named limit, pruned by age and number.
 */
import * as Y from 'yjs';
import type { BoardVersionDto } from '../api/board-versions.ts';
import { tasksMap } from '../domain/board/schema.ts';
import { afterCursor, cursorTime, pageOf } from './admin/paging.ts';
import { transaction, type Queryable, type Sql, type Tx } from './db/client.ts';

export interface VersionRow {
	id: string;
	board_id: string;
	name: string | null;
	undo: boolean;
	card_count: number;
	created_by: string | null;
	created_at: Date;
}

export function toVersionDto(row: VersionRow): BoardVersionDto {
	return {
		id: row.id,
		boardId: row.board_id,
		name: row.name,
		automatic: row.name === null,
		undo: row.undo,
		cardCount: row.card_count,
		createdBy: row.created_by,
		createdAt: row.created_at.toISOString()
	};
}

const columns = (sql: Queryable) =>
	sql`id, board_id, name, undo, card_count, created_by, created_at`;

/** A document's state as a version stores it. */
export interface VersionState {
	state: Uint8Array;
	cardCount: number;
}

export function stateOf(doc: Y.Doc): VersionState {
	return { state: Y.encodeStateAsUpdate(doc), cardCount: tasksMap(doc).size };
}

/**
 * Stores a state as a version of its board (`name` null: an automatic checkpoint; `undo`: a
 * restore's "Before restoring …" version).
 */
export async function saveVersion(
	sql: Queryable,
	input: VersionState & {
		boardId: string;
		name: string | null;
		createdBy: string | null;
		undo?: boolean;
	}
): Promise<VersionRow> {
	const [row] = await sql<VersionRow[]>`
		insert into board_versions (board_id, name, undo, state, card_count, created_by)
		values (${input.boardId}, ${input.name}, ${input.undo ?? false}, ${input.state},
			${input.cardCount}, ${input.createdBy})
		returning ${columns(sql)}`;
	return row!;
}

/** Replaces a version's state (a restore's undo, read again because the board moved on). */
export async function replaceVersionState(
	sql: Queryable,
	id: string,
	input: VersionState
): Promise<VersionRow> {
	const [row] = await sql<VersionRow[]>`
		update board_versions set state = ${input.state}, card_count = ${input.cardCount}
		where id = ${id}
		returning ${columns(sql)}`;
	if (!row) throw new Error(`version ${id} is gone`);
	return row;
}

export async function deleteVersion(sql: Queryable, id: string): Promise<void> {
	await sql`delete from board_versions where id = ${id}`;
}

/** How many named versions the board holds (restores' undo versions are not counted). */
export async function namedVersionCount(sql: Queryable, boardId: string): Promise<number> {
	const [row] = await sql<{ count: number }[]>`
		select count(*)::int as count from board_versions
		where board_id = ${boardId} and name is not null and not undo`;
	return row!.count;
}

/**
 * Stores a named version unless the board already holds `limit` of them (null then). Namings of
 * one board take turns (a transaction lock on the board), so requests at the same moment cannot
 * all pass the count.
 */
export async function saveNamedVersion(
	sql: Queryable,
	input: VersionState & { boardId: string; name: string; createdBy: string },
	limit: number
): Promise<VersionRow | null> {
	return transaction(sql, async (tx) => {
		await tx`select pg_advisory_xact_lock(hashtext(${`taskflow.named_versions.${input.boardId}`}))`;
		if ((await namedVersionCount(tx, input.boardId)) >= limit) return null;
		return saveVersion(tx, input);
	});
}

/** A page of a board's versions, newest first. */
export async function listVersions(
	sql: Queryable,
	boardId: string,
	page: { limit: number; cursor?: string }
): Promise<{ items: BoardVersionDto[]; nextCursor: string | null }> {
	const rows = await sql<(VersionRow & { cursor_time: string })[]>`
		select ${columns(sql)}, ${cursorTime(sql, 'created_at')} as cursor_time
		from board_versions
		where board_id = ${boardId} and ${afterCursor(sql, 'board_versions', page.cursor)}
		order by created_at desc, id desc
		limit ${page.limit + 1}`;
	return pageOf(rows, page.limit, toVersionDto);
}

/** One version of the board with its state, or null. */
export async function getVersion(
	sql: Queryable,
	boardId: string,
	versionId: string
): Promise<(VersionRow & { state: Uint8Array }) | null> {
	const [row] = await sql<(VersionRow & { state: Uint8Array })[]>`
		select ${columns(sql)}, state from board_versions
		where board_id = ${boardId} and id = ${versionId}`;
	return row ?? null;
}

export type CheckpointOutcome =
	| { saved: VersionRow }
	| {
			saved: null;
			/**
			 * The checkpoint that made this one unnecessary: taken within the interval, or (with
			 * `sameAs`) holding the same state.
			 */
			newest: { createdAt: Date; state: Uint8Array };
			/** How long until the interval has passed (by the database's clock), in ms. */
			waitMs: number;
			/** The newest checkpoint holds this state already (`sameAs` said so). */
			unchanged?: true;
	  };

/** The board's newest automatic checkpoint, and how long until its interval has passed (ms). */
function newestCheckpoint(tx: Tx, input: { boardId: string; intervalMs: number }) {
	return tx<{ created_at: Date; state: Uint8Array; wait_ms: number }[]>`
		select created_at, state,
			ceil(greatest(0, extract(epoch from
				created_at + ${input.intervalMs} * interval '1 millisecond' - now()) * 1000))::int as wait_ms
		from board_versions
		where board_id = ${input.boardId} and name is null
		order by created_at desc limit 1`;
}

/**
 * Stores an automatic checkpoint unless the board already has one taken less than `intervalMs`
 * ago, or (when the caller passes `sameAs`) one that holds this very state. Decided in the
 * database, under a transaction lock on the board, so every instance that holds the board (Redis
 * scale-out) is bound by the same rule: at most one per interval per board, whichever instance
 * takes it. `sameAs` is for a caller that does not know what the newest checkpoint holds (it
 * read only its time): it costs a read of that state.
 */
export async function saveCheckpoint(
	sql: Sql,
	input: VersionState & {
		boardId: string;
		intervalMs: number;
		sameAs?: (newestState: Uint8Array) => boolean;
	}
): Promise<CheckpointOutcome> {
	return sql.begin(async (tx) => {
		await tx`select pg_advisory_xact_lock(hashtext('taskflow.checkpoint'), hashtext(${input.boardId}))`;
		// Read once: a refusal below answers with the same row (one transaction, one `now()`).
		let newest = input.sameAs ? (await newestCheckpoint(tx, input))[0] : undefined;
		if (newest && input.sameAs?.(newest.state)) {
			return {
				saved: null,
				newest: { createdAt: newest.created_at, state: newest.state },
				waitMs: newest.wait_ms,
				unchanged: true
			};
		}
		const [row] = await tx<VersionRow[]>`
			insert into board_versions (board_id, name, state, card_count, created_by)
			select ${input.boardId}, null, ${input.state}, ${input.cardCount}, null
			where not exists (
				select 1 from board_versions
				where board_id = ${input.boardId} and name is null
					and created_at > now() - ${input.intervalMs} * interval '1 millisecond'
			)
			returning ${columns(tx)}`;
		if (row) return { saved: row };
		newest ??= (await newestCheckpoint(tx, input))[0];
		return {
			saved: null,
			newest: { createdAt: newest!.created_at, state: newest!.state },
			waitMs: newest!.wait_ms
		};
	});
}

/** When the board's newest automatic checkpoint was taken, or null. */
export async function lastCheckpointAt(sql: Queryable, boardId: string): Promise<Date | null> {
	const [row] = await sql<{ at: Date | null }[]>`
		select max(created_at) as at from board_versions where board_id = ${boardId} and name is null`;
	return row?.at ?? null;
}

/**
 * Deletes the board's automatic checkpoints older than `days`, and all but its `keep` newest
 * (a board edited all day every day would otherwise hold thousands); restores' undo versions
 * the same way (their own `keep` newest); named versions stay.
 */
export async function pruneCheckpoints(
	sql: Queryable,
	boardId: string,
	retention: { days: number; keep: number }
): Promise<number> {
	const deleted = await sql`
		delete from board_versions
		where id in (
			select id from (
				select id, created_at,
					row_number() over (partition by undo order by created_at desc) as newest
				from board_versions
				where board_id = ${boardId} and (name is null or undo)
			) kept
			where newest > ${retention.keep}
				or created_at < now() - make_interval(days => ${retention.days}))`;
	return deleted.count;
}
