import { EventEmitter } from 'node:events';
import type { Socket } from 'node:net';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { openPeer } from '../tests/unit/support/crossws-peer.ts';
import { peerSocket } from './peer-socket.ts';
import {
	guardSendBacklog,
	minDrainPerSecond,
	wsBacklog,
	type Backlog,
	type StallReason
} from './send-backlog.ts';

/**
 * A socket and a backlog the test moves by hand, as the kernel would: `accept(n)` is the peer
 * reading n bytes of what is being written, `dispatch()` the write in progress finishing and
 * everything queued behind it starting as the next one. The real fields are pinned below, on a
 * real crossws socket; tests/server/ws-stalled-reader.test.ts covers the whole server.
 */
class FakeSocket extends EventEmitter {
	readyState = 1;
	terminated = 0;
	/** Bytes of the write in progress not yet accepted, and bytes queued behind it. */
	inProgress = 0;
	behind = 0;
	readonly backlog: Backlog = {
		queued: () => this.behind,
		unsent: () => this.behind + this.inProgress
	};
	send(data: Uint8Array) {
		if (this.inProgress === 0) this.inProgress = data.byteLength;
		else this.behind += data.byteLength;
	}
	close() {
		this.readyState = 3;
		this.emit('close');
	}
	terminate() {
		this.terminated += 1;
		this.close();
	}
	accept(bytes: number) {
		this.inProgress = Math.max(0, this.inProgress - bytes);
		if (this.inProgress === 0) this.dispatch();
	}
	dispatch() {
		this.inProgress = this.behind;
		this.behind = 0;
	}
}

const limitBytes = 1024 * 1024;
const stallMs = 10_000;
/** What a socket over the limit must read in one window. */
const perWindow = (minDrainPerSecond * stallMs) / 1000;

let socket: FakeSocket;
let stalled: [number, StallReason][];
beforeEach(() => {
	vi.useFakeTimers();
	socket = new FakeSocket();
	stalled = [];
});
afterEach(() => {
	vi.useRealTimers();
});

function guard() {
	return guardSendBacklog(
		socket,
		{ limitBytes, stallMs, onStalled: (bytes, reason) => stalled.push([bytes, reason]) },
		() => socket.backlog
	);
}

describe('guardSendBacklog', () => {
	it('passes every frame through and never ends a socket under the limit, however long', () => {
		const guarded = guard();
		for (let i = 0; i < 100; i++) guarded.send(new Uint8Array(10_000));
		vi.advanceTimersByTime(stallMs * 20);
		expect(socket.backlog.unsent()).toBe(1_000_000);
		expect(socket.terminated).toBe(0);
		expect(vi.getTimerCount()).toBe(0);
	});

	it('terminates at once a socket with more than four limits queued behind its write', () => {
		const guarded = guard();
		guarded.send(new Uint8Array(64 * 1024)); // being written, not read
		for (let i = 0; i < 65; i++) guarded.send(new Uint8Array(64 * 1024));
		// Four limits and one frame wait behind it: the check comes before a frame is queued.
		expect(socket.terminated).toBe(0);
		expect(socket.backlog.queued()).toBe(4 * limitBytes + 64 * 1024);
		guarded.send(new Uint8Array(1));
		expect(socket.terminated).toBe(1);
		expect(stalled).toEqual([[4 * limitBytes + 2 * 64 * 1024, 'behind']]);
	});

	it('keeps a reader at a normal speed through a burst of large frames', () => {
		const guarded = guard();
		guarded.send(new Uint8Array(6 * limitBytes)); // a full board's join, being read
		for (let i = 0; i < 3; i++) guarded.send(new Uint8Array(limitBytes)); // an import's frames
		socket.accept(6 * limitBytes); // the join read: what waited goes out as one write
		expect(socket.backlog.queued()).toBe(0);
		for (let i = 0; i < 3; i++) guarded.send(new Uint8Array(limitBytes));
		socket.accept(socket.backlog.unsent());
		socket.accept(socket.backlog.unsent());
		vi.advanceTimersByTime(stallMs);
		expect(socket.terminated).toBe(0);
		expect(stalled).toEqual([]);
	});

	it('lets one frame of any size queue behind the write in progress', () => {
		const guarded = guard();
		guarded.send(new Uint8Array(1024));
		guarded.send(new Uint8Array(10 * limitBytes));
		expect(socket.terminated).toBe(0);
	});

	it('serves a slow reader of one frame larger than the limit, byte by byte of it', () => {
		const guarded = guard();
		guarded.send(new Uint8Array(limitBytes * 6)); // a big board's join, one write
		for (let window = 0; window < 8; window++) {
			guarded.send(new Uint8Array(4096)); // edits keep arriving behind it
			socket.accept(perWindow); // the peer reads the minimum of the join meanwhile
			vi.advanceTimersByTime(stallMs);
			expect(socket.terminated).toBe(0);
		}
		// The join read, the edits behind it too: under the limit, no longer watched.
		socket.accept(socket.backlog.unsent());
		socket.accept(socket.backlog.unsent());
		vi.advanceTimersByTime(stallMs);
		expect(vi.getTimerCount()).toBe(0);
		expect(socket.terminated).toBe(0);
	});

	it('terminates at the end of its window a socket over the limit that reads nothing', () => {
		const guarded = guard();
		guarded.send(new Uint8Array(limitBytes + 1));
		expect(vi.getTimerCount()).toBe(1);
		vi.advanceTimersByTime(stallMs - 1);
		expect(socket.terminated).toBe(0);
		vi.advanceTimersByTime(1);
		expect(socket.terminated).toBe(1);
		expect(stalled).toEqual([[limitBytes + 1, 'stalled']]);
		expect(vi.getTimerCount()).toBe(0);
	});

	it('terminates a reader slower than the minimum, counting what was sent in the window', () => {
		const guarded = guard();
		guarded.send(new Uint8Array(limitBytes * 2));
		socket.accept(perWindow);
		vi.advanceTimersByTime(stallMs);
		expect(socket.terminated).toBe(0);
		guarded.send(new Uint8Array(50_000));
		socket.accept(perWindow - 1);
		vi.advanceTimersByTime(stallMs);
		expect(socket.terminated).toBe(1);
		expect(stalled[0]![1]).toBe('stalled');
	});

	it('stops watching a socket that closes while over the limit, and counts no stall', () => {
		const guarded = guard();
		guarded.send(new Uint8Array(limitBytes + 1));
		guarded.close(1000, 'bye');
		vi.advanceTimersByTime(stallMs * 3);
		expect(vi.getTimerCount()).toBe(0);
		expect(stalled).toEqual([]);
	});

	it('counts no stall for a socket already closing when its window ends', () => {
		const guarded = guard();
		guarded.send(new Uint8Array(limitBytes + 1));
		socket.readyState = 2; // closing (revoked, say), not closed yet
		vi.advanceTimersByTime(stallMs);
		expect(socket.terminated).toBe(0);
		expect(stalled).toEqual([]);
		expect(vi.getTimerCount()).toBe(0);
	});

	it('hooks the close event once however often the socket crosses the limit', () => {
		const guarded = guard();
		for (let i = 0; i < 20; i++) {
			guarded.send(new Uint8Array(limitBytes + 1));
			socket.accept(socket.backlog.unsent());
			vi.advanceTimersByTime(stallMs);
		}
		expect(socket.listenerCount('close')).toBe(1);
		expect(socket.terminated).toBe(0);
	});

	it('returns a socket whose backlog cannot be read as it is', () => {
		const plain = { readyState: 1, send() {}, close() {} };
		const options = { limitBytes, stallMs, onStalled() {} };
		expect(guardSendBacklog(plain, options)).toBe(plain);
		expect(guardSendBacklog(socket, options, () => null)).toBe(socket);
	});
});

describe('wsBacklog on a real crossws socket', () => {
	const closers: (() => Promise<void>)[] = [];
	afterEach(async () => {
		vi.useRealTimers();
		for (const close of closers.splice(0)) await close();
	});

	async function until(condition: () => boolean, what: string): Promise<void> {
		const deadline = Date.now() + 4_000;
		while (!condition()) {
			if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
			await new Promise((r) => setTimeout(r, 5));
		}
	}

	it('reads what waits behind a write and what the kernel has not taken, as the peer reads', async () => {
		vi.useRealTimers();
		const { peer, client, close } = await openPeer();
		closers.push(close);
		const socket = peerSocket(peer);
		const backlog = wsBacklog(socket);
		expect(backlog).not.toBeNull();
		// ws's own pause: it keeps its flow control from resuming the socket behind the test's back.
		client.pause();
		const tcp = (client as unknown as { _socket: Socket })._socket;

		socket.send(new Uint8Array(40 * 1024 * 1024)); // more than loopback's buffers hold
		socket.send(new Uint8Array(100_000));
		expect(backlog!.queued()).toBeGreaterThanOrEqual(100_000);
		expect(backlog!.queued()).toBeLessThan(200_000);
		const before = backlog!.unsent();
		expect(before).toBeGreaterThan(backlog!.queued());

		// Reading part of the large frame lowers what is unsent, not what is queued behind it.
		let read = 0;
		const partly = (chunk: Buffer) => {
			read += chunk.length;
			if (read < 4 * 1024 * 1024) return;
			client.pause();
			tcp.off('data', partly);
		};
		tcp.on('data', partly);
		client.resume();
		await until(
			() => read >= 4 * 1024 * 1024 && client.isPaused && backlog!.unsent() < before,
			'part of the frame to be read'
		);
		expect(backlog!.unsent()).toBeGreaterThan(30 * 1024 * 1024); // most of it is still unsent
		expect(backlog!.queued()).toBeGreaterThanOrEqual(100_000);

		client.resume();
		await until(() => backlog!.unsent() === 0, 'everything to be read');
		expect(backlog!.queued()).toBe(0);
	});
});
