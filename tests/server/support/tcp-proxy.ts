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
	/**
	 * Cuts, then listens and ends every connection at once: the target looks down, and
	 * `refused` counts the attempts (a cut listener refuses them in the kernel, unseen).
	 */
	refuse(): Promise<void>;
	/** Connections ended by `refuse` so far. */
	readonly refused: number;
	close(): Promise<void>;
}

export async function startTcpProxy(targetHost: string, targetPort: number): Promise<TcpProxy> {
	const sockets = new Set<Socket>();
	let server: Server | null = null;
	let port = 0;
	let refused = 0;
	let refusing = false;

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

	async function refuse(): Promise<void> {
		await cut();
		const s = createServer((incoming) => {
			refused += 1;
			incoming.destroy();
		});
		await new Promise<void>((resolve, reject) => {
			s.once('error', reject);
			s.listen(port, '127.0.0.1', () => resolve());
		});
		server = s;
		refusing = true;
	}

	await listen();
	return {
		get port() {
			return port;
		},
		get refused() {
			return refused;
		},
		cut,
		refuse,
		restore: async () => {
			if (server && !refusing) return;
			await cut();
			refusing = false;
			await listen();
		},
		close: cut
	};
}
