/** Resolves the caller from a bearer secret (session id or `tf_` token) or the session cookie. */
import type { Handle } from '@sveltejs/kit';
import { readSessionCookie } from '../../auth/cookie.ts';
import { resolvePrincipal, type Credential } from '../../auth/principal.ts';
import { bearerSecret } from './api-request.ts';

export const principal: Handle = async ({ event, resolve }) => {
	const bearer = bearerSecret(event.request.headers);
	const cookie = readSessionCookie(event.cookies);
	// A bearer header wins over the cookie: an API client's explicit credential is the one it meant.
	const credential: Credential | null = bearer
		? { secret: bearer, carrier: 'bearer' }
		: cookie
			? { secret: cookie, carrier: 'cookie' }
			: null;
	const found = credential && (await resolvePrincipal(event.locals.ctx, credential));
	if (found) {
		event.locals.user = found.user;
		event.locals.session = { id: found.sessionId, via: found.via, scope: found.scope };
		event.locals.ctx.activity.seen(found.user.id);
	}
	return resolve(event);
};
