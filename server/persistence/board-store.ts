/**
 * Writing a board document to PostgreSQL: snapshot, log compaction and normalized rows in one
 * transaction. The stored snapshot is folded into the document first (under a row lock), so a
 * store never overwrites content that another instance or a recovery sweep stored before it.
 */
import * as Y from 'yjs';
import { projectBoard } from '#lib/domain/board/projection.ts';
import { boardMap } from '#lib/domain/board/schema.ts';
import { writeSnapshot, loadBoardState } from '#lib/server/board-documents.ts';
import { syncBoardRows, type RowChanges } from '#lib/server/board-rows.ts';
import type { Sql } from '#lib/server/db/client.ts';
import type { Logger } from '#lib/server/log.ts';

/** Origin of changes the persistence layer itself applies: they must not trigger a store. */
export const persistenceOrigin = {
	source: 'local',
	skipStoreHooks: true,
	context: { persistence: true }
} as const;

export async function persistBoard(
	sql: Sql,
	input: { boardId: string; doc: Y.Doc; coveredIds: number[] }
): Promise<RowChanges> {
	const { boardId, doc, coveredIds } = input;
	return sql.begin(async (tx) => {
		const [stored] = await tx<{ snapshot: Buffer }[]>`
			select snapshot from board_documents where board_id = ${boardId} for update`;
		if (stored) Y.applyUpdate(doc, new Uint8Array(stored.snapshot), persistenceOrigin);
		await writeSnapshot(tx, { boardId, snapshot: Y.encodeStateAsUpdate(doc), coveredIds });
		const changes = await syncBoardRows(tx, boardId, projectBoard(doc));
		const title = boardMap(doc).get('title');
		if (typeof title === 'string' && title.trim().length > 0 && title.length <= 255) {
			await tx`update boards set title = ${title}, updated_at = now()
				where id = ${boardId} and title is distinct from ${title}`;
		}
		return changes;
	});
}

/** Builds a document from its snapshot and every log row; bad rows are skipped, not fatal. */
export async function loadBoardDoc(
	sql: Sql,
	boardId: string,
	doc: Y.Doc,
	log: Logger
): Promise<{ exists: boolean; loadedIds: number[] }> {
	const state = await loadBoardState(sql, boardId);
	if (state.snapshot) Y.applyUpdate(doc, state.snapshot, persistenceOrigin);
	const loadedIds: number[] = [];
	for (const { id, update } of state.updates) {
		try {
			Y.applyUpdate(doc, update, persistenceOrigin);
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

/**
 * Startup recovery: folds log rows left by a crash into snapshots and rows, so the tables are
 * current even before anyone opens those boards again.
 */
export async function recoverBoards(sql: Sql, log: Logger): Promise<number> {
	const boards = await sql<{ board_id: string }[]>`select distinct board_id from board_updates`;
	for (const { board_id } of boards) {
		const doc = new Y.Doc();
		const { loadedIds } = await loadBoardDoc(sql, board_id, doc, log);
		await persistBoard(sql, { boardId: board_id, doc, coveredIds: loadedIds });
		doc.destroy();
	}
	return boards.length;
}
