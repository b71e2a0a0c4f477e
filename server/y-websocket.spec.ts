import * as encoding from 'lib0/encoding';
import { describe, expect, it } from 'vitest';
import {
	authMessage,
	fromYWebsocket,
	readOnlyWrite,
	readYWebsocketRequest,
	toYWebsocket
} from './y-websocket.ts';

const name = 'board:00000000-0000-4000-8000-000000000001';

/** A Hocuspocus server frame: the document name, then the message. */
function hocuspocusFrame(...write: ((e: encoding.Encoder) => void)[]): Uint8Array {
	const encoder = encoding.createEncoder();
	encoding.writeVarString(encoder, name);
	for (const w of write) w(encoder);
	return encoding.toUint8Array(encoder);
}
const uint = (n: number) => (e: encoding.Encoder) => encoding.writeVarUint(e, n);
const text = (s: string) => (e: encoding.Encoder) => encoding.writeVarString(e, s);

describe('readYWebsocketRequest', () => {
	it('reads the board from the path and takes the token out of the request', () => {
		const read = readYWebsocketRequest(
			new Request(`http://host/yjs/${name}?token=secret&x=1`, { headers: { cookie: 'a=b' } })
		);
		expect(read?.documentName).toBe(name);
		expect(read?.token).toBe('secret');
		expect(read?.request.url).toBe(`http://host/yjs/${name}?x=1`);
		expect(read?.request.headers.get('cookie')).toBe('a=b');
	});

	it('names no document for anything but a board, and ignores other paths', () => {
		expect(readYWebsocketRequest(new Request('http://host/yjs/room'))?.documentName).toBeNull();
		expect(readYWebsocketRequest(new Request('http://host/yjs/%E0'))?.documentName).toBeNull();
		expect(readYWebsocketRequest(new Request(`http://host/collab/${name}`))).toBeNull();
	});
});

describe('fromYWebsocket', () => {
	it('puts the document name in front of sync, awareness and query-awareness frames', () => {
		// A sync step 1 with an empty state vector, an awareness update of one byte, a query.
		for (const frame of [Uint8Array.of(0, 0, 1, 0), Uint8Array.of(1, 1, 9), Uint8Array.of(3)]) {
			expect(fromYWebsocket(name, frame)).toEqual(
				hocuspocusFrame((e) => encoding.writeUint8Array(e, frame))
			);
		}
	});

	it('refuses what y-websocket clients never send', () => {
		for (const frame of [Uint8Array.of(2, 0), Uint8Array.of(5), Uint8Array.of(7), new Uint8Array()])
			expect(fromYWebsocket(name, frame)).toBeNull();
	});

	it('refuses frames that are not whole: an unknown sync step, a payload cut short or overlong', () => {
		// Inside a larger buffer, as a websocket frame may be: lib0 reads only within the view.
		const pool = new Uint8Array(64).fill(7);
		pool.set([0, 0, 5, 1], 10);
		for (const frame of [
			Uint8Array.of(0, 9, 0),
			Uint8Array.of(0, 2, 0xff, 0xff, 0xff, 0x0f),
			Uint8Array.of(0, 0, 5, 1),
			pool.subarray(10, 14),
			Uint8Array.of(0, 0, 1, 0, 7),
			Uint8Array.of(1, 4, 1)
		]) {
			expect(fromYWebsocket(name, frame), String([...frame])).toBeNull();
		}
	});
});

describe('toYWebsocket', () => {
	it('strips the document name and answers a sync reply as a plain sync message', () => {
		expect(toYWebsocket(hocuspocusFrame(uint(0), uint(1), uint(5)))).toEqual({
			send: Uint8Array.of(0, 1, 5)
		});
		expect(toYWebsocket(hocuspocusFrame(uint(4), uint(0), uint(5)))).toEqual({
			send: Uint8Array.of(0, 0, 5)
		});
		expect(toYWebsocket(hocuspocusFrame(uint(1), uint(7)))).toEqual({ send: Uint8Array.of(1, 7) });
	});

	it('turns a refusal into a close the provider does not retry, and drops acknowledgements', () => {
		expect(toYWebsocket(hocuspocusFrame(uint(2), uint(1), text('not-found')))).toEqual({
			close: { code: 4404, reason: 'not-found' }
		});
		expect(toYWebsocket(hocuspocusFrame(uint(2), uint(1), text('other')))).toEqual({
			close: { code: 4403, reason: 'permission-denied' }
		});
		// The database out of reach is no refusal: 1013, which the provider retries.
		expect(toYWebsocket(hocuspocusFrame(uint(2), uint(1), text('unavailable')))).toEqual({
			close: { code: 1013, reason: 'unavailable' }
		});
		expect(toYWebsocket(hocuspocusFrame(uint(8), uint(0)))).toEqual({ close: readOnlyWrite });
		expect(toYWebsocket(hocuspocusFrame(uint(2), uint(2), uint(0)))).toBeNull();
		expect(toYWebsocket(hocuspocusFrame(uint(8), uint(1)))).toBeNull();
		expect(toYWebsocket(hocuspocusFrame(uint(5), text('stateless')))).toBeNull();
	});

	it('writes the auth message Hocuspocus expects first', () => {
		expect(authMessage(name, 'tok')).toEqual(hocuspocusFrame(uint(2), uint(0), text('tok')));
	});
});
