/**
 * CORS for API consumers' browser apps: listed origins may call the API with a bearer token.
 * No Allow-Credentials, so a listed site can never ride on a user's TaskFlow cookie.
 */
import { problemResponse } from './problem.ts';

const allowHeaders = 'authorization, content-type, if-match, if-none-match, idempotency-key';
const exposeHeaders =
	'etag, location, ratelimit-limit, ratelimit-remaining, ratelimit-reset, retry-after, x-request-id';

export function corsHeaders(
	origin: string | null,
	allowed: readonly string[]
): Record<string, string> {
	if (!origin || !allowed.includes(origin)) return {};
	return {
		'access-control-allow-origin': origin,
		'access-control-expose-headers': exposeHeaders,
		vary: 'Origin'
	};
}

export function preflight(origin: string | null, allowed: readonly string[]): Response {
	const headers = corsHeaders(origin, allowed);
	if (Object.keys(headers).length === 0) {
		return problemResponse(
			403,
			'This origin may not call the API from a browser: CORS_ORIGINS does not list it.'
		);
	}
	return new Response(null, {
		status: 204,
		headers: {
			...headers,
			'access-control-allow-methods': 'GET, POST, PATCH, DELETE',
			'access-control-allow-headers': allowHeaders,
			'access-control-max-age': '600'
		}
	});
}
