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
	// A read carries no body to decode, whatever a client's library adds.
	if (
		method === 'GET' ||
		method === 'HEAD' ||
		coding === null ||
		/^\s*(identity\s*)?$/i.test(coding)
	)
		return resolve(event);
	return problemResponse(415, 'Send the body uncompressed: Content-Encoding is not accepted.', {
		instance: event.url.pathname,
		headers: { 'accept-encoding': 'identity' }
	});
};
