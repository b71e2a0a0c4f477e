/**
 * Content coding of dynamic responses (pages, `__data.json`, API JSON). Static assets never get
 * here: adapter-node serves the `.br`/`.gz` files it precompressed at build time. Websocket
 * upgrades never get here either (server/app.ts hands them to Hocuspocus before SvelteKit).
 *
 * Bodies are compressed as a stream and flushed after every chunk the source produces, so a
 * page that streams its data still reaches the browser piece by piece. `text/event-stream` is
 * never touched: an event must leave the moment it is written, and compressors buffer.
 */
import { Readable } from 'node:stream';
import {
	constants,
	createBrotliCompress,
	createGzip,
	type BrotliCompress,
	type Gzip
} from 'node:zlib';
import { yjsUpdateType } from '../../collab-protocol/document-transfer.ts';
import { appendVary } from './vary.ts';

export type Coding = 'br' | 'gzip';

/** Below this many bytes a compressed body saves less than its headers and CPU cost. */
export const compressionThreshold = 1024;

/**
 * Brotli's default quality (11) took 560 ms on a 500 KB task list that quality 4 compresses in
 * 2 ms (18× against 14× smaller); a request must not wait half a second for a few kilobytes.
 * Quality 5 saves another 5 % but, streamed, costs twice the CPU of 4 (1.1 against 0.5 ms per
 * 100 KB; gzip 0.3 ms).
 */
const brotliQuality = 4;

function mediaType(headers: Headers): string {
	return (headers.get('content-type') ?? '').split(';')[0]!.trim().toLowerCase();
}

/**
 * Text formats worth compressing, and the board document (the only binary this app sends from a
 * route, and a compressible one); event streams excluded (see above).
 */
export function isCompressibleType(type: string): boolean {
	if (type === 'text/event-stream') return false;
	if (type.startsWith('text/')) return true;
	return (
		type === yjsUpdateType ||
		/^application\/(?:[\w.-]+\+)?(?:json|xml)$/.test(type) ||
		type === 'application/javascript' ||
		type === 'image/svg+xml'
	);
}

/**
 * The coding the client's `Accept-Encoding` prefers among those we offer (br on a tie, since
 * it is smaller), or null for identity: no header, nothing we offer, or `identity` listed
 * explicitly with a higher weight.
 */
export function negotiateCoding(header: string | null): Coding | null {
	if (!header) return null;
	const weights = new Map<string, number>();
	for (const entry of header.split(',')) {
		const [name, ...params] = entry.split(';').map((part) => part.trim().toLowerCase());
		if (!name) continue;
		const q = params.map((p) => /^q\s*=\s*([01](?:\.\d{0,3})?)$/.exec(p)?.[1]).find(Boolean);
		weights.set(name, q === undefined ? 1 : Number(q));
	}
	const wildcard = weights.get('*') ?? 0;
	const br = weights.get('br') ?? wildcard;
	const gzip = weights.get('gzip') ?? weights.get('x-gzip') ?? wildcard;
	const best = Math.max(br, gzip);
	if (best <= 0 || (weights.get('identity') ?? 0) > best) return null;
	return br >= gzip ? 'br' : 'gzip';
}

/** Whether this answer to a GET or HEAD depends on `Accept-Encoding` at all. */
function negotiable(request: Request, response: Response): boolean {
	return (
		(request.method === 'GET' || request.method === 'HEAD') &&
		response.status !== 206 &&
		!response.headers.has('content-encoding') &&
		!/\bno-transform\b/i.test(response.headers.get('cache-control') ?? '') &&
		isCompressibleType(mediaType(response.headers))
	);
}

/**
 * Marks compressible answers `Vary: Accept-Encoding`. Called before a 304 is derived from the
 * 200, so the 304 carries the same Vary.
 */
export function varyOnCoding(request: Request, response: Response): void {
	if (negotiable(request, response)) appendVary(response.headers, 'Accept-Encoding');
}

/**
 * Brotli's text mode tunes its context modelling for UTF-8; on a binary Yjs update of 2.3 MB the
 * generic mode gave the same size in 15 instead of 22 ms.
 */
function encoder(coding: Coding, type: string): BrotliCompress | Gzip {
	if (coding === 'gzip') return createGzip();
	const mode = type === yjsUpdateType ? constants.BROTLI_MODE_GENERIC : constants.BROTLI_MODE_TEXT;
	return createBrotliCompress({
		params: { [constants.BROTLI_PARAM_QUALITY]: brotliQuality, [constants.BROTLI_PARAM_MODE]: mode }
	});
}

/** A sync flush (not a full one, which would reset gzip's dictionary and cost ratio). */
const flushKind: Record<Coding, number> = {
	gzip: constants.Z_SYNC_FLUSH,
	br: constants.BROTLI_OPERATION_FLUSH
};

/** The chunks already read, then the rest of the reader; cancels the source if abandoned. */
async function* replay(head: Uint8Array[], reader: ReadableStreamDefaultReader<Uint8Array>) {
	let finished = false;
	try {
		yield* head;
		for (;;) {
			const next = await reader.read();
			if (next.done) break;
			yield next.value;
		}
		finished = true;
	} finally {
		if (!finished) void reader.cancel().catch(() => {});
	}
}

function compressedBody(
	chunks: AsyncIterable<Uint8Array>,
	coding: Coding,
	type: string
): ReadableStream {
	const zip = encoder(coding, type);
	// A client that stops reading and then goes away destroys the stream without ever calling
	// a pending flush back; its close must end the wait, or the source would never be cancelled.
	const closed = new Promise<never>((_resolve, reject) => {
		zip.once('close', () => reject(new Error('aborted')));
	});
	closed.catch(() => {});
	void (async () => {
		try {
			for await (const chunk of chunks) {
				zip.write(chunk);
				// Waiting for the flush is also the backpressure: zlib calls back only once the
				// reader of the compressed stream has made room.
				await Promise.race([
					closed,
					new Promise<void>((resolve, reject) =>
						zip.flush(flushKind[coding], () =>
							zip.destroyed ? reject(new Error('aborted')) : resolve()
						)
					)
				]);
			}
			zip.end();
		} catch (error) {
			zip.destroy(error instanceof Error ? error : new Error(String(error)));
		}
	})();
	return Readable.toWeb(zip) as ReadableStream;
}

/**
 * `response` compressed in the coding the client prefers, when it is a compressible answer to a
 * GET (errors too: a 422 can list many fields) of at least `threshold` bytes; otherwise the
 * same content uncompressed.
 */
export async function compress(
	request: Request,
	response: Response,
	threshold = compressionThreshold
): Promise<Response> {
	const bodiless = response.status === 204 || response.status === 304;
	if (bodiless || !response.body || !negotiable(request, response)) return response;
	const coding = negotiateCoding(request.headers.get('accept-encoding'));
	if (coding === null) return response;
	const declared = response.headers.get('content-length');
	if (declared !== null && Number(declared) < threshold) return response;

	// Read just enough to know the size is worth it, without waiting for a streaming body to end.
	const reader = response.body.getReader();
	const head: Uint8Array[] = [];
	let size = 0;
	while (size < threshold) {
		const next = await reader.read();
		if (next.done) {
			const init = {
				status: response.status,
				statusText: response.statusText,
				headers: response.headers
			};
			return new Response(request.method === 'HEAD' ? null : join(head, size), init);
		}
		head.push(next.value);
		size += next.value.byteLength;
	}
	const headers = new Headers(response.headers);
	headers.set('content-encoding', coding);
	headers.delete('content-length');
	const init = { status: response.status, statusText: response.statusText, headers };
	if (request.method === 'HEAD') {
		void reader.cancel().catch(() => {});
		return new Response(null, init);
	}
	return new Response(
		compressedBody(replay(head, reader), coding, mediaType(response.headers)),
		init
	);
}

function join(chunks: Uint8Array[], size: number): Uint8Array<ArrayBuffer> {
	const out = new Uint8Array(size);
	let offset = 0;
	for (const chunk of chunks) {
		out.set(chunk, offset);
		offset += chunk.byteLength;
	}
	return out;
}
