import { once } from 'node:events';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { types } from 'node:util';
import type { Peer } from 'crossws';
import crossws from 'crossws/adapters/node';
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { peerSocket } from './peer-socket.ts';

const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
	for (const close of closers.splice(0)) await close();
});

/** A real http server with crossws's node adapter; resolves with the first peer that opens. */
async function openPeer(): Promise<{ peer: Peer; client: WebSocket }> {
	let opened!: (peer: Peer) => void;
	const peerOpened = new Promise<Peer>((resolve) => (opened = resolve));
	const ws = crossws({ hooks: { open: (peer) => opened(peer) } });
	const server = createServer();
	server.on('upgrade', (request, socket, head) => ws.handleUpgrade(request, socket, head));
	server.listen(0, '127.0.0.1');
	await once(server, 'listening');
	const { port } = server.address() as AddressInfo;
	const client = new WebSocket(`ws://127.0.0.1:${port}/collab`);
	closers.push(async () => {
		client.terminate();
		ws.closeAll();
		await new Promise((resolve) => server.close(resolve));
	});
	return { peer: await peerOpened, client };
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
