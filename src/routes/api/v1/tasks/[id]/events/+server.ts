import { getBoardWithRole, isUuid } from '$lib/server/boards';
import { eventPage, taskBoardIds } from '$lib/server/events/feed';
import { endpoint, json, requireUser } from '$lib/server/http/endpoint';
import { notFound } from '$lib/server/http/problem';
import { canReadBoard } from '$lib/domain/policy';

/**
 * A card's history, newest first, `?cursor=&limit=`. Card ids come from clients and are only
 * unique per board, so the card is looked up among the boards the caller may read; anything
 * else is 404, like a card that does not exist.
 */
export const GET = endpoint(async (event) => {
	const user = requireUser(event);
	const taskId = event.params.id!;
	if (!isUuid(taskId)) throw notFound('task');
	const { sql, collab } = event.locals.ctx;
	await collab.syncRows({ taskId });
	for (const boardId of await taskBoardIds(sql, taskId)) {
		const found = await getBoardWithRole(sql, boardId, user.id);
		if (found && canReadBoard(user, found.role)) {
			return json(await eventPage(event, { boardId, entityId: taskId }));
		}
	}
	throw notFound('task');
});
