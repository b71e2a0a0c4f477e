import { myTaskPage } from '$lib/server/api/my-tasks';
import { myTasksQuery } from '$lib/server/api/my-task-schemas';
import { readQuery } from '$lib/server/http/body';
import { endpoint, json, requireUser } from '$lib/server/http/endpoint';

/**
 * The caller's open cards across their boards, by due date; `?today=YYYY-MM-DD` names the
 * caller's day for the groups; `limit`, `cursor`. Read-only tokens may read it.
 */
export const GET = endpoint(async (event) => {
	const user = requireUser(event);
	const query = readQuery(event.url, myTasksQuery);
	return json(await myTaskPage(event.locals.ctx, user.id, query));
});
