import type { RequestEvent } from '@sveltejs/kit';
import type { SessionUser } from '../auth/service.ts';
import { ApiError, problemResponse, unauthorized } from './problem.ts';

type Handler = (event: RequestEvent) => Promise<Response> | Response;

/** Wraps an API handler so expected failures (`ApiError`) become problem+json responses. */
export function endpoint(handler: Handler): Handler {
	return async (event) => {
		try {
			return await handler(event);
		} catch (error) {
			if (error instanceof ApiError) {
				return problemResponse(error.status, error.detail, {
					...error.extra,
					instance: event.url.pathname
				});
			}
			throw error;
		}
	};
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
	return new Response(JSON.stringify(body), {
		status: init.status ?? 200,
		headers: { 'content-type': 'application/json', ...init.headers }
	});
}

export function noContent(): Response {
	return new Response(null, { status: 204 });
}
