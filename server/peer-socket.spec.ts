import { once } from 'node:events';
import { types } from 'node:util';
import type { Peer } from 'crossws';
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { openPeer as openPeerOn } from '../tests/unit/support/crossws-peer.ts';
import { peerSocket } from './peer-socket.ts';

const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
	for (const close of closers.splice(0)) await close();
});

async function openPeer() {
	const opened = await openPeerOn();
	closers.push(opened.close);
	return opened;
}

describe('peerSocket', () => {
	it('is the ws socket under crossws proxy, and frames sent on it reach the client', async () => {
		const { peer, client } = await openPeer();
		// The premise: crossws hands out a proxy, which is what this avoids.
		expect(types.isProxy(peer.websocket)).toBe(true);
		const socket = peerSocket(peer);
		expect(types.isProxy(socket)).toBe(false);
		expect(socket.readyState).toBe(WebSocket.OPEN);

		const received = once(client, 'message');
		socket.send(new Uint8Array([1, 2, 3]));
		const [data] = (await received) as [Buffer];
		expect([...data]).toEqual([1, 2, 3]);
	});

	it('falls back to the peer websocket when the adapter keeps no ws socket', () => {
		const websocket = { readyState: 1, send: () => {}, close: () => {} };
		const peer = { websocket, _internal: { ws: undefined } } as unknown as Peer;
		expect(peerSocket(peer)).toBe(websocket);
	});
});
