/**
 * Creating and archiving boards as the pages and the API both do it: the change and its audit
 * event in one transaction.
 */
import { archiveBoard, createBoard, type BoardRow } from './boards.ts';
import type { AppContext } from './context.ts';
import { changeWithEvents, type EventSource } from './events/audit.ts';

export function openBoard(
	ctx: AppContext,
	source: EventSource,
	input: { title: string; ownerId: string }
): Promise<BoardRow> {
	return changeWithEvents(ctx, source, async (tx) => {
		const board = await createBoard(tx, input);
		const created = {
			type: 'board.created',
			entityType: 'board',
			entityId: board.id,
			boardId: board.id,
			payload: { title: board.title }
		} as const;
		return { result: board, events: [created] };
	});
}

/** Archives (idempotently); the event is recorded only when the board was live. */
export async function closeBoard(
	ctx: AppContext,
	source: EventSource,
	board: BoardRow
): Promise<void> {
	await changeWithEvents(ctx, source, async (tx) => {
		await archiveBoard(tx, board.id);
		if (board.archived_at !== null) return { result: undefined, events: [] };
		const archived = {
			type: 'board.archived',
			entityType: 'board',
			entityId: board.id,
			boardId: board.id,
			payload: { title: board.title }
		} as const;
		return { result: undefined, events: [archived] };
	});
	ctx.collab.disconnectBoard(board.id);
}
