/**
 * A write that names an `If-Match` where the operation does not evaluate one is refused (400),
 * not carried out unconditionally: RFC 9110 has a server evaluate a received precondition, and a
 * batch or column PATCH sent with a stale tag was applied, a lost update its client believed it
 * had guarded against (hostile probe). Which operations evaluate it is what the OpenAPI registry
 * says they take (`requestHeaders`), the one list of them.
 */
import type { Handle } from '@sveltejs/kit';
import { operations } from '../../api/openapi/operations.ts';
import { problemResponse } from '../problem.ts';
import { isApiRequest, unsafeMethods } from './api-request.ts';

/** `METHOD /route/[id]` of the operations that evaluate If-Match. */
const conditional = new Set(
	operations
		.filter((op) => op.requestHeaders?.includes('If-Match'))
		.map((op) => `${op.method} ${op.path.replace(/\{(\w+)\}/g, '[$1]')}`)
);

export const unconditionalWrites: Handle = async ({ event, resolve }) => {
	const { method, headers } = event.request;
	if (!unsafeMethods.has(method) || !headers.has('if-match') || !isApiRequest(event)) {
		return resolve(event);
	}
	// No route: the 404 (or 405) says more than the header would.
	if (event.route.id === null || conditional.has(`${method} ${event.route.id}`)) {
		return resolve(event);
	}
	const message = 'This operation does not take If-Match; send the change without it.';
	return problemResponse(400, 'If-Match is not supported here: nothing was changed.', {
		instance: event.url.pathname,
		errors: { 'If-Match': message }
	});
};
