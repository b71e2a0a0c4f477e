import { randomBytes } from 'node:crypto';
import { brotliDecompressSync, constants, gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { compress, isCompressibleType, negotiateCoding, varyOnCoding } from './compression.ts';

const get = (acceptEncoding?: string, method = 'GET') =>
	new Request('http://x/', {
		method,
		headers: acceptEncoding === undefined ? {} : { 'accept-encoding': acceptEncoding }
	});

describe('negotiateCoding', () => {
	it.each([
		[null, null],
		['', null],
		['identity', null],
		['gzip', 'gzip'],
		['gzip, deflate, br, zstd', 'br'],
		['br;q=0.5, gzip', 'gzip'],
		['br;q=1.0, gzip;q=0.8', 'br'],
		['gzip;q=0, br;q=0', null],
		['*', 'br'],
		['*;q=0.5, br;q=0', 'gzip'],
		['deflate', null],
		['identity;q=1, gzip;q=0.5', null],
		['GZIP ; Q=0.7', 'gzip']
	])('%s -> %s', (header, coding) => {
		expect(negotiateCoding(header)).toBe(coding);
	});
});

describe('isCompressibleType', () => {
	it.each([
		['application/json', true],
		['application/problem+json', true],
		['text/html', true],
		['text/css', true],
		['application/javascript', true],
		['image/svg+xml', true],
		['text/plain', true],
		['text/event-stream', false],
		['image/png', false],
		// The board document, a Yjs update (see collab-protocol/document-transfer.ts).
		['application/vnd.taskflow.yjs-update', true],
		['application/octet-stream', false]
	])('%s -> %s', (type, expected) => {
		expect(isCompressibleType(type)).toBe(expected);
	});
});

describe('compress', () => {
	const big = JSON.stringify({ items: Array.from({ length: 200 }, (_, i) => ({ id: i })) });

	it('compresses a large body in the coding asked for, and it decodes to the original', async () => {
		for (const [coding, decode] of [
			['br', brotliDecompressSync],
			['gzip', gunzipSync]
		] as const) {
			const source = new Response(big, { headers: { 'content-type': 'application/json' } });
			const res = await compress(get(coding), source);
			expect(res.headers.get('content-encoding')).toBe(coding);
			const bytes = Buffer.from(await res.arrayBuffer());
			expect(bytes.length).toBeLessThan(big.length / 3);
			expect(decode(bytes).toString()).toBe(big);
		}
	});

	it('compresses a binary board document, and it decodes byte for byte', async () => {
		// Repetitive like a Yjs update (ids and keys per card), with every byte value present.
		const update = Buffer.from(
			Array.from({ length: 20_000 }, (_, i) => (i % 7 === 0 ? i % 256 : i % 5))
		);
		for (const [coding, decode] of [
			['br', brotliDecompressSync],
			['gzip', gunzipSync]
		] as const) {
			const source = new Response(update, {
				headers: { 'content-type': 'application/vnd.taskflow.yjs-update' }
			});
			const res = await compress(get(coding), source);
			expect(res.headers.get('content-encoding')).toBe(coding);
			const bytes = Buffer.from(await res.arrayBuffer());
			expect(bytes.length).toBeLessThan(update.length / 3);
			expect(decode(bytes).equals(update)).toBe(true);
		}
	});

	it('compresses large problem+json errors too', async () => {
		const errors = Object.fromEntries(Array.from({ length: 120 }, (_, i) => [`f${i}`, 'Bad.']));
		const problem = JSON.stringify({ status: 422, errors });
		const source = new Response(problem, {
			status: 422,
			headers: { 'content-type': 'application/problem+json' }
		});
		const res = await compress(get('gzip'), source);
		expect(res.status).toBe(422);
		expect(res.headers.get('content-encoding')).toBe('gzip');
		expect(gunzipSync(Buffer.from(await res.arrayBuffer())).toString()).toBe(problem);
	});

	it('leaves small bodies, unasked and HEAD bodies alone where it should', async () => {
		const json = { 'content-type': 'application/json' };
		const small = await compress(get('br'), new Response('{"a":1}', { headers: json }));
		expect(small.headers.get('content-encoding')).toBeNull();
		expect(await small.text()).toBe('{"a":1}');
		const unasked = await compress(get(), new Response(big, { headers: json }));
		expect(unasked.headers.get('content-encoding')).toBeNull();
		expect(await unasked.text()).toBe(big);
		const head = await compress(get('gzip', 'HEAD'), new Response(big, { headers: json }));
		expect(head.headers.get('content-encoding')).toBe('gzip');
		expect(head.body).toBeNull();
	});

	it('never reads or wraps an event stream', async () => {
		// A stream with no event yet: reading it would hang this test until it times out.
		const silent = new ReadableStream<Uint8Array>({ start() {} });
		const sse = new Response(silent, {
			headers: { 'content-type': 'text/event-stream; charset=utf-8' }
		});
		const res = await compress(get('br, gzip'), sse);
		varyOnCoding(get('br, gzip'), res);
		expect(res).toBe(sse);
		expect(res.headers.get('content-encoding')).toBeNull();
		expect(res.headers.get('vary')).toBeNull();
		expect(res.body!.locked).toBe(false);
		await res.body!.cancel();
	});

	it('streams: the first chunk arrives compressed before the source ends', async () => {
		const encoder = new TextEncoder();
		let finish!: () => void;
		const later = new Promise<void>((resolve) => (finish = resolve));
		const source = new ReadableStream<Uint8Array>({
			async start(controller) {
				controller.enqueue(encoder.encode('<p>first</p>'.repeat(200)));
				await later;
				controller.enqueue(encoder.encode('<p>second</p>'));
				controller.close();
			}
		});
		const page = new Response(source, { headers: { 'content-type': 'text/html' } });
		const res = await compress(get('gzip'), page);
		const reader = res.body!.getReader();
		// The source is still waiting: without a flush per chunk this loop would never end.
		const received: Uint8Array[] = [];
		while (gunzipPartial(Buffer.concat(received)) !== '<p>first</p>'.repeat(200)) {
			const next = await reader.read();
			expect(next.done).toBe(false);
			received.push(next.value!);
		}
		finish();
		for (let next = await reader.read(); !next.done; next = await reader.read()) {
			received.push(next.value);
		}
		expect(gunzipSync(Buffer.concat(received)).toString()).toBe(
			'<p>first</p>'.repeat(200) + '<p>second</p>'
		);
	});

	for (const coding of ['gzip', 'br'] as const) {
		it(`cancels the source when a ${coding} client stops reading and goes away`, async () => {
			let cancelled = false;
			// Incompressible and endless: the compressed side fills up as soon as nobody reads it.
			const source = new ReadableStream<Uint8Array>({
				pull(controller) {
					controller.enqueue(randomBytes(64 * 1024));
				},
				cancel() {
					cancelled = true;
				}
			});
			const page = new Response(source, { headers: { 'content-type': 'text/html' } });
			const res = await compress(get(coding), page);
			const reader = res.body!.getReader();
			await reader.read();
			// Let the pipeline stall on backpressure, then disconnect.
			await new Promise((r) => setTimeout(r, 100));
			await reader.cancel();
			const deadline = Date.now() + 2000;
			while (!cancelled && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
			expect(cancelled).toBe(true);
		});
	}
});

/** Decodes a gzip stream that has been flushed but not ended. */
function gunzipPartial(bytes: Uint8Array): string {
	if (bytes.length === 0) return '';
	return gunzipSync(bytes, { finishFlush: constants.Z_SYNC_FLUSH }).toString();
}
