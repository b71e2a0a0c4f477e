import { changeAccount } from '$lib/server/accounts';
import { adminUpdateUserBody } from '$lib/server/api/schemas';
import { isUuid } from '$lib/server/boards';
import { readJson } from '$lib/server/http/body';
import { endpoint, json, requireUser } from '$lib/server/http/endpoint';
import { forbidden, notFound } from '$lib/server/http/problem';
import { toUserDto } from '$lib/server/users';
import { isAdmin } from '$lib/domain/policy';

/** Disables (or re-enables) or promotes an account; see `changeAccount`. */
export const PATCH = endpoint(async (event) => {
	const actor = requireUser(event);
	if (!isAdmin(actor)) throw forbidden('Only admins can manage accounts.');
	const id = event.params.id!;
	if (!isUuid(id)) throw notFound('user');
	const body = await readJson(event.request, adminUpdateUserBody);
	return json(toUserDto(await changeAccount(event, id, body)));
});
