import { clearSessionCookie } from '$lib/server/auth/cookie';
import { endpoint, noContent } from '$lib/server/http/endpoint';

export const POST = endpoint(async (event) => {
	const session = event.locals.session;
	if (session) {
		await event.locals.ctx.auth.logout(session.id);
		event.locals.ctx.collab.disconnectSession(session.id);
	}
	clearSessionCookie(event.cookies, event.url);
	return noContent();
});
