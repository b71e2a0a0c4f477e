import { boardAccess } from '$lib/server/api/board-access';
import { eventPage } from '$lib/server/events/feed';
import { endpoint, json } from '$lib/server/http/endpoint';

/** The board's activity, newest first, `?cursor=&limit=`; members (and admins) only. */
export const GET = endpoint(async (event) => {
	const { board } = await boardAccess(event, event.params.id!);
	return json(await eventPage(event, { boardId: board.id }));
});
