/**
 * Creating, archiving, restoring and copying boards as the pages and the API all do it: the change and its audit
 * event in one transaction.
 */
import * as Y from 'yjs';
import { copyBoardContent, readBoard } from '../domain/board/index.ts';
import { unarchiveBoard } from './admin/boards.ts';
import { loadBoardUpdate } from './board-documents.ts';
import { archiveBoard, createBoard, type BoardRow } from './boards.ts';
import type { AppContext } from './context.ts';
import { changeWithEvents, type EventDraft, type EventSource } from './events/audit.ts';

const boardEvent = (type: EventDraft['type'], board: BoardRow): EventDraft => ({
	type,
	entityType: 'board',
	entityId: board.id,
	boardId: board.id,
	payload: { title: board.title }
});

export function openBoard(
	ctx: AppContext,
	source: EventSource,
	input: { title: string; ownerId: string }
): Promise<BoardRow> {
	return changeWithEvents(ctx, source, async (tx) => {
		const board = await createBoard(tx, input);
		return { result: board, events: [boardEvent('board.created', board)] };
	});
}

/**
 * Archives (idempotently); the event is recorded only by the request that archived it, decided
 * by the update itself so two at once cannot both record it.
 */
export async function closeBoard(
	ctx: AppContext,
	source: EventSource,
	board: BoardRow
): Promise<void> {
	await changeWithEvents(ctx, source, async (tx) => {
		const archived = await archiveBoard(tx, board.id);
		return { result: undefined, events: archived ? [boardEvent('board.archived', archived)] : [] };
	});
	ctx.collab.disconnectBoard(board.id);
}

/**
 * Restores an archived board (idempotently, like archiving: only the request that restored it
 * records the event). Live connections close so that they reconnect with write access.
 */
export async function reopenBoard(
	ctx: AppContext,
	source: EventSource,
	board: BoardRow
): Promise<BoardRow> {
	const restored = await changeWithEvents(ctx, source, async (tx) => {
		const row = await unarchiveBoard(tx, board.id);
		return { result: row, events: row ? [boardEvent('board.restored', row)] : [] };
	});
	if (restored) ctx.collab.disconnectBoard(board.id);
	return restored ?? board;
}

/** The board's current content is over a board's limits, so a copy of it could not be made. */
export class BoardTooLargeError extends Error {}

/** As many copies as may run at once are running; the caller may try again shortly. */
export class CopiesBusyError extends Error {
	/** Seconds after which a retry is likely to find a free slot (about one big copy's time). */
	readonly retryAfter = 2;
}

/**
 * Copies that may run at once in this process. A copy of a board at BOARD_MAX_CARDS holds the
 * event loop for about a second (reading, copying and encoding the document) and several
 * megabytes of memory; more at once would stall every other request and socket of the
 * process, and any reader of a board may ask for one. Refused, not queued: a queue would hold
 * requests (and their memory) for seconds behind work that can just as well be retried.
 */
export const maxConcurrentCopies = 2;
let copiesRunning = 0;

/** The live columns and cards of a board by its rows: cheap, no document read. */
async function liveRowCounts(ctx: AppContext, boardId: string) {
	const [row] = await ctx.sql<{ cards: number; columns: number }[]>`
		select
			(select count(*)::int from tasks where board_id = ${boardId} and deleted_at is null)
				as cards,
			(select count(*)::int from board_columns where board_id = ${boardId} and deleted_at is null)
				as columns`;
	return row ?? { cards: 0, columns: 0 };
}

function tooLarge(ctx: AppContext, cards: number, columns: number): BoardTooLargeError | null {
	const { boardMaxCards, boardMaxColumns } = ctx.config;
	if (cards > boardMaxCards) {
		return new BoardTooLargeError(
			`This board has ${cards} cards; a copy may hold at most ${boardMaxCards} (BOARD_MAX_CARDS).`
		);
	}
	if (columns > boardMaxColumns) {
		return new BoardTooLargeError(
			`This board has ${columns} columns; a copy may hold at most ${boardMaxColumns} (BOARD_MAX_COLUMNS).`
		);
	}
	return null;
}

/**
 * A new board owned by `ownerId` holding the source's live columns and cards (fresh ids, no
 * history), its rows and its `board.created` event (naming the source) in one transaction.
 * Reads the stored document (snapshot and log), which holds every acknowledged edit.
 *
 * Before that document is read, the board's rows (the projection the store keeps with it)
 * refuse a board over the limits, and a copy has to find one of `maxConcurrentCopies` slots
 * free (`CopiesBusyError` otherwise). The document is checked again once read: the rows may
 * trail it by the store's last write.
 */
export async function duplicateBoard(
	ctx: AppContext,
	source: EventSource,
	input: { from: BoardRow; title: string; ownerId: string }
): Promise<BoardRow> {
	const rows = await liveRowCounts(ctx, input.from.id);
	const refused = tooLarge(ctx, rows.cards, rows.columns);
	if (refused) throw refused;
	if (copiesRunning >= maxConcurrentCopies) throw new CopiesBusyError();
	copiesRunning += 1;
	try {
		return await copyBoard(ctx, source, input);
	} finally {
		copiesRunning -= 1;
	}
}

async function copyBoard(
	ctx: AppContext,
	source: EventSource,
	input: { from: BoardRow; title: string; ownerId: string }
): Promise<BoardRow> {
	const content = new Y.Doc();
	const update = await loadBoardUpdate(ctx.sql, input.from.id);
	if (update) Y.applyUpdate(content, update);
	const view = readBoard(content);
	content.destroy();
	const cards = view.columns.reduce((sum, column) => sum + column.tasks.length, 0);
	const refused = tooLarge(ctx, cards, view.columns.length);
	if (refused) throw refused;
	const opContext = { actorId: input.ownerId, memberIds: new Set([input.ownerId]) };
	return changeWithEvents(ctx, source, async (tx) => {
		const board = await createBoard(tx, input, (doc) =>
			copyBoardContent(doc, view, { title: input.title }, opContext)
		);
		const event = boardEvent('board.created', board);
		event.payload = { ...event.payload, copiedFrom: input.from.id };
		return { result: board, events: [event] };
	});
}
