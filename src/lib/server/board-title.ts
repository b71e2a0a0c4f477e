import { renameBoard as renameBoardDocument } from '../domain/board/board.ts';
import { getBoard, type BoardRow } from './boards.ts';
import type { AppContext } from './context.ts';
import type { Tx } from './db/client.ts';
import { hasVisibleText } from '../domain/visible-text.ts';

/** An archived board is kept as it was: it can be read but no longer changed. */
export class BoardArchivedError extends Error {
	constructor() {
		super('This board is archived: it can be read but no longer changed.');
		this.name = 'BoardArchivedError';
	}
}

/**
 * The document's title as `boards.title` can hold it, or null when it cannot (a raw client
 * can write anything there; a NUL would make PostgreSQL refuse the whole row write).
 */
export function storableTitle(title: unknown): string | null {
	if (typeof title !== 'string' || title.includes('\u0000')) return null;
	return hasVisibleText(title) && title.length <= 255 ? title : null;
}

/**
 * Copies the document's title into `boards` (the document is the only source of a title: this
 * is its one way into the table, run by the row sync). An archived row keeps its own.
 */
export async function copyTitle(tx: Tx, boardId: string, title: string): Promise<void> {
	await tx`update boards set title = ${title}, updated_at = now()
		where id = ${boardId} and archived_at is null and title is distinct from ${title}`;
}

/**
 * Renames through the document, which is the title's only source; the row follows with the
 * change's rows before this returns. Throws `BoardArchivedError` for an archived board.
 */
export async function retitleBoard(
	ctx: AppContext,
	input: { boardId: string; title: string; actorId: string }
): Promise<BoardRow | null> {
	const before = await getBoard(ctx.sql, input.boardId);
	if (!before) return null;
	if (before.archived_at) throw new BoardArchivedError();
	await ctx.collab.changeBoard(input.boardId, input.actorId, (doc) =>
		renameBoardDocument(doc, { title: input.title }, { actorId: input.actorId })
	);
	const after = await getBoard(ctx.sql, input.boardId);
	// Archived in between: the document took the title, the archived row keeps its own.
	if (after?.archived_at) throw new BoardArchivedError();
	return after;
}
