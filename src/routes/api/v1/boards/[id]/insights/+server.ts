import { boardAccess } from '$lib/server/api/board-access';
import { insightsQuery, insightsRange } from '$lib/server/api/insights-query';
import { readQuery } from '$lib/server/http/body';
import { endpoint, json } from '$lib/server/http/endpoint';
import { getBoardInsights } from '$lib/server/insights';

/** Cumulative flow, throughput, cycle time and WIP of a board over `from`..`to` (UTC days). */
export const GET = endpoint(async (event) => {
	const { board } = await boardAccess(event, event.params.id!);
	const range = insightsRange(readQuery(event.url, insightsQuery));
	// Edits on this instance not yet in the rows (and so not in the transitions) first.
	await event.locals.ctx.collab.syncRows({ boardId: board.id });
	return json(await getBoardInsights(event.locals.ctx.sql, { boardId: board.id, ...range }));
});
