/**
 * The `comments` table, and the per-card `comment_count` kept beside it on the `tasks` row (in
 * the same transaction, so the count is never off and the board page reads it cheaply).
 */
import type { CommentDto, CommentPageDto } from '../api/comments.ts';
import type { Queryable, Sql, Tx } from './db/client.ts';
import { decodeCursor, encodeCursor } from './events/ids.ts';
import { renderMarkdown } from '../markdown/render.ts';

export type { CommentDto, CommentPageDto };

export interface CommentRow {
	id: string;
	seq: string;
	board_id: string;
	task_id: string;
	author_id: string | null;
	author_name: string | null;
	body: string;
	created_at: Date;
	updated_at: Date;
}

/** What the caller may do with a comment, decided once per page by the route. */
export interface CommentRights {
	userId: string;
	/** May write on the board (editor or owner, board not archived). */
	canWrite: boolean;
	/** May delete anyone's comment (an owner, board not archived). */
	canModerate: boolean;
}

const selectComment = `c.id, c.seq::text as seq, c.board_id, c.task_id, c.author_id,
	u.display_name as author_name, c.body, c.created_at, c.updated_at`;

export function toCommentDto(row: CommentRow, rights: CommentRights): CommentDto {
	const own = row.author_id === rights.userId;
	return {
		id: row.id,
		boardId: row.board_id,
		taskId: row.task_id,
		author: row.author_id ? { id: row.author_id, name: row.author_name ?? 'Someone' } : null,
		body: row.body,
		// Rendered here, on the server, by the same pure renderer the browser uses for
		// descriptions: API clients get safe HTML too, and the stored source stays editable.
		bodyHtml: renderMarkdown(row.body),
		createdAt: row.created_at.toISOString(),
		updatedAt: row.updated_at.toISOString(),
		edited: row.updated_at.getTime() !== row.created_at.getTime(),
		canEdit: own && rights.canWrite,
		canDelete: (own && rights.canWrite) || rights.canModerate
	};
}

export async function getComment(sql: Queryable, id: string): Promise<CommentRow | null> {
	const [row] = await sql<CommentRow[]>`
		select ${sql.unsafe(selectComment)} from comments c left join users u on u.id = c.author_id
		where c.id = ${id}`;
	return row ?? null;
}

/**
 * Adds a comment and counts it on the card; null when the card is deleted. The card row is
 * updated first: its lock orders two comments on one card, so the counts their events carry
 * arrive in order.
 */
export async function insertComment(
	tx: Tx,
	input: { boardId: string; taskId: string; authorId: string; body: string }
): Promise<{ comment: CommentRow; count: number; taskTitle: string } | null> {
	const [task] = await tx<{ comment_count: number; title: string }[]>`
		update tasks set comment_count = comment_count + 1
		where board_id = ${input.boardId} and id = ${input.taskId} and deleted_at is null
		returning comment_count, title`;
	if (!task) return null;
	const [inserted] = await tx<{ id: string }[]>`
		insert into comments (board_id, task_id, author_id, body)
		values (${input.boardId}, ${input.taskId}, ${input.authorId}, ${input.body})
		returning id`;
	const comment = (await getComment(tx, inserted!.id))!;
	return { comment, count: task.comment_count, taskTitle: task.title };
}

/** Changes the text; null when the comment is gone. */
export async function updateCommentBody(
	tx: Tx,
	id: string,
	body: string
): Promise<CommentRow | null> {
	// Unchanged text keeps its time: "edited" would be a lie.
	await tx`
		update comments set body = ${body}, updated_at = date_trunc('milliseconds', now())
		where id = ${id} and body <> ${body}`;
	return getComment(tx, id);
}

/**
 * Removes the comment (a hard delete) and uncounts it: the card's count after and its title,
 * or null when it was gone already.
 */
export async function deleteComment(
	tx: Tx,
	comment: CommentRow
): Promise<{ count: number; taskTitle: string } | null> {
	// The row first: of two deletes at once, the second waits on it and finds nothing, so only
	// one uncounts it (uncounting first let both pass a check made on their own snapshots).
	const removed = await tx`delete from comments where id = ${comment.id}`;
	if (removed.count !== 1) return null;
	const [task] = await tx<{ comment_count: number; title: string }[]>`
		update tasks set comment_count = greatest(comment_count - 1, 0)
		where board_id = ${comment.board_id} and id = ${comment.task_id}
		returning comment_count, title`;
	return task ? { count: task.comment_count, taskTitle: task.title } : null;
}

/** One card's comments, oldest first. `cursor` must have been checked with `decodeCursor`. */
export async function commentPage(
	sql: Sql,
	input: { boardId: string; taskId: string; limit: number; cursor: string | null },
	rights: CommentRights
): Promise<CommentPageDto> {
	const after = input.cursor ? decodeCursor(input.cursor) : null;
	const [rows, [task]] = await Promise.all([
		sql<CommentRow[]>`
			select ${sql.unsafe(selectComment)} from comments c left join users u on u.id = c.author_id
			where c.board_id = ${input.boardId} and c.task_id = ${input.taskId}
				${after ? sql`and c.seq > ${after.key}::bigint` : sql``}
			order by c.seq
			limit ${input.limit + 1}`,
		sql<{ comment_count: number }[]>`
			select comment_count from tasks where board_id = ${input.boardId} and id = ${input.taskId}`
	]);
	const items = rows.slice(0, input.limit);
	const last = items.at(-1);
	return {
		items: items.map((row) => toCommentDto(row, rights)),
		nextCursor:
			rows.length > input.limit && last
				? encodeCursor({ createdAt: last.created_at.toISOString(), key: last.seq })
				: null,
		total: task?.comment_count ?? 0
	};
}

/**
 * The comment count of every card of a board that has comments: one index scan over those
 * cards only (`tasks_commented_idx`), whatever the board's size.
 */
export async function commentCounts(sql: Sql, boardId: string): Promise<Record<string, number>> {
	const rows = await sql<{ id: string; comment_count: number }[]>`
		select id, comment_count from tasks where board_id = ${boardId} and comment_count > 0`;
	return Object.fromEntries(rows.map((row) => [row.id, row.comment_count]));
}
