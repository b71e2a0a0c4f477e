import { changeAccount } from '$lib/server/accounts';
import { pathId, requireAdmin } from '$lib/server/admin/guard';
import { getUserForAdmin } from '$lib/server/admin/users';
import { adminUpdateUserBody } from '$lib/server/api/schemas';
import { readJson } from '$lib/server/http/body';
import { endpoint, json } from '$lib/server/http/endpoint';
import { notFound } from '$lib/server/http/problem';
import { toUserDto } from '$lib/server/users';

/** One account as the admin console lists it. */
export const GET = endpoint(async (event) => {
	requireAdmin(event);
	const user = await getUserForAdmin(event.locals.ctx.sql, pathId(event, 'user'));
	if (!user) throw notFound('user');
	return json(user);
});

/** Disables (or re-enables) or promotes an account; see `changeAccount`. */
export const PATCH = endpoint(async (event) => {
	requireAdmin(event);
	const id = pathId(event, 'user');
	const body = await readJson(event.request, adminUpdateUserBody);
	return json(toUserDto(await changeAccount(event, id, body)));
});
