import { boardAccessFor } from '$lib/server/api/board-access';
import { reopenBoard } from '$lib/server/board-lifecycle';
import { toBoardDto } from '$lib/server/boards';
import { requestSource } from '$lib/server/events/audit';
import { endpoint, json } from '$lib/server/http/endpoint';
import { canManageBoard } from '$lib/domain/policy';

/** Brings an archived board back (archiving is `DELETE /api/v1/boards/:id`); owners decide both. */
export const POST = endpoint(async (event) => {
	const { board, role } = await boardAccessFor(event, event.params.id!, canManageBoard);
	const restored = await reopenBoard(event.locals.ctx, requestSource(event), board);
	return json(toBoardDto(restored, role));
});
