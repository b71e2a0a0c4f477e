/**
 * How a read is sent: an ETag on API answers, 304 when the client's copy is current, then
 * compression. In that order, so tags and the 304 decision see the uncompressed body.
 */
import type { Handle } from '@sveltejs/kit';
import { compress, varyOnCoding } from '../compression.ts';
import { notModified, withEntityTag } from '../entity-tags.ts';
import { problemResponse } from '../problem.ts';
import { isApiRequest } from './api-request.ts';

export const conditionalCompressedReads: Handle = async ({ event, resolve }) => {
	const { request } = event;
	if (request.method !== 'GET' && request.method !== 'HEAD') return resolve(event);
	let response = await resolve(event);
	if (isApiRequest(event)) response = await withEntityTag(response);
	varyOnCoding(request, response);
	return notModified(request, response) ?? (await compress(request, response));
};

/**
 * Kit answers an unsupported method with plain text, and a path that is not validly
 * percent-encoded (`/api/v1/boards/%zz`) with its HTML error page; API callers get problem+json.
 */
export const apiKitRefusals: Handle = async ({ event, resolve }) => {
	const response = await resolve(event);
	const type = response.headers.get('content-type') ?? '';
	// Kit's 400 is its HTML error page; a 400 of ours is problem+json already.
	const kitBadPath = response.status === 400 && type.startsWith('text/html');
	const kitMethod = response.status === 405 && !type.includes('json');
	if (!isApiRequest(event) || !(kitBadPath || kitMethod)) return response;
	response.body?.cancel().catch(() => {});
	if (kitBadPath) {
		return problemResponse(400, 'The path is not validly percent-encoded.', {
			instance: event.url.pathname
		});
	}
	return problemResponse(405, `${event.request.method} is not supported here.`, {
		instance: event.url.pathname,
		headers: { allow: response.headers.get('allow') ?? '' }
	});
};
