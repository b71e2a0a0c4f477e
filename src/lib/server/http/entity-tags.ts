/**
 * Entity tags and conditional reads for the API. Endpoints that know their resource's version
 * set `ETag` themselves (a task's is its row version, which `If-Match` also uses); every other
 * successful JSON read gets a SHA-256 of its body. Tags are always computed over the
 * uncompressed body and do not change with the content coding (docs/architecture.md says why).
 */
import { createHash } from 'node:crypto';

/** The entity tags listed in an `If-Match`/`If-None-Match` header, `*` as itself. */
export function listedTags(header: string): string[] {
	return header.match(/\*|(?:W\/)?"[^"]*"/g) ?? [];
}

/**
 * Whether a conditional header is `*` or a comma-separated list of entity tags (RFC 9110 §8.8.3,
 * empty list elements allowed as §5.6.1.2 asks): `If-Match: 7` is not, and matching it as a list
 * would find no tag and refuse every write as stale, telling a client with a quoting bug its task
 * had changed.
 */
export function wellFormedTags(header: string): boolean {
	if (header.trim() === '*') return true;
	const items = header
		.split(',')
		.map((item) => item.trim())
		.filter((item) => item !== '');
	return items.length > 0 && items.every((item) => entityTag.test(item));
}

/** `W/` optional, then characters other than `"`, space and controls, in quotes (etagc). */
const entityTag = /^(W\/)?"[\x21\x23-\x7e\x80-\uffff]*"$/;

const opaque = (tag: string) => tag.replace(/^W\//, '');

/** `If-Match` semantics: strong comparison, so a weak tag never matches (RFC 9110 §13.1.1). */
export function strongMatch(header: string, etag: string): boolean {
	const tags = listedTags(header);
	return tags.includes('*') || (!etag.startsWith('W/') && tags.includes(etag));
}

/** `If-None-Match` semantics: weak comparison (RFC 9110 §13.1.2). */
export function weakMatch(header: string, etag: string): boolean {
	const tags = listedTags(header);
	return tags.includes('*') || tags.map(opaque).includes(opaque(etag));
}

/** Bodies of responses built from a string here (`json`), so tagging need not read them back. */
const bodies = new WeakMap<Response, string>();

export function rememberBody(response: Response, text: string): void {
	bodies.set(response, text);
}

const mediaType = (response: Response) =>
	(response.headers.get('content-type') ?? '').split(';')[0]!.trim().toLowerCase();

/**
 * A successful JSON read with an ETag: the endpoint's own, or a hash of the body. API answers
 * depend on who asks, so they are `private` (no shared cache keeps one user's list for another)
 * and `no-cache` (a browser revalidates with `If-None-Match` before reusing its copy).
 */
export async function withEntityTag(response: Response): Promise<Response> {
	if (response.status !== 200 || mediaType(response) !== 'application/json') return response;
	let tagged = response;
	const text = bodies.get(response);
	if (!response.headers.has('etag') && text !== undefined) {
		// The body's own bytes (UTF-8), without reading the body back.
		response.headers.set('etag', `"${createHash('sha256').update(text).digest('base64url')}"`);
	} else if (!response.headers.has('etag')) {
		const body = new Uint8Array(await response.arrayBuffer());
		const headers = new Headers(response.headers);
		headers.set('etag', `"${createHash('sha256').update(body).digest('base64url')}"`);
		tagged = new Response(body, { status: 200, statusText: response.statusText, headers });
	}
	if (!tagged.headers.has('cache-control'))
		tagged.headers.set('cache-control', 'private, no-cache');
	return tagged;
}

/** Headers a 304 repeats from the 200 it stands for (RFC 9110 §15.4.5). */
const keptOn304 = ['etag', 'cache-control', 'content-location', 'date', 'expires', 'vary'];

/** The 304 to send instead of `response` when the request's `If-None-Match` names its ETag. */
export function notModified(request: Request, response: Response): Response | null {
	const header = request.headers.get('if-none-match');
	const etag = response.headers.get('etag');
	if (header === null || etag === null || response.status !== 200) return null;
	if (!weakMatch(header, etag)) return null;
	const headers = new Headers();
	for (const name of keptOn304) {
		const value = response.headers.get(name);
		if (value !== null) headers.set(name, value);
	}
	for (const cookie of response.headers.getSetCookie()) headers.append('set-cookie', cookie);
	void response.body?.cancel();
	return new Response(null, { status: 304, headers });
}
