/**
 * What an admin does from the console besides `changeAccount`: signing a user out everywhere,
 * issuing a password reset link, restoring and handing over boards. Each change commits with its
 * audit event; live connections it makes stale are cut after the commit.
 */
import type { RequestEvent } from '@sveltejs/kit';
import { changeWithEvents, requestSource, userEvent, type EventDraft } from '../events/audit.ts';
import {
	createPasswordReset,
	consumePasswordReset,
	findPasswordReset
} from '../auth/password-resets.ts';
import { hashPassword } from '../auth/password.ts';
import { getBoard, type BoardRow } from '../boards.ts';
import { ApiError, notFound } from '../http/problem.ts';
import { getUserByEmail, getUserById } from '../users.ts';
import { makeOwner, unarchiveBoard } from './boards.ts';

/** Ends every session of the user and closes their open boards, on every instance. */
export async function signOutEverywhere(event: RequestEvent, userId: string): Promise<number> {
	const { ctx } = event.locals;
	const ended = await changeWithEvents(ctx, requestSource(event), async (tx) => {
		const [user] = await tx<{ id: string }[]>`select id from users where id = ${userId}`;
		if (!user) throw notFound('user');
		// In this transaction, so the sign-out commits with its audit event.
		const sessions = await ctx.auth.endSessions(userId, tx);
		return {
			result: sessions,
			events: [userEvent('user.sessions_revoked', userId, { sessions })]
		};
	});
	ctx.collab.disconnectUser(userId);
	return ended;
}

/** A one-time link for the user to set a new password; the token is in this answer only. */
export async function issuePasswordReset(
	event: RequestEvent,
	userId: string
): Promise<{ url: string; expiresAt: string }> {
	const { ctx } = event.locals;
	const admin = event.locals.user!;
	const user = await getUserById(ctx.sql, userId);
	if (!user) throw notFound('user');
	if (user.disabled_at) {
		throw new ApiError(409, 'This account is disabled: enable it first, then create a link.');
	}
	const reset = await changeWithEvents(ctx, requestSource(event), async (tx) => {
		const created = await createPasswordReset(tx, { userId, createdBy: admin.id });
		const payload = { expiresAt: created.expiresAt.toISOString() };
		return { result: created, events: [userEvent('user.password_reset_issued', userId, payload)] };
	});
	return {
		url: new URL(`/reset-password/${reset.token}`, ctx.config.origin ?? event.url.origin).href,
		expiresAt: reset.expiresAt.toISOString()
	};
}

/**
 * Sets the password a reset link was issued for, and ends the account's sessions (whoever held
 * the old password is signed out). False when the link is unknown, used or expired.
 */
export async function completePasswordReset(
	event: RequestEvent,
	input: { token: string; password: string }
): Promise<boolean> {
	const { ctx } = event.locals;
	// A link that cannot work is refused before hashing: argon2 costs ~19 MB and tens of
	// milliseconds, which anyone could otherwise make the server spend with made-up tokens.
	if (!(await findPasswordReset(ctx.sql, input.token))) return false;
	// Hashed before the transaction: argon2 is slow and must not hold the row lock. The
	// transaction checks the link again (it may have been used or expired meanwhile).
	const passwordHash = await hashPassword(input.password);
	const userId = await changeWithEvents(ctx, requestSource(event, null, null), async (tx) => {
		const userId = await consumePasswordReset(tx, input.token);
		if (!userId) return { result: null, events: [] };
		await tx`
			update users set password_hash = ${passwordHash}, updated_at = now() where id = ${userId}`;
		await ctx.auth.endSessions(userId, tx);
		return { result: userId, events: [userEvent('user.password_reset', userId)] };
	});
	if (userId) ctx.collab.disconnectUser(userId);
	return userId !== null;
}

const boardEvent = (
	type: EventDraft['type'],
	board: BoardRow,
	payload: Record<string, unknown> = {}
) =>
	({
		type,
		entityType: 'board',
		entityId: board.id,
		boardId: board.id,
		payload: { title: board.title, ...payload }
	}) satisfies EventDraft;

/** Restores an archived board (idempotently: an active board is left as it is). */
export async function restoreBoard(event: RequestEvent, boardId: string): Promise<void> {
	const { ctx } = event.locals;
	if (!(await getBoard(ctx.sql, boardId))) throw notFound('board');
	await changeWithEvents(ctx, requestSource(event), async (tx) => {
		const restored = await unarchiveBoard(tx, boardId);
		return { result: undefined, events: restored ? [boardEvent('board.restored', restored)] : [] };
	});
}

/** Makes an active account an owner of the board; previous owners stay owners. */
export async function transferBoard(
	event: RequestEvent,
	input: { boardId: string; userId?: string; email?: string }
): Promise<void> {
	const { ctx } = event.locals;
	const board = await getBoard(ctx.sql, input.boardId);
	if (!board) throw notFound('board');
	const field = input.userId !== undefined ? 'userId' : 'email';
	const user =
		input.userId !== undefined
			? await getUserById(ctx.sql, input.userId)
			: await getUserByEmail(ctx.sql, input.email ?? '');
	if (!user || user.disabled_at) {
		const message = `No active account has this ${field === 'userId' ? 'id' : 'email address'}.`;
		throw new ApiError(422, 'Some fields are invalid.', { errors: { [field]: message } });
	}
	await changeWithEvents(ctx, requestSource(event), async (tx) => {
		const before = await makeOwner(tx, board.id, user.id);
		const payload = {
			userId: user.id,
			name: user.display_name,
			before,
			previousOwnerId: board.owner_id
		};
		return { result: undefined, events: [boardEvent('board.owner_changed', board, payload)] };
	});
	// A viewer or editor who became owner reconnects to be granted the new role.
	ctx.collab.disconnectUser(user.id, board.id);
}
