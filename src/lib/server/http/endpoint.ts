import { isHttpError, isRedirect, type RequestEvent } from '@sveltejs/kit';
import type { SessionUser } from '../auth/service.ts';
import { rememberBody } from './entity-tags.ts';
import { isDatabaseUnavailable, readAcrossBlip } from '../db/unavailable.ts';
import { ApiError, databaseUnavailable, problemResponse, unauthorized } from './problem.ts';

type Handler = (event: RequestEvent) => Promise<Response> | Response;

const safeMethods = new Set(['GET', 'HEAD']);

/**
 * Wraps an API handler so every failure is a problem+json response (`failureResponse`).
 */
export function endpoint(handler: Handler): Handler {
	return async (event) => {
		try {
			// A read caught by a database blip runs once more; a write does not (it may have been
			// carried out): its 503 tells the caller to look before repeating it (or to repeat a
			// creation with its Idempotency-Key).
			return await (safeMethods.has(event.request.method)
				? readAcrossBlip(async () => handler(event))
				: handler(event));
		} catch (caught) {
			return failureResponse(event, caught);
		}
	};
}

/**
 * What an exception on an API request answers: an expected one (`ApiError`) with its status, a
 * database out of reach as a 503 to retry, anything else as a logged 500 that names the request
 * id. SvelteKit's own redirects and errors are thrown on, keeping their meaning. Used by
 * `endpoint` and, for exceptions raised in a handle before the route, by `apiFailures`.
 */
export function failureResponse(event: RequestEvent, caught: unknown): Response {
	let error = caught;
	if (isDatabaseUnavailable(error)) {
		event.locals.log.warn({ err: error, path: event.url.pathname }, 'database unavailable');
		error = databaseUnavailable();
	}
	if (error instanceof ApiError) {
		return problemResponse(error.status, error.detail, {
			...error.extra,
			instance: event.url.pathname
		});
	}
	if (isRedirect(error) || isHttpError(error)) throw error;
	event.locals.log.error({ err: error, path: event.url.pathname }, 'unhandled API error');
	return problemResponse(500, 'Something went wrong on our side.', {
		instance: event.url.pathname,
		members: { requestId: event.locals.requestId }
	});
}

export function requireUser(event: RequestEvent): SessionUser {
	const user = event.locals.user;
	if (!user) throw unauthorized();
	return user;
}

export function json(
	body: unknown,
	init: { status?: number; headers?: Record<string, string> } = {}
): Response {
	// `undefined` (or a function) stringifies to nothing: answered as JSON's null instead.
	const text = JSON.stringify(body) ?? 'null';
	// A declared length lets node send the answer in one write instead of as chunks with an end
	// marker (compression, when negotiated, drops it again).
	const response = new Response(text, {
		status: init.status ?? 200,
		headers: {
			'content-type': 'application/json',
			'content-length': String(Buffer.byteLength(text)),
			...init.headers
		}
	});
	rememberBody(response, text);
	return response;
}

export function noContent(): Response {
	return new Response(null, { status: 204 });
}
