import { notificationPageQuery } from '$lib/server/api/notification-schemas';
import { defaultPageSize } from '$lib/server/api/schemas';
import { readQuery } from '$lib/server/http/body';
import { endpoint, json, requireUser } from '$lib/server/http/endpoint';
import { notificationPage } from '$lib/server/notifications/store';

/** The caller's notifications, newest first, with the unread count; `?unread=true` for unread only. */
export const GET = endpoint(async (event) => {
	const user = requireUser(event);
	const query = readQuery(event.url, notificationPageQuery);
	const page = await notificationPage(event.locals.ctx.sql, user.id, {
		limit: query.limit ?? defaultPageSize,
		cursor: query.cursor || null,
		unreadOnly: query.unread === 'true'
	});
	return json(page);
});
