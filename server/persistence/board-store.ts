/**
 * Writing a board document to PostgreSQL: snapshot, log compaction and normalized rows in one
 * transaction. The stored snapshot is folded into the document first (under a row lock), so a
 * store never overwrites content that another instance or a recovery sweep stored before it.
 */
import * as Y from 'yjs';
import { projectBoard } from '#lib/domain/board/projection.ts';
import { boardMap } from '#lib/domain/board/schema.ts';
import { writeSnapshot, loadBoardState, type LoggedUpdate } from '#lib/server/board-documents.ts';
import { syncBoardRows, type RowChanges } from '#lib/server/board-rows.ts';
import type { Sql, Tx } from '#lib/server/db/client.ts';
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

export async function persistBoard(
	sql: Sql,
	input: { boardId: string; doc: Y.Doc; coveredIds: number[]; companion?: SnapshotCompanion }
): Promise<RowChanges> {
	const { boardId, doc, coveredIds, companion } = input;
	let captured = null as ReturnType<SnapshotCompanion['capture']>;
	const changes = await sql.begin(async (tx) => {
		const [stored] = await tx<{ snapshot: Buffer }[]>`
			select snapshot from board_documents where board_id = ${boardId} for update`;
		if (stored) Y.applyUpdate(doc, new Uint8Array(stored.snapshot), persistenceOrigin);
		const snapshot = Y.encodeStateAsUpdate(doc);
		captured = companion?.capture() ?? null;
		await writeSnapshot(tx, { boardId, snapshot, coveredIds });
		await captured?.write(tx);
		const changes = await syncBoardRows(tx, boardId, projectBoard(doc));
		const title = boardMap(doc).get('title');
		// A NUL (which a raw client write can put there) would make PostgreSQL refuse every store.
		const storable = typeof title === 'string' && !title.includes('\u0000');
		if (storable && title.trim().length > 0 && title.length <= 255) {
			await tx`update boards set title = ${title}, updated_at = now()
				where id = ${boardId} and title is distinct from ${title}`;
		}
		return changes;
	});
	captured?.committed();
	return changes;
}

/**
 * Builds a document from its snapshot and every log row; bad rows are skipped, not fatal. Rows
 * are replayed in causal order (see `replayOrder`), so each takes effect in its own transaction
 * and its events are derived under its own id and actor.
 */
export async function loadBoardDoc(
	sql: Sql,
	boardId: string,
	doc: Y.Doc,
	log: Logger
): Promise<{ exists: boolean; loadedIds: number[] }> {
	const state = await loadBoardState(sql, boardId);
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
	return { exists: state.snapshot !== null || state.updates.length > 0, loadedIds };
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
			const { loadedIds } = await loadBoardDoc(sql, board_id, doc, log);
			await persistBoard(sql, {
				boardId: board_id,
				doc,
				coveredIds: loadedIds,
				companion: observer
			});
		} finally {
			observer?.detach();
			doc.destroy();
		}
	}
	return boards.length;
}
