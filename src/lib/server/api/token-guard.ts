import type { RequestEvent } from '@sveltejs/kit';
import type { SessionUser } from '../auth/service.ts';
import { requireUser } from '../http/endpoint.ts';
import { forbidden } from '../http/problem.ts';

/** Token management needs a signed-in session: a leaked token must not be able to mint more. */
export function requireSessionUser(event: RequestEvent): SessionUser {
	const user = requireUser(event);
	if (event.locals.session?.via === 'token') {
		throw forbidden('Manage tokens from a signed-in session, not with a token.');
	}
	return user;
}
