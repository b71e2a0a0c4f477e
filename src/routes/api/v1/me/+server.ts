import { endpoint, json, requireUser } from '$lib/server/http/endpoint';
import { notFound } from '$lib/server/http/problem';
import { toUserDto } from '$lib/server/users';

export const GET = endpoint(async (event) => {
	const user = requireUser(event);
	const row = await event.locals.ctx.auth.getUser(user.id);
	if (!row) throw notFound('user');
	return json(toUserDto(row));
});
