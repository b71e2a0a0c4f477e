import { markReadBody } from '$lib/server/api/notification-schemas';
import { readJson } from '$lib/server/http/body';
import { endpoint, json, requireUser } from '$lib/server/http/endpoint';
import { markRead } from '$lib/server/notifications/store';

/** Marks some (`ids`) or all of the caller's notifications read; other tabs update their count. */
export const POST = endpoint(async (event) => {
	const user = requireUser(event);
	const body = await readJson(event.request, markReadBody);
	const { sql, notifications } = event.locals.ctx;
	const result = await markRead(sql, user.id, 'all' in body ? 'all' : { ids: body.ids });
	if (result.updated > 0) notifications.publish({ userIds: [user.id], reason: 'read' });
	return json(result);
});
