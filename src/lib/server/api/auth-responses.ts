import type { RequestEvent } from '@sveltejs/kit';
import type { Session } from 'lucia';
import { setSessionCookie } from '../auth/cookie.ts';

/** Sets the session cookie for browsers; API clients read the token from the body instead. */
export function startSession(event: RequestEvent, session: Session) {
	setSessionCookie(event.cookies, event.url, session.id, session.expiresAt);
}

/** The API's one answer to a valid sign-up, whether the account was created or already existed. */
export const signupAccepted =
	'If this email address had no account, the account now exists. Sign in with POST /api/v1/auth/login.';
