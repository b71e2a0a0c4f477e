/** A real http server with crossws's node adapter, for specs of what the collab server writes to. */
import { once } from 'node:events';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Peer } from 'crossws';
import crossws from 'crossws/adapters/node';
import WebSocket from 'ws';

export interface OpenedPeer {
	/** The server side of the connection, as crossws hands it to a hook. */
	peer: Peer;
	/** The client side, a ws client. */
	client: WebSocket;
	/** Ends the client, the peer and the server. */
	close(): Promise<void>;
}

/** Resolves with the first peer that opens, once its client is open too. */
export async function openPeer(): Promise<OpenedPeer> {
	let opened!: (peer: Peer) => void;
	const peerOpened = new Promise<Peer>((resolve) => (opened = resolve));
	const ws = crossws({ hooks: { open: (peer) => opened(peer) } });
	const server = createServer();
	server.on('upgrade', (request, socket, head) => ws.handleUpgrade(request, socket, head));
	server.listen(0, '127.0.0.1');
	await once(server, 'listening');
	const { port } = server.address() as AddressInfo;
	const client = new WebSocket(`ws://127.0.0.1:${port}/collab`);
	const close = async () => {
		client.terminate();
		ws.closeAll();
		await new Promise((resolve) => server.close(resolve));
	};
	const [peer] = await Promise.all([peerOpened, once(client, 'open')]);
	return { peer, client, close };
}
