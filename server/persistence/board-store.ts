/**
 * Writing a board document to PostgreSQL: snapshot and log compaction in one transaction (the
 * normalized rows follow the document through `BoardRowSync`). A store never overwrites content
 * that another instance or a recovery sweep stored before it (see `persistBoard`).
 */
import * as Y from 'yjs';
import { projectBoard } from '#lib/domain/board/projection.ts';
import {
	loadBoardState,
	loadBoardStates,
	lockSnapshot,
	readSnapshot,
	writeSnapshot,
	type LoggedUpdate,
	type StoredBoardState
} from '#lib/server/board-documents.ts';
import { syncBoardRows } from '#lib/server/board-rows.ts';
import type { Sql, Tx } from '#lib/server/db/client.ts';
import { TurnBatch } from '#lib/server/db/turn-batch.ts';
import type { Logger } from '#lib/server/log.ts';
import { replayOrder } from '#lib/server/replay-order.ts';

/** Origin of changes the persistence layer itself applies: they must not trigger a store. */
export const persistenceOrigin = {
	source: 'local',
	skipStoreHooks: true,
	context: { persistence: true }
} as const;

/**
 * Origin of a log row replayed on load: still the persistence layer's own change (no store),
 * but carrying who sent it, so the events it caused are derived again (their ids are the same
 * as the first time, so stores keep one copy).
 */
export function replayOrigin(row: LoggedUpdate) {
	return {
		source: 'local',
		skipStoreHooks: true,
		context: {
			persistence: true,
			wal: { id: row.id, actorId: row.actorId, createdAt: row.createdAt.getTime() }
		}
	} as const;
}

/** Writes that must commit in the same transaction as a board's snapshot (its events). */
export interface SnapshotCompanion {
	/**
	 * Called right where the snapshot is encoded, with no await in between, so it sees exactly
	 * the updates the snapshot holds. Null when there is nothing to write.
	 */
	capture(): { write(tx: Tx): Promise<void>; committed(): void } | null;
}

/** What a store needs to know about a loaded board, kept by its owner between stores. */
export interface StoreInput {
	boardId: string;
	doc: Y.Doc;
	/** Log rows whose updates are in `doc`: the snapshot holds them, so they are deleted. */
	coveredIds: number[];
	/** The snapshot revision this copy last read or wrote (see `lockSnapshot`). */
	revision: number;
	companion?: SnapshotCompanion;
	/**
	 * Compare every row with the document too (recovery, where the rows may lag the whole
	 * log). Live stores leave rows to `BoardRowSync`, which writes only what changed.
	 */
	allRows?: boolean;
}

/**
 * Compacts: writes the snapshot and deletes the log rows it holds, with the events of those
 * updates, in one transaction. The stored snapshot is read and folded in only when another
 * writer replaced it since this copy last saw it (two instances storing one board): then it
 * may hold updates this copy never received, which the new snapshot must not drop. Returns
 * the revision written, and whether stored state was folded in (then the rows of what it
 * brought are not written by this copy's row sync, which ignores the persistence layer's own
 * changes: the caller compares them all).
 */
export async function persistBoard(
	sql: Sql,
	input: StoreInput
): Promise<{ revision: number; folded: boolean }> {
	const { boardId, doc, coveredIds, companion } = input;
	let captured = null as ReturnType<SnapshotCompanion['capture']>;
	let folded = false;
	const revision = await sql.begin(async (tx) => {
		const stored = await lockSnapshot(tx, boardId);
		if (stored !== null && stored !== input.revision) {
			const snapshot = await readSnapshot(tx, boardId);
			if (snapshot) Y.applyUpdate(doc, snapshot, persistenceOrigin);
			folded = true;
		}
		const snapshot = Y.encodeStateAsUpdate(doc);
		captured = companion?.capture() ?? null;
		const revision = await writeSnapshot(tx, { boardId, snapshot, coveredIds });
		await captured?.write(tx);
		if (input.allRows) await syncBoardRows(tx, boardId, projectBoard(doc));
		return revision;
	});
	captured?.committed();
	return { revision, folded };
}

/** Where `loadBoardDoc` reads a board's stored state. */
export type BoardStateSource = (boardId: string) => Promise<StoredBoardState>;

/**
 * Reads the states asked for together in one statement (see `TurnBatch`): after a restart,
 * the reconnecting clients load every board at once.
 */
export function batchedBoardStates(sql: Sql): BoardStateSource {
	// Bounded, as one answer holds every snapshot and log row of its batch (twice, while they
	// are copied out), and one board's long log delays or fails the others of its batch. Several
	// run at once, as separate loads did across the pool, so one slow board holds up at most a
	// few others and a storm of a thousand boards is not a queue of one statement at a time.
	const batch = new TurnBatch((ids: string[]) => loadBoardStates(sql, ids), {
		maxKeys: 16,
		maxInFlight: 4
	});
	return async (boardId) => (await batch.get(boardId))!;
}

/**
 * Builds a document from its snapshot and every log row; bad rows are skipped, not fatal. Rows
 * are replayed in causal order (see `replayOrder`), so each takes effect in its own transaction
 * and its events are derived under its own id and actor.
 */
export async function loadBoardDoc(
	source: BoardStateSource,
	boardId: string,
	doc: Y.Doc,
	log: Logger
): Promise<{ exists: boolean; loadedIds: number[]; revision: number }> {
	const state = await source(boardId);
	if (state.snapshot) Y.applyUpdate(doc, state.snapshot, persistenceOrigin);
	const loadedIds: number[] = [];
	const present = Y.decodeStateVector(Y.encodeStateVector(doc));
	for (const row of replayOrder(state.updates, present)) {
		const { id, update } = row;
		try {
			// One transaction per row, attributed to its sender (see `replayOrigin`).
			Y.applyUpdate(doc, update, replayOrigin(row));
		} catch (error) {
			log.error(
				{ err: error, boardId, walId: id },
				'skipping a write-ahead log row that does not apply'
			);
		}
		loadedIds.push(id);
	}
	return {
		exists: state.snapshot !== null || state.updates.length > 0,
		loadedIds,
		revision: state.revision
	};
}

/** Observes a document from before its stored state is applied (the event recorder). */
export interface DocumentObserver extends SnapshotCompanion {
	detach(): void;
}

/**
 * Startup recovery: folds log rows left by a crash into snapshots and rows, so the tables are
 * current even before anyone opens those boards again. With `observe`, the events of those
 * rows are derived again and committed with the snapshot that absorbs them.
 */
export async function recoverBoards(
	sql: Sql,
	log: Logger,
	observe?: (doc: Y.Doc, boardId: string) => Promise<DocumentObserver>
): Promise<number> {
	const boards = await sql<{ board_id: string }[]>`select distinct board_id from board_updates`;
	for (const { board_id } of boards) {
		const doc = new Y.Doc();
		const observer = await observe?.(doc, board_id);
		try {
			const { loadedIds, revision } = await loadBoardDoc(
				(id) => loadBoardState(sql, id),
				board_id,
				doc,
				log
			);
			await persistBoard(sql, {
				boardId: board_id,
				doc,
				coveredIds: loadedIds,
				revision,
				companion: observer,
				allRows: true
			});
		} finally {
			observer?.detach();
			doc.destroy();
		}
	}
	return boards.length;
}
