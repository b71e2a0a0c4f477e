/**
 * The fixed parts of the document: the introduction, security schemes, headers, and the problem
 * answers that whole kinds of operation share (see spec.ts).
 */
import { maxJsonBodyBytes } from '../../http/body.ts';
import type {
	HeaderObject,
	ParameterObject,
	SecurityScheme,
	SecurityRequirement
} from './types.ts';
import type { Auth, ProblemStatus, RequestHeader, ResponseHeader } from './spec.ts';

export const apiDescription = `JSON over HTTPS under \`/api/v1\`. Every error is RFC 9457 \`application/problem+json\` with \`type\`, \`title\`, \`status\` and \`detail\`; field errors come as \`errors\`, a map from field name to message.

Authenticate with a personal access token (\`Authorization: Bearer tf_…\`, created on the API tokens page or with \`POST /api/v1/tokens\`), with the \`sessionToken\` that logging in returns (also a bearer token), or with the session cookie. A \`read\` token gets 403 on every write. Cookie requests that change something must come from this site's own pages (Origin check); browser apps on the origins the server lists in \`CORS_ORIGINS\` may call with a bearer token, never with the cookie.

Collections answer \`{items, nextCursor}\`; pass \`nextCursor\` back as \`cursor\` until it is null.

Tasks carry an \`ETag\` (their \`version\`). Send it as \`If-Match\` on PATCH, DELETE, move and restore to have a stale write refused with 412 instead of merged, and as \`If-None-Match\` on GET to get 304 while nothing changed. Creating tasks (one or a batch) and columns accepts an \`Idempotency-Key\`: a retry with the same key within 24 hours returns the first response and creates nothing new. Other writes refuse the header (400) rather than ignore it, as they do an \`If-Match\` they do not evaluate.

Requests are rate-limited per token, or per client address without one; every answer carries \`RateLimit-Limit\`, \`RateLimit-Remaining\` and \`RateLimit-Reset\`, and a refused one \`Retry-After\`. \`X-Request-Id\` names the request in the server's logs (send your own to correlate). Bodies larger than ${maxJsonBodyBytes} bytes are refused before they are read.`;

export const securitySchemes: Record<string, SecurityScheme> = {
	personalAccessToken: {
		type: 'http',
		scheme: 'bearer',
		bearerFormat: 'tf_…',
		description:
			'A personal access token (`tf_` and 43 more characters). It acts as its user, limited to its scope (`read` or `read-write`); revoked or expired tokens get 401.'
	},
	sessionToken: {
		type: 'http',
		scheme: 'bearer',
		description: 'The `sessionToken` returned by `POST /api/v1/auth/login` or signup.'
	},
	sessionCookie: {
		type: 'apiKey',
		in: 'cookie',
		name: 'tf_session',
		description: 'The browser session (`__Host-tf_session` over https).'
	}
};

const anyCredential: SecurityRequirement[] = [
	{ personalAccessToken: [] },
	{ sessionToken: [] },
	{ sessionCookie: [] }
];

/** The document's default security; operations with another `auth` override it. */
export const defaultSecurity = anyCredential;

export const securityFor: Record<Auth, SecurityRequirement[] | undefined> = {
	token: undefined,
	session: [{ sessionToken: [] }, { sessionCookie: [] }],
	none: [],
	optional: [{}, ...anyCredential]
};

const text = { type: 'string' };
const seconds = { type: 'string', pattern: '^\\d+$' };

export const responseHeaders: Record<ResponseHeader, HeaderObject> = {
	ETag: {
		description:
			"A strong entity tag: a task's is its version (e.g. `\"7\"`, also used by `If-Match`); a task list's is a hash of its items' ids and versions and its cursor; any other read's is a hash of its body. The same whatever the content coding.",
		schema: { type: 'string', pattern: '^"[^"]*"$' }
	},
	Location: { description: 'The path of the created resource.', schema: text },
	'Idempotent-Replayed': {
		description: '`true` when this is the stored answer to an earlier request with the same key.',
		schema: { type: 'string', enum: ['true'] }
	},
	'Set-Cookie': { description: 'Sets or clears the session cookie.', schema: text },
	'Retry-After': { description: 'Seconds to wait before trying again.', schema: seconds },
	'WWW-Authenticate': { description: '`Bearer`.', schema: text }
};

/** Headers on (almost) every answer; described once and referenced. */
export const commonHeaders: Record<string, HeaderObject> = {
	'RateLimit-Limit': { description: 'Requests allowed per window.', schema: seconds },
	'RateLimit-Remaining': { description: 'Requests left in this window.', schema: seconds },
	'RateLimit-Reset': { description: 'Seconds until the window resets.', schema: seconds }
};

export const requestHeaders: Record<RequestHeader, ParameterObject> = {
	'If-Match': {
		name: 'If-Match',
		in: 'header',
		required: false,
		description:
			'The `ETag` you last read (or `*`). If the task has changed since, nothing is written and the answer is 412.',
		schema: text
	},
	'If-None-Match': {
		name: 'If-None-Match',
		in: 'header',
		required: false,
		description: 'The `ETag` you hold; 304 without a body while it is still current.',
		schema: text
	},
	'Idempotency-Key': {
		name: 'Idempotency-Key',
		in: 'header',
		required: false,
		description:
			'1 to 255 visible ASCII characters, unique per intended request. A retry with the same key and body within 24 hours returns the first answer. When that answer was lost (a 503, a timeout), a retried creation finds the tasks or column its first attempt made and answers with them instead of making them again.',
		schema: { type: 'string', minLength: 1, maxLength: 255, pattern: '^[\\x21-\\x7e]+$' }
	}
};

export interface SharedProblem {
	status: ProblemStatus;
	description: string;
	/** Headers the answer may carry. */
	headers?: ResponseHeader[];
	/** Headers it always carries. */
	requiredHeaders?: ResponseHeader[];
}

/** Problem answers that whole kinds of operation share (see spec.ts). */
export const sharedProblems = {
	rateLimited: {
		status: 429,
		description: 'Rate limit exceeded; wait `Retry-After` seconds.',
		requiredHeaders: ['Retry-After']
	},
	unauthenticated: {
		status: 401,
		description: 'No valid credential (missing, unknown, expired or revoked).',
		requiredHeaders: ['WWW-Authenticate']
	},
	writeRefused: {
		status: 403,
		description: 'Writes are refused to a `read` token, and to cookie requests from another site.'
	},
	malformedJson: { status: 400, description: 'The body is not valid JSON.' },
	ifMatchNotTaken: {
		status: 400,
		description: '`If-Match` was sent, but this operation does not take it; nothing was changed.'
	},
	malformedIfMatch: {
		status: 400,
		description:
			'`If-Match` is not `*` or a list of quoted entity tags (send the `ETag` as given, quotes included).'
	},
	tooLarge: {
		status: 413,
		description: `The body is larger than the operation takes (${maxJsonBodyBytes} bytes unless it says otherwise); it is refused unparsed.`
	},
	notJson: {
		status: 415,
		description:
			'The body is not sent as `application/json`, or is sent compressed (`Content-Encoding` other than `identity`).'
	},
	invalidBody: {
		status: 422,
		description: 'The body does not match the schema; `errors` maps each field to a message.'
	},
	invalidQuery: {
		status: 422,
		description: 'A query parameter is invalid; `errors` maps it to a message.'
	},
	databaseUnavailable: {
		status: 503,
		description:
			'The database cannot be reached right now (a restart or failover); retry after `Retry-After` seconds. A write may or may not have been carried out: read what it changes before repeating it. A creation that takes an `Idempotency-Key` can be repeated with the same key.',
		headers: ['Retry-After']
	},
	serverError: {
		status: 500,
		description:
			'An unexpected failure on our side (for example the database refused the change); nothing was half-done. `requestId` names it in our logs.'
	}
} satisfies Record<string, SharedProblem>;
