import type { z } from 'zod';
import { ApiError, type FieldErrors } from './problem.ts';
import { unstorableErrors } from './storable.ts';

/** Bodies above this are refused before parsing. */
export const maxJsonBodyBytes = 256 * 1024;

/** Reads a JSON body and validates it; every failure is a problem response, never a crash. */
export async function readJson<S extends z.ZodType>(
	request: Request,
	schema: S,
	maxBytes = maxJsonBodyBytes
): Promise<z.infer<S>> {
	return validated(await readJsonValue(request, maxBytes), schema, 'Some fields are invalid.');
}

/**
 * Reads a JSON body without validating it, for a caller that reports faults its own way (the
 * batch endpoints' per-item errors): 415, 413 and 400 as `readJson`.
 */
export async function readJsonValue(
	request: Request,
	maxBytes = maxJsonBodyBytes
): Promise<unknown> {
	if (!isJson(request)) {
		throw new ApiError(415, 'Send the body as application/json.');
	}
	const declared = Number(request.headers.get('content-length') ?? '0');
	if (declared > maxBytes) {
		if (request.body) await drain(request.body.getReader());
		throw tooLarge(maxBytes);
	}
	const text = await readLimited(request, maxBytes);
	try {
		return JSON.parse(text) as unknown;
	} catch {
		throw new ApiError(400, 'The body is not valid JSON.');
	}
}

/** Validates the query string (the last value of a repeated name); 422 with field errors. */
export function readQuery<S extends z.ZodType>(url: URL, schema: S): z.infer<S> {
	return validated(
		Object.fromEntries(url.searchParams),
		schema,
		'Some query parameters are invalid.'
	);
}

/**
 * The schema's verdict with the first unstorable string's (NUL, lone surrogate) added: a batch
 * with one such title is told of its other items' faults in the same answer, not one at a time.
 */
function validated<S extends z.ZodType>(value: unknown, schema: S, message: string): z.infer<S> {
	const unstorable = unstorableErrors(value);
	const parsed = schema.safeParse(value);
	if (parsed.success && !unstorable) return parsed.data;
	const errors = parsed.success ? {} : fieldErrors(parsed.error);
	throw new ApiError(422, message, { errors: { ...errors, ...unstorable } });
}

/** Whether the body is sent as JSON (`application/json` or a `+json` type). */
export function isJson(request: Request): boolean {
	return /^application\/([a-z.+-]*\+)?json\b/i.test(request.headers.get('content-type') ?? '');
}

/** Whether the body is sent as multipart/form-data (a file upload). */
export function isMultipart(request: Request): boolean {
	return /^multipart\/form-data\b/i.test(request.headers.get('content-type') ?? '');
}

/**
 * Reads a multipart/form-data body with the platform's parser, counting bytes as they arrive:
 * over `maxBytes` (declared or streamed) is a 413, a body that is not multipart a 400.
 */
export async function readMultipart(request: Request, maxBytes: number): Promise<FormData> {
	const type = request.headers.get('content-type') ?? '';
	const declared = Number(request.headers.get('content-length') ?? '0');
	if (declared > maxBytes) {
		if (request.body) await drain(request.body.getReader());
		throw tooLarge(maxBytes);
	}
	if (!request.body) throw new ApiError(400, 'The multipart body is empty.');
	// Pulled through by hand rather than piped: a refused body is read to its end (see drain),
	// never cancelled, so the 413 reaches the client.
	const reader = request.body.getReader();
	let size = 0;
	let over = false;
	const counted = new ReadableStream<Uint8Array>({
		async pull(controller) {
			const { done, value } = await reader.read().catch((error: unknown) => {
				if (passedAdapterLimit(error)) over = true;
				throw error;
			});
			if (done) return controller.close();
			size += value.byteLength;
			if (size > maxBytes) {
				over = true;
				await drain(reader);
				return controller.error(tooLarge(maxBytes));
			}
			controller.enqueue(value);
		},
		cancel: () => drain(reader)
	});
	try {
		return await new Response(counted, { headers: { 'content-type': type } }).formData();
	} catch {
		if (over) throw tooLarge(maxBytes);
		throw new ApiError(
			400,
			'The body is not valid multipart/form-data (check the boundary in its content type).'
		);
	}
}

/**
 * The client closed the connection before its body was complete. Node reports that as an
 * ECONNRESET, which read as the database going away: a 503 logged as "database unavailable",
 * which anyone could cause at will (and trip an alert on).
 */
function cutOff() {
	return new ApiError(400, 'The body ended before it was complete: the connection was closed.');
}

/** The adapter's own limit (BODY_SIZE_LIMIT) errors the body's stream with a 413. */
function passedAdapterLimit(error: unknown): boolean {
	return (error as { status?: unknown } | null)?.status === 413;
}

function tooLarge(maxBytes: number) {
	return new ApiError(413, `The body is larger than ${maxBytes} bytes.`);
}

async function readLimited(request: Request, maxBytes: number): Promise<string> {
	if (!request.body) return '';
	const reader = request.body.getReader();
	const chunks: Uint8Array[] = [];
	let size = 0;
	for (;;) {
		const { done, value } = await reader.read().catch((error: unknown) => {
			throw passedAdapterLimit(error) ? tooLarge(maxBytes) : cutOff();
		});
		if (done) break;
		size += value.byteLength;
		if (size > maxBytes) {
			await drain(reader);
			throw tooLarge(maxBytes);
		}
		chunks.push(value);
	}
	try {
		return strictUtf8.decode(Buffer.concat(chunks));
	} catch {
		// Decoding leniently would store U+FFFD where the client meant something else.
		throw new ApiError(400, 'The body is not valid UTF-8.');
	}
}

const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * Reads and discards the rest of a refused body. Cancelling the stream would destroy the socket
 * before the 413 is sent, and leaving it unread would stall the next request on a keep-alive
 * connection. The adapter's BODY_SIZE_LIMIT bounds how much this reads.
 */
async function drain(reader: ReadableStreamDefaultReader<Uint8Array>): Promise<void> {
	try {
		while (!(await reader.read()).done);
	} catch {
		// The adapter errors the stream once its own limit is passed: nothing more to read.
	}
}

export function fieldErrors(error: z.ZodError): FieldErrors {
	const errors: FieldErrors = {};
	for (const issue of error.issues) {
		const field = issue.path.length > 0 ? issue.path.join('.') : '_';
		errors[field] ??= issue.message;
	}
	return errors;
}
