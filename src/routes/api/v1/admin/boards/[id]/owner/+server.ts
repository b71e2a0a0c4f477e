import { transferBoard } from '$lib/server/admin/actions';
import { getBoardForAdmin } from '$lib/server/admin/boards';
import { pathId, requireAdmin } from '$lib/server/admin/guard';
import { transferOwnerBody } from '$lib/server/api/admin-schemas';
import { readJson } from '$lib/server/http/body';
import { endpoint, json } from '$lib/server/http/endpoint';

/** Makes an active account (by id or email) an owner of the board; previous owners stay. */
export const POST = endpoint(async (event) => {
	requireAdmin(event);
	const boardId = pathId(event, 'board');
	const heir = await readJson(event.request, transferOwnerBody);
	await transferBoard(event, { boardId, ...heir });
	return json(await getBoardForAdmin(event.locals.ctx.sql, boardId));
});
