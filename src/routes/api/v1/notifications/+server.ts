import { pageParams } from '$lib/server/events/feed';
import { endpoint, json, requireUser } from '$lib/server/http/endpoint';
import { ApiError } from '$lib/server/http/problem';
import { notificationPage } from '$lib/server/notifications/store';

/** The caller's notifications, newest first, with the unread count; `?unread=true` for unread only. */
export const GET = endpoint(async (event) => {
	const user = requireUser(event);
	const { limit, cursor } = pageParams(event.url);
	const unread = event.url.searchParams.get('unread');
	if (unread !== null && unread !== 'true' && unread !== 'false') {
		const message = 'Use unread=true or unread=false.';
		throw new ApiError(422, message, { errors: { unread: message } });
	}
	const page = await notificationPage(event.locals.ctx.sql, user.id, {
		limit,
		cursor: cursor ?? null,
		unreadOnly: unread === 'true'
	});
	return json(page);
});
