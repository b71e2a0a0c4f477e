/**
 * A body over the server's limit for its route is refused before anyone reads it (server/app.ts),
 * but answered here, inside the handles: so the refusal carries CORS for a listed origin, the
 * request id and the `RateLimit-*` headers, is counted by the limit and gets its log line. Before,
 * the server answered it directly, and a dashboard on a listed origin saw "failed to fetch".
 */
import type { Handle } from '@sveltejs/kit';
import { problemResponse } from '../problem.ts';

/**
 * Set by the server (a client's own value is removed first) on a request whose body it refused:
 * the limit, in bytes. The request reaches the handles with an empty body.
 */
export const oversizedBodyHeader = 'x-taskflow-oversized-body';

/**
 * Answered as problem+json on every dynamic route, form posts included, as the server did
 * before (adapter-node serves static files before the handles, with any method).
 */
export const oversizedBodies: Handle = async ({ event, resolve }) => {
	const limit = event.request.headers.get(oversizedBodyHeader);
	if (limit === null) return resolve(event);
	return problemResponse(413, `The body is larger than ${limit} bytes.`, {
		instance: event.url.pathname
	});
};
