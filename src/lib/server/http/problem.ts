/**
 * RFC 9457 problem details. Endpoints throw `ApiError`; `hooks.server.ts` turns it into an
 * `application/problem+json` response, so every error has the same shape.
 */
import { unavailableRetrySeconds } from '../db/unavailable.ts';

export type FieldErrors = Record<string, string>;

const titles: Record<number, string> = {
	400: 'Bad Request',
	401: 'Unauthorized',
	403: 'Forbidden',
	404: 'Not Found',
	405: 'Method Not Allowed',
	409: 'Conflict',
	412: 'Precondition Failed',
	413: 'Content Too Large',
	415: 'Unsupported Media Type',
	422: 'Unprocessable Content',
	429: 'Too Many Requests',
	500: 'Internal Server Error',
	503: 'Service Unavailable'
};

export interface ProblemExtra {
	errors?: FieldErrors;
	headers?: Record<string, string>;
	type?: string;
	/** Extension members added to the body (e.g. `current` on a 412). */
	members?: Record<string, unknown>;
}

export class ApiError extends Error {
	readonly status: number;
	readonly detail: string;
	readonly extra: ProblemExtra;

	constructor(status: number, detail: string, extra: ProblemExtra = {}) {
		super(detail);
		this.name = 'ApiError';
		this.status = status;
		this.detail = detail;
		this.extra = extra;
	}
}

export function problemResponse(
	status: number,
	detail: string,
	extra: ProblemExtra & { instance?: string } = {}
): Response {
	const body: Record<string, unknown> = {
		type: extra.type ?? 'about:blank',
		title: titles[status] ?? 'Error',
		status,
		detail
	};
	if (extra.instance) body.instance = extra.instance;
	if (extra.errors) body.errors = extra.errors;
	if (extra.members) Object.assign(body, extra.members);
	return new Response(JSON.stringify(body), {
		status,
		headers: { 'content-type': 'application/problem+json', ...extra.headers }
	});
}

/**
 * The database could not be reached (see `isDatabaseUnavailable`): 503 with `Retry-After`. A
 * write may or may not have been carried out (its answer lost with its connection), so the
 * client is told to look before it repeats one; a creation that takes an `Idempotency-Key` may be
 * repeated with it (the retry finds what the first attempt made, `keyed-ids.ts`).
 */
export const databaseUnavailable = () =>
	new ApiError(
		503,
		'The database cannot be reached right now (a restart or failover); try again shortly. A change this request asked for may or may not have been made: check before repeating it. A creation that takes an Idempotency-Key can be repeated with the same key.',
		{ headers: { 'retry-after': String(unavailableRetrySeconds) } }
	);

export const notFound = (what = 'resource') => new ApiError(404, `No such ${what}.`);
export const forbidden = (detail = 'You are not allowed to do this.') => new ApiError(403, detail);
export const unauthorized = () =>
	new ApiError(401, 'Sign in, or send a valid bearer token.', {
		headers: { 'www-authenticate': 'Bearer' }
	});
