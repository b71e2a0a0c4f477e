import { clearSessionCookie } from '$lib/server/auth/cookie';
import { recordRequestEvents, userEvent } from '$lib/server/events/audit';
import { endpoint, noContent } from '$lib/server/http/endpoint';
import { forbidden } from '$lib/server/http/problem';

export const POST = endpoint(async (event) => {
	const session = event.locals.session;
	// A token is not a session: signing out would leave it working while saying it ended.
	if (session?.via === 'token') {
		throw forbidden(
			'A token cannot sign out; revoke it with DELETE /api/v1/tokens/:id from a signed-in session.'
		);
	}
	if (session) {
		await event.locals.ctx.auth.logout(session.id);
		// At once: the session is gone, and what was kept of it must not outlive a failed audit write.
		event.locals.ctx.collab.disconnectSession(session.id);
		await recordRequestEvents(event, [userEvent('user.logged_out', event.locals.user?.id ?? null)]);
	}
	clearSessionCookie(event.cookies, event.url);
	return noContent();
});
