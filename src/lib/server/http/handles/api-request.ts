/** Small facts about a request that several handles share. */
import type { RequestEvent } from '@sveltejs/kit';
import { databaseUnavailable, problemResponse } from '../problem.ts';

export const unsafeMethods = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

export const isApiRequest = (event: RequestEvent) => event.url.pathname.startsWith('/api/');

/** The secret of an `Authorization: Bearer …` header, if any. */
export function bearerSecret(headers: Headers): string | undefined {
	return /^Bearer\s+(\S+)$/i.exec(headers.get('authorization') ?? '')?.[1];
}

/**
 * A refusal in the caller's language: problem+json on the API, plain text for pages and forms.
 */
function refusal(
	event: RequestEvent,
	status: number,
	detail: string,
	headers: Record<string, string> = {}
): Response {
	return isApiRequest(event)
		? problemResponse(status, detail, { headers, instance: event.url.pathname })
		: new Response(detail, { status, headers: { 'content-type': 'text/plain', ...headers } });
}

/** A 403 in the caller's language. */
export const forbidden = (event: RequestEvent, detail: string) => refusal(event, 403, detail);

/** A 503 for a database out of reach, in the caller's language, with `Retry-After`. */
export function unavailable(event: RequestEvent): Response {
	const { status, detail, extra } = databaseUnavailable();
	return refusal(event, status, detail, extra.headers);
}
