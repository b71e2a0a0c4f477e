/**
 * Account changes as the pages and the API both make them, each committed with its audit event:
 * signing up (`user.signed_up`), and an admin disabling, enabling or promoting an account.
 */
import type { RequestEvent } from '@sveltejs/kit';
import { changeWithEvents, queueEvents, requestSource, userEvent } from './events/audit.ts';
import type { EventDraft } from './events/audit.ts';
import { ApiError } from './http/problem.ts';
import { setUserDisabled, setUserRole, type UserRole, type UserRow } from './users.ts';

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
 * Applies an admin's change to an account. Disabling ends its sessions and live connections at
 * once; a role change reconnects them (what an admin may open changes).
 */
export async function changeAccount(
	event: RequestEvent,
	userId: string,
	change: { disabled?: boolean; role?: UserRole }
): Promise<UserRow> {
	const { ctx } = event.locals;
	let roleChanged = false;
	const user = await changeWithEvents(ctx, requestSource(event), async (tx) => {
		// Locked, so two identical changes at once record one event, not two.
		const [before] = await tx<UserRow[]>`select * from users where id = ${userId} for update`;
		if (!before) throw new ApiError(404, 'No such user.');
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
			events.push(userEvent(change.disabled ? 'user.disabled' : 'user.enabled', userId));
		}
		return { result: after, events };
	});
	if (change.disabled) await ctx.auth.endSessions(userId);
	if (change.disabled || roleChanged) ctx.collab.disconnectUser(userId);
	return user;
}
