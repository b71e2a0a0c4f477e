import { taskBoard } from '$lib/server/api/task-board';
import { eventPage } from '$lib/server/events/feed';
import { endpoint, json } from '$lib/server/http/endpoint';

/**
 * A card's history, newest first, `?cursor=&limit=`, on the board `taskBoard` resolves (card ids
 * are only unique per board: `?boardId=` says which).
 */
export const GET = endpoint(async (event) => {
	const taskId = event.params.id!;
	const boardId = await taskBoard(event, taskId, false);
	return json(await eventPage(event, { boardId, entityId: taskId }));
});
