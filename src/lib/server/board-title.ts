import { renameBoard as renameBoardDocument } from '../domain/board/board.ts';
import { renameBoard, type BoardRow } from './boards.ts';
import type { AppContext } from './context.ts';

/** An archived board is kept as it was: it can be read but no longer changed. */
export class BoardArchivedError extends Error {
	constructor() {
		super('This board is archived: it can be read but no longer changed.');
		this.name = 'BoardArchivedError';
	}
}

/**
 * The board document holds the title too (stores copy it back into `boards`), so a rename goes
 * through the document first; otherwise the next store would bring the old title back.
 * Throws `BoardArchivedError` for an archived board.
 */
export async function retitleBoard(
	ctx: AppContext,
	input: { boardId: string; title: string; actorId: string }
): Promise<BoardRow | null> {
	const [board] = await ctx.sql<{ archived_at: Date | null }[]>`
		select archived_at from boards where id = ${input.boardId}`;
	if (board?.archived_at) throw new BoardArchivedError();
	await ctx.collab.changeBoard(input.boardId, input.actorId, (doc) =>
		renameBoardDocument(doc, { title: input.title }, { actorId: input.actorId })
	);
	const renamed = await renameBoard(ctx.sql, input.boardId, input.title);
	// Archived in between: the document took the title, the archived row keeps its own.
	if (!renamed) throw new BoardArchivedError();
	return renamed;
}
