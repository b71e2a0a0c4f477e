import { clearSessionCookie } from '$lib/server/auth/cookie';
import { recordRequestEvents, userEvent } from '$lib/server/events/audit';
import { endpoint, noContent } from '$lib/server/http/endpoint';

export const POST = endpoint(async (event) => {
	const session = event.locals.session;
	if (session) {
		await event.locals.ctx.auth.logout(session.id);
		await recordRequestEvents(event, [userEvent('user.logged_out', event.locals.user?.id ?? null)]);
		event.locals.ctx.collab.disconnectSession(session.id);
	}
	clearSessionCookie(event.cookies, event.url);
	return noContent();
});
