/**
 * Account changes as the pages and the API both make them, each committed with its audit event:
 * signing up (`user.signed_up`), and an admin disabling, enabling or promoting an account.
 */
import type { RequestEvent } from '@sveltejs/kit';
import { changeWithEvents, queueEvents, requestSource, userEvent } from './events/audit.ts';
import type { EventDraft } from './events/audit.ts';
import { revokeUserTokens } from './auth/api-tokens.ts';
import { revokePasswordResets } from './auth/password-resets.ts';
import { ApiError } from './http/problem.ts';
import {
	EmailTakenError,
	setUserDisabled,
	setUserRole,
	type UserRole,
	type UserRow
} from './users.ts';
import { switchOffOrphanedHooks } from './webhooks/access.ts';

/** Signs up and in; throws `EmailTakenError` when the address is in use. */
export async function signUpAccount(
	event: RequestEvent,
	input: { name: string; email: string; password: string }
) {
	const { ctx } = event.locals;
	const account = await ctx.auth.signup(input, (tx, user, sessionId) =>
		queueEvents(ctx, tx, requestSource(event, user.id, sessionId), [
			userEvent('user.signed_up', user.id, { email: user.email, name: user.display_name })
		])
	);
	ctx.events.wake();
	return account;
}

/**
 * The API's sign-up: creates the account without a session, and answers the same whether or not
 * the address was free, so the answer does not tell which addresses have accounts (the client
 * signs in next; login answers alike for unknown addresses and wrong passwords).
 */
export async function registerAccount(
	event: RequestEvent,
	input: { name: string; email: string; password: string }
): Promise<void> {
	const { ctx } = event.locals;
	try {
		await ctx.auth.createAccount(input, (tx, user) =>
			queueEvents(ctx, tx, requestSource(event, user.id, null), [
				userEvent('user.signed_up', user.id, { email: user.email, name: user.display_name })
			])
		);
	} catch (error) {
		if (error instanceof EmailTakenError) return;
		throw error;
	}
	ctx.events.wake();
}

/**
 * Applies an admin's change to an account. Disabling ends its sessions and live connections at
 * once and revokes its API tokens; a role change reconnects them (what an admin may open
 * changes). Either switches off, in the same transaction, the webhooks the account registered
 * and may no longer manage (webhooks/access.ts). The last active admin can be neither disabled nor demoted (409).
 */
export async function changeAccount(
	event: RequestEvent,
	userId: string,
	change: { disabled?: boolean; role?: UserRole }
): Promise<UserRow> {
	const { ctx } = event.locals;
	let roleChanged = false;
	let told: string[] = [];
	const user = await changeWithEvents(ctx, requestSource(event), async (tx) => {
		// Every change that could take away an admin waits here for the others, so two admins
		// demoting each other at once are checked one after the other (taken before any row
		// lock, so it cannot deadlock with them).
		if (change.role === 'user' || change.disabled === true) {
			await tx`select pg_advisory_xact_lock(hashtext('taskflow.active_admins'))`;
		}
		// Locked, so two identical changes at once record one event, not two.
		const [before] = await tx<UserRow[]>`select * from users where id = ${userId} for update`;
		if (!before) throw new ApiError(404, 'No such user.');
		if (before.role === 'admin' && before.disabled_at === null && removesAdmin(change)) {
			const [others] = await tx<{ count: number }[]>`
				select count(*)::int as count from users
				where role = 'admin' and disabled_at is null and id <> ${userId}`;
			if (others!.count === 0) throw lastAdmin();
		}
		let after = before;
		const events: EventDraft[] = [];
		if (change.role !== undefined && change.role !== before.role) {
			after = (await setUserRole(tx, userId, change.role)) ?? after;
			roleChanged = true;
			const payload = { before: before.role, after: after.role };
			events.push(userEvent('user.role_changed', userId, payload));
		}
		if (change.disabled !== undefined && change.disabled !== (before.disabled_at !== null)) {
			after = (await setUserDisabled(tx, userId, change.disabled)) ?? after;
			// Re-enabling must not bring old credentials back: tokens and reset links die with the
			// disabling.
			if (change.disabled) {
				await revokeUserTokens(tx, userId);
				await revokePasswordResets(tx, userId);
			}
			events.push(userEvent(change.disabled ? 'user.disabled' : 'user.enabled', userId));
		}
		// Webhooks the account may no longer manage stop with the change that takes the right.
		const lost =
			before.disabled_at === null && after.disabled_at !== null
				? 'disabled'
				: before.role === 'admin' && after.role !== 'admin'
					? 'not_admin'
					: null;
		if (lost) told = await switchOffOrphanedHooks(tx, { userId, loss: lost });
		return { result: after, events };
	});
	// Revoked first: lucia already refuses a disabled user's sessions, and what was kept of them
	// must not outlive a failure to delete them.
	if (change.disabled || roleChanged) ctx.collab.disconnectUser(userId);
	if (change.disabled) await ctx.auth.endSessions(userId);
	if (told.length > 0) ctx.notifications.publish({ userIds: told, reason: 'new' });
	return user;
}

const removesAdmin = (change: { disabled?: boolean; role?: UserRole }) =>
	change.disabled === true || change.role === 'user';

/** Without an active admin nobody could manage accounts again short of editing the database. */
const lastAdmin = () =>
	new ApiError(
		409,
		'This is the only active admin: promote another account first, then disable or demote this one.'
	);
