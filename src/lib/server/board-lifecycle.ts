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

const boardEvent = (type: string, board: BoardRow): EventDraft => ({
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

/**
 * A new board owned by `ownerId` holding the source's live columns and cards (fresh ids, no
 * history), its rows and its `board.created` event (naming the source) in one transaction.
 * Reads the stored document (snapshot and log), which holds every acknowledged edit.
 */
export async function duplicateBoard(
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
	if (cards > ctx.config.boardMaxCards || view.columns.length > ctx.config.boardMaxColumns) {
		throw new BoardTooLargeError(
			`This board holds more than a board may (${ctx.config.boardMaxCards} cards, ${ctx.config.boardMaxColumns} columns).`
		);
	}
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
