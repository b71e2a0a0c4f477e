import { loggablePath } from '$lib/server/http/log-path';
import type { HandleServerError } from '@sveltejs/kit';
import { apiFailures } from '$lib/server/http/handles/api-failures';
import { chain } from '$lib/server/http/handles/chain';
import { encodedBodies } from '$lib/server/http/handles/content-coding';
import { unhonouredHeaders } from '$lib/server/http/handles/unhonoured-headers';
import { oversizedBodies } from '$lib/server/http/handles/oversized-body';
import { principal } from '$lib/server/http/handles/principal';
import { apiCorsHeaders, corsPreflight } from '$lib/server/http/handles/cors';
import { apiRateLimit } from '$lib/server/http/handles/rate-limit';
import { readOnlyTokens } from '$lib/server/http/handles/read-only-token';
import {
	apiKitRefusals,
	conditionalCompressedReads
} from '$lib/server/http/handles/representation';
import { requestContext } from '$lib/server/http/handles/request-context';
import { requestMetrics } from '$lib/server/http/handles/request-metrics';
import { sameOriginWrites } from '$lib/server/http/handles/same-origin';
import { securityHeaders } from '$lib/server/http/handles/security-headers';

/**
 * Outer handles see the request first and the response last: refusals (preflight, a body over
 * the server's limit or compressed, CSRF, read-only token, rate limit) return early and still get the request id, the log line, the
 * security headers and CORS, but no caching work. The rate limit comes right after the principal
 * it is counted by, before the other refusals: a client repeating a refused write is counted
 * (and told its `RateLimit-*`) like any other. CORS sits outside every refusal and outside
 * `apiFailures` because a browser hides from a cross-origin caller any answer without
 * `Access-Control-Allow-Origin`: a listed dashboard that hit the rate limit saw "failed to
 * fetch", not a 429 with its `Retry-After`. An exception in any handle after `apiFailures`
 * answers an API request as problem+json. Response post-processing runs innermost-first: 405
 * as problem+json, then ETag/304/compression, then rate-limit headers, then CORS.
 */
export const handle = chain(
	requestContext,
	requestMetrics,
	securityHeaders,
	apiCorsHeaders,
	apiFailures,
	corsPreflight,
	principal,
	apiRateLimit,
	oversizedBodies,
	encodedBodies,
	unhonouredHeaders,
	sameOriginWrites,
	readOnlyTokens,
	conditionalCompressedReads,
	apiKitRefusals
);

export const handleError: HandleServerError = ({ error, event, status, message }) => {
	const requestId = event.locals.requestId;
	// Kit's own refusals of a request (404, 400 for a path that is not validly percent-encoded)
	// are the client's doing, already in the request's log line: no error record for them.
	if (status >= 500) {
		(event.locals.log ?? console).error(
			{ err: error, path: loggablePath(event.url.pathname) },
			'unhandled error'
		);
	}
	return { message: status < 500 ? message : 'Something went wrong on our side.', requestId };
};
