import { renameBoard as renameBoardDocument } from '../domain/board/board.ts';
import { renameBoard, type BoardRow } from './boards.ts';
import type { AppContext } from './context.ts';

/**
 * The board document holds the title too (stores copy it back into `boards`), so a rename goes
 * through the document first; otherwise the next store would bring the old title back.
 */
export async function retitleBoard(
	ctx: AppContext,
	input: { boardId: string; title: string; actorId: string }
): Promise<BoardRow | null> {
	await ctx.collab.changeBoard(input.boardId, input.actorId, (doc) =>
		renameBoardDocument(doc, { title: input.title }, { actorId: input.actorId })
	);
	return renameBoard(ctx.sql, input.boardId, input.title);
}
