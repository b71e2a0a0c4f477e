/**
 * What one entry of the operation registry (`operations.ts`) says. The document builder turns
 * it into an OpenAPI operation and adds what every operation of its kind shares: rate limiting
 * (429), authentication (401), the cross-site and read-only-token refusals of writes (403), and
 * the body errors of operations that read JSON (400, 413, 415, 422).
 */
import type { z } from 'zod';

export type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/** Tags in the order the reference lists them, with what each groups. */
export const tags = {
	Auth: 'Accounts and sessions: sign up, log in, log out.',
	Account: 'The signed-in user.',
	Boards: 'Boards the caller is a member of (admins: every board).',
	Imports:
		'New boards from a Trello export, a CSV file or a TaskFlow export, written in the background.',
	Members: 'Who may read or edit a board, and in which role.',
	Columns: "A board's columns. Writes go through the board's live document.",
	Tasks:
		"Tasks (cards). Writes go through the board's live document, so open boards show them at once; reads see your own writes.",
	Comments:
		'Comments on cards, in Markdown (a safe subset rendered by the server), with @mentions of board members.',
	Versions:
		"A board's version history: automatic checkpoints after bursts of editing and named versions, previewed read-only and restored as a new change.",
	Activity: 'The audit event log of a board or a task, newest first.',
	Tokens: 'Personal access tokens. Manage them from a signed-in session, never with a token.',
	Notifications:
		'What the caller is told: assignments, completed cards they created, due dates, system messages.',
	Webhooks:
		'HTTP endpoints told of board events, signed with a secret, with a delivery log per hook.',
	Admin: 'Workspace administration (admins only).',
	Meta: 'This description of the API.'
} as const;

export type Tag = keyof typeof tags;

/**
 * Who may call: `token` accepts any credential (personal access token, session bearer or
 * cookie); `session` refuses personal access tokens (403); `none` needs nothing; `optional` works
 * with or without one.
 */
export type Auth = 'token' | 'session' | 'none' | 'optional';

/** Response headers described once in `components.headers`. */
export type ResponseHeader =
	'ETag' | 'Location' | 'Idempotent-Replayed' | 'Set-Cookie' | 'Retry-After' | 'WWW-Authenticate';

/** Request headers described once in `components.parameters`. */
export type RequestHeader = 'If-Match' | 'If-None-Match' | 'Idempotency-Key';

export type ProblemStatus = 400 | 401 | 403 | 404 | 409 | 412 | 413 | 415 | 422 | 429 | 500 | 503;

export interface ResponseSpec {
	description: string;
	/** The body; omit for none (204, 304). Register shared shapes in response-schemas.ts. */
	schema?: z.ZodType;
	/** Default `application/json`; a `text/event-stream` answer names it and may omit `schema`. */
	mediaType?: string;
	/** Another media type the same status answers when the request's Accept asks for it (text). */
	alternativeMediaType?: string;
	headers?: ResponseHeader[];
	/** Headers always present on this response (checked by the server tests). */
	requiredHeaders?: ResponseHeader[];
}

/** A problem answer particular to an operation: why, and headers it may carry. */
export interface ProblemSpec {
	description: string;
	headers: ResponseHeader[];
}

export interface OperationSpec {
	/** `operationId`: unique, camelCase, a verb first (`createTask`). */
	id: string;
	method: Method;
	/** As the route folders spell it, `[id]` written `{id}`: `/api/v1/boards/{id}/tasks`. */
	path: string;
	tag: Tag;
	summary: string;
	description?: string;
	/** Default `token`. */
	auth?: Auth;
	/** What each `{name}` of the path identifies; all are ids (a malformed one answers 404). */
	pathParams?: Record<string, string>;
	/** The zod object that validates the query string; each property is a parameter. */
	query?: z.ZodObject;
	requestHeaders?: RequestHeader[];
	/** The zod schema `readJson` validates the body with. */
	body?: z.ZodType;
	/**
	 * The same body as a file upload (multipart/form-data): its parts. A file part is a string
	 * with `contentMediaType`; see `readImportForm`.
	 */
	formBody?: z.ZodType;
	/** A realistic body for the reference page's curl example (validated against `body`). */
	example?: unknown;
	/** Answers other than problems, by status. */
	responses: Partial<Record<number, ResponseSpec>>;
	/**
	 * Problem answers particular to this operation, with why. The shared ones (see the file
	 * comment) are added anyway; a status listed in both gets both reasons.
	 */
	problems?: Partial<Record<ProblemStatus, string | ProblemSpec>>;
}
