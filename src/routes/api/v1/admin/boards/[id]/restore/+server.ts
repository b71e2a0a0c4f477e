import { restoreBoard } from '$lib/server/admin/actions';
import { getBoardForAdmin } from '$lib/server/admin/boards';
import { pathId, requireAdmin } from '$lib/server/admin/guard';
import { endpoint, json } from '$lib/server/http/endpoint';

/** Brings an archived board back (archiving is `DELETE /api/v1/boards/:id`). */
export const POST = endpoint(async (event) => {
	requireAdmin(event);
	const id = pathId(event, 'board');
	await restoreBoard(event, id);
	return json(await getBoardForAdmin(event.locals.ctx.sql, id));
});
