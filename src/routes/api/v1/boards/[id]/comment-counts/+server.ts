import { boardAccess } from '$lib/server/api/board-access';
import { commentCounts } from '$lib/server/comments';
import { endpoint, json } from '$lib/server/http/endpoint';

/**
 * How many comments each card of the board has (cards without any are left out): what an open
 * board re-reads in one request after missing live news (a reconnect).
 */
export const GET = endpoint(async (event) => {
	const { board } = await boardAccess(event, event.params.id!);
	return json({ counts: await commentCounts(event.locals.ctx.sql, board.id) });
});
