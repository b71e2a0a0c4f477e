/**
 * Creating and archiving boards as the pages and the API both do it: the change and its audit
 * event in one transaction.
 */
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
