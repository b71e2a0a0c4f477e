/**
 * No endpoint decodes a compressed request body, so one sent with a `Content-Encoding` other
 * than `identity` is refused (415, RFC 9110 §15.5.16) rather than read as if it were plain: a
 * gzip body then failed as "not valid JSON", and a plain body that claimed gzip was accepted,
 * so a client with a wrong header learnt nothing until it sent a body that really was compressed.
 */
import type { Handle } from '@sveltejs/kit';
import { problemResponse } from '../problem.ts';

export const encodedBodies: Handle = async ({ event, resolve }) => {
	const { method, headers } = event.request;
	const coding = headers.get('content-encoding');
	// Only a body can be compressed: a request without one (a read, a DELETE) goes on, whatever
	// headers a client's library adds.
	const length = headers.get('content-length');
	const body = headers.has('transfer-encoding') || (length !== null && length.trim() !== '0');
	if (!body || method === 'GET' || method === 'HEAD' || coding === null) return resolve(event);
	if (/^\s*(identity\s*)?$/i.test(coding)) return resolve(event);
	return problemResponse(415, 'Send the body uncompressed: Content-Encoding is not accepted.', {
		instance: event.url.pathname,
		headers: { 'accept-encoding': 'identity' }
	});
};
