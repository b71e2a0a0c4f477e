/**
 * Comments on a card as the API returns them and the card dialog shows them. Plain data only:
 * the server builds them (`$lib/server/comments`), the browser reads them.
 */

/** The longest comment body, in characters (UTF-16 code units, like `maxlength`). */
export const maxCommentLength = 10_000;

export interface CommentDto {
	id: string;
	boardId: string;
	taskId: string;
	/** Null once the author's account is gone. */
	author: { id: string; name: string } | null;
	/** The Markdown source as written. */
	body: string;
	/** `body` rendered by the app's one sanitising renderer (`$lib/markdown/render`). */
	bodyHtml: string;
	createdAt: string;
	updatedAt: string;
	edited: boolean;
	/** What the caller may do with it: edit their own, delete their own or (owners) any. */
	canEdit: boolean;
	canDelete: boolean;
}

/** Oldest first; `nextCursor` leads to newer comments. */
export interface CommentPageDto {
	items: CommentDto[];
	nextCursor: string | null;
	/** The card's comments in all. */
	total: number;
}

/** `GET /api/v1/boards/:id/comment-counts`: card id → comments, for cards that have any. */
export interface CommentCountsDto {
	counts: Record<string, number>;
}
