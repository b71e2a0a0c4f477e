import { adminUpdateUserBody } from '$lib/server/api/schemas';
import { isUuid } from '$lib/server/boards';
import { recordRequestEvents, userEvent } from '$lib/server/events/audit';
import { readJson } from '$lib/server/http/body';
import { endpoint, json, requireUser } from '$lib/server/http/endpoint';
import { forbidden, notFound } from '$lib/server/http/problem';
import { setUserRole, toUserDto } from '$lib/server/users';
import { isAdmin } from '$lib/domain/policy';

/** Disables (or re-enables) an account; disabling ends its sessions and live connections at once. */
export const PATCH = endpoint(async (event) => {
	const actor = requireUser(event);
	if (!isAdmin(actor)) throw forbidden('Only admins can manage accounts.');
	const id = event.params.id!;
	if (!isUuid(id)) throw notFound('user');
	const body = await readJson(event.request, adminUpdateUserBody);
	const { auth, sql, collab } = event.locals.ctx;
	let user = await auth.getUser(id);
	if (!user) throw notFound('user');
	if (body.role !== undefined) {
		const previous = user.role;
		user = (await setUserRole(sql, id, body.role)) ?? user;
		// Admins read every board: reconnecting re-checks what the new role may open.
		if (user.role !== previous) {
			collab.disconnectUser(id);
			const change = { before: previous, after: user.role };
			await recordRequestEvents(event, [userEvent('user.role_changed', id, change)]);
		}
	}
	if (body.disabled !== undefined) {
		const wasDisabled = user.disabled_at !== null;
		user = (await auth.setDisabled(id, body.disabled)) ?? user;
		if (body.disabled) collab.disconnectUser(id);
		if (wasDisabled !== body.disabled) {
			const type = body.disabled ? 'user.disabled' : 'user.enabled';
			await recordRequestEvents(event, [userEvent(type, id)]);
		}
	}
	return json(toUserDto(user));
});
