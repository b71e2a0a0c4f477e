import type { RequestEvent } from '@sveltejs/kit';
import type { Session } from 'lucia';
import { setSessionCookie } from '../auth/cookie.ts';

/** Sets the session cookie for browsers; API clients read the token from the body instead. */
export function startSession(event: RequestEvent, session: Session) {
	setSessionCookie(event.cookies, event.url, session.id, session.expiresAt);
}
