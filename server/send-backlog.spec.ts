import { EventEmitter } from 'node:events';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { guardSendBacklog, minDrainPerSecond } from './send-backlog.ts';

/**
 * A socket whose backlog the test sets: what ws reports as `bufferedAmount` is what the peer
 * has not read yet, so "the peer reads n bytes" is `drain(n)`. The real socket's behaviour is
 * covered end to end in tests/server/ws-stalled-reader.test.ts; this pins the arithmetic.
 */
class FakeSocket extends EventEmitter {
	readyState = 1;
	bufferedAmount = 0;
	terminated = 0;
	readonly sent: number[] = [];
	send(data: Uint8Array) {
		this.sent.push(data.byteLength);
		this.bufferedAmount += data.byteLength;
	}
	close() {
		this.readyState = 3;
		this.emit('close');
	}
	terminate() {
		this.terminated += 1;
		this.readyState = 3;
		this.emit('close');
	}
	drain(bytes: number) {
		this.bufferedAmount = Math.max(0, this.bufferedAmount - bytes);
	}
}

const limitBytes = 1024 * 1024;
const stallMs = 10_000;
/** What a socket over the limit must read in one window. */
const perWindow = (minDrainPerSecond * stallMs) / 1000;

let socket: FakeSocket;
let stalled: number[];
beforeEach(() => {
	vi.useFakeTimers();
	socket = new FakeSocket();
	stalled = [];
});
afterEach(() => {
	vi.useRealTimers();
});

function guard() {
	return guardSendBacklog(socket, { limitBytes, stallMs, onStalled: (b) => stalled.push(b) });
}

describe('guardSendBacklog', () => {
	it('passes every frame through and never ends a socket under the limit, however long', () => {
		const guarded = guard();
		for (let i = 0; i < 100; i++) guarded.send(new Uint8Array(10_000));
		vi.advanceTimersByTime(stallMs * 20);
		expect(socket.sent).toHaveLength(100);
		expect(socket.bufferedAmount).toBe(1_000_000);
		expect(socket.terminated).toBe(0);
		expect(vi.getTimerCount()).toBe(0);
	});

	it('terminates a socket over the limit that reads nothing within one window', () => {
		const guarded = guard();
		guarded.send(new Uint8Array(limitBytes + 1));
		expect(vi.getTimerCount()).toBe(1);
		vi.advanceTimersByTime(stallMs - 1);
		expect(socket.terminated).toBe(0);
		vi.advanceTimersByTime(1);
		expect(socket.terminated).toBe(1);
		expect(stalled).toEqual([limitBytes + 1]);
		expect(vi.getTimerCount()).toBe(0);
	});

	it('keeps a slow reader that drains its window’s worth while more keeps arriving', () => {
		const guarded = guard();
		guarded.send(new Uint8Array(limitBytes * 3)); // a big board's join
		for (let window = 0; window < 5; window++) {
			// Edits keep coming; the reader takes exactly the minimum plus what arrived.
			guarded.send(new Uint8Array(4096));
			socket.drain(perWindow + 4096);
			vi.advanceTimersByTime(stallMs);
			expect(socket.terminated).toBe(0);
		}
		// Caught up below the limit: no longer watched.
		socket.drain(socket.bufferedAmount);
		vi.advanceTimersByTime(stallMs);
		expect(vi.getTimerCount()).toBe(0);
		expect(socket.terminated).toBe(0);
	});

	it('terminates a reader slower than the minimum, counting what was sent in the window', () => {
		const guarded = guard();
		guarded.send(new Uint8Array(limitBytes * 2));
		socket.drain(perWindow);
		vi.advanceTimersByTime(stallMs);
		expect(socket.terminated).toBe(0);
		// Edits keep arriving; the reader takes a byte less than the minimum.
		guarded.send(new Uint8Array(50_000));
		socket.drain(perWindow - 1);
		vi.advanceTimersByTime(stallMs);
		expect(socket.terminated).toBe(1);
	});

	it('stops watching a socket that closes while over the limit', () => {
		const guarded = guard();
		guarded.send(new Uint8Array(limitBytes + 1));
		guarded.close(1000, 'bye');
		vi.advanceTimersByTime(stallMs * 3);
		expect(vi.getTimerCount()).toBe(0);
		expect(socket.terminated).toBe(0);
		expect(stalled).toEqual([]);
	});

	it('hooks the close event once however often the socket crosses the limit', () => {
		const guarded = guard();
		for (let i = 0; i < 20; i++) {
			guarded.send(new Uint8Array(limitBytes + 1));
			socket.drain(socket.bufferedAmount);
			vi.advanceTimersByTime(stallMs);
		}
		expect(socket.listenerCount('close')).toBe(1);
		expect(socket.terminated).toBe(0);
	});

	it('returns a socket that reports no backlog as it is', () => {
		const plain = { readyState: 1, send() {}, close() {} };
		expect(guardSendBacklog(plain, { limitBytes, stallMs, onStalled() {} })).toBe(plain);
	});
});
