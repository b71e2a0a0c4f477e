/** `board_documents` (snapshots) and `board_updates` (the write-ahead log). */
import * as Y from 'yjs';
import { batches, charsPerStatement } from './db/batches.ts';
import { jsonParameter, type Sql, type Tx } from './db/client.ts';

export interface LoggedUpdate {
	id: number;
	update: Uint8Array;
	/** Who sent it, so its events can be derived again when the row is replayed. */
	actorId: string | null;
	createdAt: Date;
}

export interface StoredBoardState {
	snapshot: Uint8Array | null;
	/** How many times the snapshot was written (see `writeSnapshot`). */
	revision: number;
	updates: LoggedUpdate[];
}

export async function loadBoardState(sql: Sql, boardId: string): Promise<StoredBoardState> {
	return (await loadBoardStates(sql, [boardId])).get(boardId)!;
}

/**
 * The stored state of several boards (ids must be uuids; each present in the answer, empty when
 * nothing is stored), in one statement and one round trip: a reconnect storm loads every board
 * at once. One statement reads one snapshot of the database, so a store committing meanwhile
 * cannot give the old snapshot without the log rows it deleted.
 */
export async function loadBoardStates(
	sql: Sql,
	boardIds: readonly string[]
): Promise<Map<string, StoredBoardState>> {
	const rows = await sql<
		{
			board_id: string;
			id: number | null;
			data: Buffer;
			revision: number | null;
			actor_id: string | null;
			created_at: Date | null;
		}[]
	>`
		select board_id, null::bigint as id, snapshot as data, revision,
			null::uuid as actor_id, null::timestamptz as created_at
		from board_documents where board_id = any(${boardIds}::uuid[])
		union all
		select board_id, id, update, null, actor_id, created_at
		from board_updates where board_id = any(${boardIds}::uuid[])`;
	const states = new Map<string, StoredBoardState>(
		boardIds.map((id) => [id, { snapshot: null, revision: 0, updates: [] }])
	);
	// The database answers with canonical (lower-case) ids.
	const byCanonical = new Map([...states].map(([id, state]) => [id.toLowerCase(), state]));
	for (const row of rows) {
		const state = byCanonical.get(row.board_id)!;
		if (row.id === null) {
			state.snapshot = new Uint8Array(row.data);
			state.revision = Number(row.revision);
		} else {
			state.updates.push({
				id: row.id,
				update: new Uint8Array(row.data),
				actorId: row.actor_id,
				createdAt: row.created_at!
			});
		}
	}
	// Sorted here rather than by the statement, which would sort the snapshots' bytes too.
	for (const state of states.values()) state.updates.sort((a, b) => a.id - b.id);
	return states;
}

/**
 * The stored document as one Yjs update (snapshot merged with the log), for rendering a board
 * on the server and seeding the browser's document before the live connection syncs.
 */
export async function loadBoardUpdate(sql: Sql, boardId: string): Promise<Uint8Array | null> {
	const state = await loadBoardState(sql, boardId);
	const parts = [
		...(state.snapshot ? [state.snapshot] : []),
		...state.updates.map((u) => u.update)
	];
	if (parts.length === 0) return null;
	if (parts.length === 1) return parts[0]!;
	try {
		return Y.mergeUpdates(parts);
	} catch {
		// A log row that does not decode must not hide the rest of the board.
		const doc = new Y.Doc();
		for (const part of parts) {
			try {
				Y.applyUpdate(doc, part);
			} catch {
				// skipped; the collaboration server logs such rows when it loads the board
			}
		}
		return Y.encodeStateAsUpdate(doc);
	}
}

/** A log row: its id reserved with `reserveUpdateIds` before its update was applied. */
export interface WalEntry {
	id: number;
	boardId: string;
	update: Uint8Array;
	actorId: string | null;
	/** The time its events carry, so a replay derives them identically (default: now). */
	createdAt?: Date;
}

/**
 * Takes `count` log row ids before their updates are applied: the events a change derives while
 * it is applied name its row, so a replay of that row derives the same events. Ids are unique,
 * not gapless (unused ones are simply never written).
 */
export async function reserveUpdateIds(sql: Sql, count: number): Promise<number[]> {
	const rows = await sql<{ id: number }[]>`
		select nextval(pg_get_serial_sequence('board_updates', 'id')) as id
		from generate_series(1, ${count})`;
	return rows.map((row) => row.id);
}

/** An API change's log row, which always carries its time. */
export type ReservedWalEntry = WalEntry & { createdAt: Date };

/**
 * Appends a batch of log rows in one statement (very large updates take several). Ids are
 * reserved, so one that exists already can only be this batch's own earlier commit whose answer
 * was lost: retrying skips it.
 */
export async function appendUpdates(q: Sql | Tx, entries: readonly WalEntry[]): Promise<void> {
	const now = new Date();
	const slices = batches(entries, {
		rows: Infinity,
		chars: charsPerStatement,
		weigh: (e) => Math.ceil(e.update.byteLength / 3) * 4 + 128
	});
	for (const slice of slices) {
		const rows = slice.map((e) => ({
			id: e.id,
			board_id: e.boardId,
			update: Buffer.from(e.update.buffer, e.update.byteOffset, e.update.byteLength).toString(
				'base64'
			),
			actor_id: e.actorId,
			created_at: (e.createdAt ?? now).toISOString()
		}));
		// The rows as one JSON parameter: one statement text whatever the batch size (parsed and
		// planned once per connection), and one native JSON.stringify where a parameter per
		// column (bytea[], uuid[], …) had the driver escape every element of every array, a steady
		// slice of the server's CPU at load (docs/performance.md, "Fourth pass"). Bytes travel as
		// base64. Several statements only for very large updates: a retry skips rows already in.
		await q`
			insert into board_updates (id, board_id, update, actor_id, created_at)
			select v.id, v.board_id, decode(v.update, 'base64'), v.actor_id, v.created_at
			from json_to_recordset(${jsonParameter(q, rows)}::json)
				as v(id bigint, board_id uuid, update text, actor_id uuid, created_at timestamptz)
			on conflict (id) do nothing`;
	}
}

/**
 * Locks a board's snapshot row for a store and says how many times it was written, so the
 * store can tell whether anyone else wrote it since this instance last did.
 */
export async function lockSnapshot(tx: Tx, boardId: string): Promise<number | null> {
	const [row] = await tx<{ revision: string }[]>`
		select revision from board_documents where board_id = ${boardId} for update`;
	return row ? Number(row.revision) : null;
}

/** The stored snapshot (under the caller's lock), to fold into a document that may lack it. */
export async function readSnapshot(tx: Tx, boardId: string): Promise<Uint8Array | null> {
	const [row] = await tx<{ snapshot: Buffer }[]>`
		select snapshot from board_documents where board_id = ${boardId}`;
	return row ? new Uint8Array(row.snapshot) : null;
}

/**
 * Writes a snapshot and removes exactly the log rows it is known to contain. Rows written
 * by other instances (which reach this one through Redis) are left for their owners.
 * Returns the snapshot's new revision.
 */
export async function writeSnapshot(
	tx: Tx,
	input: { boardId: string; snapshot: Uint8Array; coveredIds: number[] }
): Promise<number> {
	const seq = input.coveredIds.reduce((max, id) => Math.max(max, id), 0);
	const [row] = await tx<{ revision: string }[]>`
		insert into board_documents (board_id, snapshot, snapshot_seq, updated_at)
		values (${input.boardId}, ${Buffer.from(input.snapshot)}, ${seq}, now())
		on conflict (board_id) do update set
			snapshot = excluded.snapshot,
			snapshot_seq = greatest(board_documents.snapshot_seq, excluded.snapshot_seq),
			revision = board_documents.revision + 1,
			updated_at = now()
		returning revision`;
	if (input.coveredIds.length > 0) {
		await tx`
			delete from board_updates
			where board_id = ${input.boardId} and id = any(${input.coveredIds}::bigint[])`;
	}
	return Number(row!.revision);
}

export async function createBoardDocument(
	tx: Tx,
	boardId: string,
	snapshot: Uint8Array
): Promise<void> {
	await tx`
		insert into board_documents (board_id, snapshot) values (${boardId}, ${Buffer.from(snapshot)})`;
}
