/**
 * Posting, editing and deleting comments: the row, the card's count, the notifications of the
 * members a comment mentions and the audit event commit in one transaction (the same
 * `changeWithEvents` path as membership changes), then the mentioned members' open tabs are
 * signalled. The board's open cards learn of it from the event: when the relay delivers
 * `comment.*` events, `server/events/notify-board.ts` sends board news naming the card and its
 * new count.
 */
import type { RequestEvent } from '@sveltejs/kit';
import { canEditBoard, canReadBoard } from '../domain/policy.ts';
import { findMentions } from '../domain/mentions.ts';
import type { SessionUser } from './auth/service.ts';
import { getBoardWithRole, isUuid, type BoardRow } from './boards.ts';
import {
	deleteComment,
	getComment,
	insertComment,
	toCommentDto,
	updateCommentBody,
	type CommentDto,
	type CommentRights,
	type CommentRow
} from './comments.ts';
import type { Tx } from './db/client.ts';
import { changeWithEvents, requestSource, type EventDraft } from './events/audit.ts';
import { requireUser } from './http/endpoint.ts';
import { ApiError, forbidden, notFound } from './http/problem.ts';
import { listMembers } from './members.ts';
import { insertNotifications } from './notifications/store.ts';
import { archivedBoard } from './api/board-writes.ts';

/** What the caller may do on a board with comments. */
export function commentRights(
	user: SessionUser,
	found: { board: BoardRow; role: Parameters<typeof canEditBoard>[1] }
): CommentRights {
	const open = found.board.archived_at === null;
	return {
		userId: user.id,
		canWrite: open && canEditBoard(user, found.role),
		canModerate: open && found.role === 'owner'
	};
}

/** The board's members mentioned in `body`, other than its author. */
async function mentioned(event: RequestEvent, boardId: string, body: string): Promise<string[]> {
	if (!body.includes('@')) return [];
	const members = await listMembers(event.locals.ctx.sql, boardId);
	const ids = findMentions(
		body,
		members.map((m) => ({ id: m.userId, name: m.name }))
	);
	return ids.filter((id) => id !== requireUser(event).id);
}

/**
 * Stores a notification per member mentioned, once per comment and person (an edit that keeps
 * a mention notifies nobody again; one that adds a person notifies them). Returns who got one.
 */
function notifyMentioned(
	tx: Tx,
	input: { userIds: string[]; comment: CommentRow; actorId: string; taskTitle: string }
): Promise<string[]> {
	return insertNotifications(
		tx,
		input.userIds.map((userId) => ({
			userId,
			kind: 'mentioned' as const,
			boardId: input.comment.board_id,
			taskId: input.comment.task_id,
			actorId: input.actorId,
			payload: { taskTitle: input.taskTitle, commentId: input.comment.id },
			dedupeKey: `mention:${input.comment.id}`
		}))
	);
}

function commentEvent(
	type: 'created' | 'updated' | 'deleted',
	comment: CommentRow,
	payload: Record<string, unknown>
): EventDraft {
	return {
		type: `comment.${type}`,
		entityType: 'comment',
		entityId: comment.id,
		boardId: comment.board_id,
		// Never the text: a deleted comment's words must not live on in the event log.
		payload: { taskId: comment.task_id, authorId: comment.author_id, ...payload }
	};
}

export async function postComment(
	event: RequestEvent,
	input: { boardId: string; taskId: string; body: string }
): Promise<CommentDto> {
	const { ctx } = event.locals;
	const user = requireUser(event);
	const found = await getBoardWithRole(ctx.sql, input.boardId, user.id);
	if (!found) throw notFound('task');
	const mentions = await mentioned(event, input.boardId, input.body);
	let notified: string[] = [];
	const comment = await changeWithEvents(ctx, requestSource(event), async (tx) => {
		const added = await insertComment(tx, { ...input, authorId: user.id });
		if (!added) throw new ApiError(409, 'This card is deleted: restore it to comment on it.');
		notified = await notifyMentioned(tx, {
			userIds: mentions,
			comment: added.comment,
			actorId: user.id,
			taskTitle: added.taskTitle
		});
		const payload = {
			title: added.taskTitle,
			commentCount: added.count,
			mentions: notified.length
		};
		return { result: added.comment, events: [commentEvent('created', added.comment, payload)] };
	});
	if (notified.length > 0) ctx.notifications.publish({ userIds: notified, reason: 'new' });
	return toCommentDto(comment, commentRights(user, found));
}

/**
 * The comment named in the path and what the caller may do with it; 404 for one the caller
 * may not see (like one that does not exist), so comment ids do not reveal boards.
 */
export async function commentAccess(event: RequestEvent, commentId: string) {
	const user = requireUser(event);
	const { sql } = event.locals.ctx;
	const comment = isUuid(commentId) ? await getComment(sql, commentId) : null;
	const found = comment ? await getBoardWithRole(sql, comment.board_id, user.id) : null;
	if (!comment || !found || !canReadBoard(user, found.role)) throw notFound('comment');
	const rights = commentRights(user, found);
	const writable = () => {
		if (found.board.archived_at !== null) throw archivedBoard();
	};
	return { user, comment, found, rights, writable };
}

export async function editComment(
	event: RequestEvent,
	commentId: string,
	body: string
): Promise<CommentDto> {
	const { ctx } = event.locals;
	const { user, comment, rights, writable } = await commentAccess(event, commentId);
	writable();
	if (!rights.canWrite || comment.author_id !== user.id) {
		throw forbidden('Only its author can edit a comment.');
	}
	// The card's title goes into notifications and the event: as the board shows it now.
	await ctx.collab.syncRows({ boardId: comment.board_id });
	const mentions = await mentioned(event, comment.board_id, body);
	let notified: string[] = [];
	const updated = await changeWithEvents(ctx, requestSource(event), async (tx) => {
		const row = await updateCommentBody(tx, comment.id, body);
		if (!row) throw notFound('comment');
		const [task] = await tx<{ title: string }[]>`
			select title from tasks where board_id = ${row.board_id} and id = ${row.task_id}`;
		notified = await notifyMentioned(tx, {
			userIds: mentions,
			comment: row,
			actorId: user.id,
			taskTitle: task?.title ?? ''
		});
		const changed = row.updated_at.getTime() !== comment.updated_at.getTime();
		const payload = { title: task?.title ?? '', mentions: notified.length };
		const events = changed ? [commentEvent('updated', row, payload)] : [];
		return { result: row, events };
	});
	if (notified.length > 0) ctx.notifications.publish({ userIds: notified, reason: 'new' });
	return toCommentDto(updated, rights);
}

export async function removeComment(event: RequestEvent, commentId: string): Promise<void> {
	const { ctx } = event.locals;
	const { user, comment, rights, writable } = await commentAccess(event, commentId);
	writable();
	const own = comment.author_id === user.id && rights.canWrite;
	if (!own && !rights.canModerate) {
		throw forbidden('Only its author or a board owner can delete a comment.');
	}
	// The card's title goes into the event: as the board shows it now.
	await ctx.collab.syncRows({ boardId: comment.board_id });
	await changeWithEvents(ctx, requestSource(event), async (tx) => {
		const deleted = await deleteComment(tx, comment);
		// Deleted meanwhile by someone else: nothing happened here, nothing to record.
		if (deleted === null) return { result: null, events: [] };
		const payload = { title: deleted.taskTitle, commentCount: deleted.count };
		return { result: null, events: [commentEvent('deleted', comment, payload)] };
	});
}
