/**
 * Signing a session out, for the API's logout and the `/logout` form alike: the session row is
 * deleted, its sockets are closed and its kept principal dropped at once (a failed audit write
 * must not leave it working), then the event is logged and the cookie cleared.
 */
import type { RequestEvent } from '@sveltejs/kit';
import { recordRequestEvents, userEvent } from '../events/audit.ts';
import { clearSessionCookie } from './cookie.ts';

export async function signOut(event: RequestEvent): Promise<void> {
	const { locals } = event;
	if (locals.session) {
		await locals.ctx.auth.logout(locals.session.id);
		locals.ctx.collab.disconnectSession(locals.session.id);
		await recordRequestEvents(event, [userEvent('user.logged_out', locals.user?.id ?? null)]);
	}
	clearSessionCookie(event.cookies, event.url);
}
