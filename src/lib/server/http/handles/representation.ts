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
	if (
		!isApiRequest(event) ||
		(response.status !== 405 && response.status !== 400) ||
		response.headers.get('content-type')?.includes('json')
	) {
		return response;
	}
	void response.body?.cancel();
	if (response.status === 400) {
		return problemResponse(400, 'The path is not validly percent-encoded.', {
			instance: event.url.pathname
		});
	}
	return problemResponse(405, `${event.request.method} is not supported here.`, {
		instance: event.url.pathname,
		headers: { allow: response.headers.get('allow') ?? '' }
	});
};
