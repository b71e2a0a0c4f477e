import { loggablePath } from '$lib/server/http/log-path';
import type { HandleServerError } from '@sveltejs/kit';
import { apiFailures } from '$lib/server/http/handles/api-failures';
import { chain } from '$lib/server/http/handles/chain';
import { principal } from '$lib/server/http/handles/principal';
import { apiCorsHeaders, corsPreflight } from '$lib/server/http/handles/cors';
import { apiRateLimit } from '$lib/server/http/handles/rate-limit';
import { readOnlyTokens } from '$lib/server/http/handles/read-only-token';
import {
	apiMethodNotAllowed,
	conditionalCompressedReads
} from '$lib/server/http/handles/representation';
import { requestContext } from '$lib/server/http/handles/request-context';
import { requestMetrics } from '$lib/server/http/handles/request-metrics';
import { sameOriginWrites } from '$lib/server/http/handles/same-origin';
import { securityHeaders } from '$lib/server/http/handles/security-headers';

/**
 * Outer handles see the request first and the response last: refusals (preflight, CSRF,
 * read-only token, rate limit) return early and still get the request id, the log line and the
 * security headers, but no CORS or caching work. An exception in any handle after
 * `apiFailures` answers an API request as problem+json. Response post-processing runs
 * innermost-first: 405 as problem+json, then ETag/304/compression, then CORS, then rate-limit
 * headers.
 */
export const handle = chain(
	requestContext,
	requestMetrics,
	securityHeaders,
	apiFailures,
	corsPreflight,
	principal,
	sameOriginWrites,
	readOnlyTokens,
	apiRateLimit,
	apiCorsHeaders,
	conditionalCompressedReads,
	apiMethodNotAllowed
);

export const handleError: HandleServerError = ({ error, event, status, message }) => {
	const requestId = event.locals.requestId;
	if (status !== 404) {
		(event.locals.log ?? console).error(
			{ err: error, path: loggablePath(event.url.pathname) },
			'unhandled error'
		);
	}
	return { message: status === 404 ? message : 'Something went wrong on our side.', requestId };
};
