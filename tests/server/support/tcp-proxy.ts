/**
 * A loopback TCP forwarder that a test can cut and restore, to take a real server away from the
 * app (and give it back on the same port) without stopping the server other test files use.
 */
import { connect, createServer, type Server, type Socket } from 'node:net';

export interface TcpProxy {
	port: number;
	/** Closes the listener and every forwarded connection: the target looks down. */
	cut(): Promise<void>;
	/** Listens again on the same port (nothing to do while listening). */
	restore(): Promise<void>;
	close(): Promise<void>;
}

export async function startTcpProxy(targetHost: string, targetPort: number): Promise<TcpProxy> {
	const sockets = new Set<Socket>();
	let server: Server | null = null;
	let port = 0;

	async function listen(): Promise<void> {
		const s = createServer((incoming) => {
			const outgoing = connect(targetPort, targetHost);
			for (const socket of [incoming, outgoing]) {
				sockets.add(socket);
				socket.on('close', () => sockets.delete(socket));
				socket.on('error', () => {
					incoming.destroy();
					outgoing.destroy();
				});
			}
			incoming.pipe(outgoing);
			outgoing.pipe(incoming);
		});
		await new Promise<void>((resolve, reject) => {
			s.once('error', reject);
			s.listen(port, '127.0.0.1', () => resolve());
		});
		const address = s.address();
		port = typeof address === 'object' && address ? address.port : port;
		server = s;
	}

	async function cut(): Promise<void> {
		const s = server;
		server = null;
		for (const socket of sockets) socket.destroy();
		if (s) await new Promise<void>((resolve) => s.close(() => resolve()));
	}

	await listen();
	return {
		get port() {
			return port;
		},
		cut,
		restore: () => (server ? Promise.resolve() : listen()),
		close: cut
	};
}
