import { adminListQuery } from '$lib/server/api/admin-schemas';
import { listBoardsForAdmin } from '$lib/server/admin/boards';
import { requireAdmin } from '$lib/server/admin/guard';
import { readQuery } from '$lib/server/http/body';
import { endpoint, json } from '$lib/server/http/endpoint';

/** Every board, archived ones included, newest first, searchable by title. */
export const GET = endpoint(async (event) => {
	requireAdmin(event);
	const query = readQuery(event.url, adminListQuery);
	// Titles and card counts of boards edited live a moment ago may not be in the rows yet.
	await event.locals.ctx.collab.syncRows({ all: true });
	return json(await listBoardsForAdmin(event.locals.ctx.sql, query));
});
