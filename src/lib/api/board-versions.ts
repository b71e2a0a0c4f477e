/** A board's version history as the API answers it. Types only: `$lib/server/board-versions` builds them. */
import type { BoardView } from '../domain/board/read.ts';

export interface BoardVersionDto {
	id: string;
	boardId: string;
	/** Null for an automatic checkpoint. */
	name: string | null;
	automatic: boolean;
	/** A restore's "Before restoring …" version: not counted as named, pruned like checkpoints. */
	undo: boolean;
	cardCount: number;
	/** Who named it; null for checkpoints (and for a user since deleted). */
	createdBy: string | null;
	createdAt: string;
}

/** A read-only preview: the version and the board as it read then. */
export interface BoardVersionPreviewDto {
	version: BoardVersionDto;
	/** `labelColors` where the endpoint sends them; labels without one show in the default. */
	board: Pick<BoardView, 'columns' | 'deletedTasks'> & Partial<Pick<BoardView, 'labelColors'>>;
}
