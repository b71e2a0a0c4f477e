/** Resolves the caller from a bearer secret (session id or `tf_` token) or the session cookie. */
import type { Handle } from '@sveltejs/kit';
import { readSessionCookie } from '../../auth/cookie.ts';
import { resolvePrincipal, type Credential } from '../../auth/principal.ts';
import { isDatabaseUnavailable } from '../../db/unavailable.ts';
import { bearerSecret, unavailable } from './api-request.ts';

export const principal: Handle = async ({ event, resolve }) => {
	const bearer = bearerSecret(event.request.headers);
	const cookie = readSessionCookie(event.cookies);
	// A bearer header wins over the cookie: an API client's explicit credential is the one it meant.
	const credential: Credential | null = bearer
		? { secret: bearer, carrier: 'bearer' }
		: cookie
			? { secret: cookie, carrier: 'cookie' }
			: null;
	let found: Awaited<ReturnType<typeof resolvePrincipal>> | null;
	try {
		found = credential && (await resolvePrincipal(event.locals.ctx, credential));
	} catch (error) {
		// Who is asking cannot be known right now: a 503 to retry, not a 500 (nor an anonymous
		// answer, which would sign a signed-in user out of the page).
		if (!isDatabaseUnavailable(error)) throw error;
		event.locals.log.warn({ err: error }, 'database unavailable');
		// Health checks need nobody: liveness must not fail with the database (a probe sending
		// a token would have its pods restarted), and readiness reports the database itself.
		if (!event.url.pathname.startsWith('/health')) return unavailable(event);
		found = null;
	}
	if (found) {
		event.locals.user = found.user;
		event.locals.session = { id: found.sessionId, via: found.via, scope: found.scope };
		event.locals.ctx.activity.seen(found.user.id);
	}
	return resolve(event);
};
