/** A read-scoped token may not change anything, on the API or through a page's form action. */
import type { Handle } from '@sveltejs/kit';
import { forbidden, unsafeMethods } from './api-request.ts';

export const readOnlyTokens: Handle = async ({ event, resolve }) => {
	if (event.locals.session?.scope === 'read' && unsafeMethods.has(event.request.method)) {
		return forbidden(event, 'This token is read-only.');
	}
	return resolve(event);
};
