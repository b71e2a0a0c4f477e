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
	const type = request.headers.get('content-type') ?? '';
	if (!/^application\/([a-z.+-]*\+)?json\b/i.test(type)) {
		throw new ApiError(415, 'Send the body as application/json.');
	}
	const declared = Number(request.headers.get('content-length') ?? '0');
	if (declared > maxBytes) {
		if (request.body) await drain(request.body.getReader());
		throw tooLarge(maxBytes);
	}
	const text = await readLimited(request, maxBytes);
	let value: unknown;
	try {
		value = JSON.parse(text);
	} catch {
		throw new ApiError(400, 'The body is not valid JSON.');
	}
	const unstorable = unstorableErrors(value);
	if (unstorable) throw new ApiError(422, 'Some fields are invalid.', { errors: unstorable });
	const parsed = schema.safeParse(value);
	if (!parsed.success) {
		throw new ApiError(422, 'Some fields are invalid.', { errors: fieldErrors(parsed.error) });
	}
	return parsed.data;
}

/** Validates the query string (the last value of a repeated name); 422 with field errors. */
export function readQuery<S extends z.ZodType>(url: URL, schema: S): z.infer<S> {
	const values = Object.fromEntries(url.searchParams);
	const unstorable = unstorableErrors(values);
	if (unstorable)
		throw new ApiError(422, 'Some query parameters are invalid.', { errors: unstorable });
	const parsed = schema.safeParse(values);
	if (!parsed.success) {
		throw new ApiError(422, 'Some query parameters are invalid.', {
			errors: fieldErrors(parsed.error)
		});
	}
	return parsed.data;
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
		const { done, value } = await reader.read();
		if (done) break;
		size += value.byteLength;
		if (size > maxBytes) {
			await drain(reader);
			throw tooLarge(maxBytes);
		}
		chunks.push(value);
	}
	return Buffer.concat(chunks).toString('utf8');
}

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
