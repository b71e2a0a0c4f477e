import { adminListQuery } from '$lib/server/api/admin-schemas';
import { requireAdmin } from '$lib/server/admin/guard';
import { listUsersForAdmin } from '$lib/server/admin/users';
import { readQuery } from '$lib/server/http/body';
import { endpoint, json } from '$lib/server/http/endpoint';

/** Every account, newest first, searchable by name or email. */
export const GET = endpoint(async (event) => {
	requireAdmin(event);
	const query = readQuery(event.url, adminListQuery);
	return json(await listUsersForAdmin(event.locals.ctx.sql, query));
});
