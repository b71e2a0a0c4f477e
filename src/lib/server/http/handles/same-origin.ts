/**
 * CSRF: an unsafe request must come from our own origin. Kit's own check covers form content
 * types only (svelte.config.js turns it off), so JSON endpoints are covered here too. Bearer
 * requests are exempt: browsers never attach an Authorization header on their own.
 */
import type { Handle } from '@sveltejs/kit';
import { expectedOrigin, isSameOrigin } from '../origin.ts';
import { bearerSecret, forbidden, unsafeMethods } from './api-request.ts';

export const sameOriginWrites: Handle = async ({ event, resolve }) => {
	const { headers, method } = event.request;
	if (
		!bearerSecret(headers) &&
		unsafeMethods.has(method) &&
		!isSameOrigin(headers, expectedOrigin(event.locals.ctx.config.origin, event.url))
	) {
		return forbidden(event, 'Cross-site request refused: the Origin is not this app.');
	}
	return resolve(event);
};
