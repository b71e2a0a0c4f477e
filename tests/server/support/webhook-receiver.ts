/** A real HTTP endpoint for webhook tests: records each request and answers as told. */
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Received {
	headers: IncomingHttpHeaders;
	body: string;
	/** The status this receiver answered with. */
	answered: number;
}

export interface Receiver {
	url: string;
	port: number;
	received: Received[];
	/** Answers with this status from now on (a function sees the request number, from 1). */
	answer(status: number | ((n: number) => number)): void;
	/** Stops listening (connections are refused) until `reopen`. */
	close(): Promise<void>;
	reopen(): Promise<void>;
}

export async function startReceiver(): Promise<Receiver> {
	const received: Received[] = [];
	let status: number | ((n: number) => number) = 200;
	let server: Server;
	const listen = (port: number) =>
		new Promise<Server>((resolve, reject) => {
			const s = createServer((req, res) => {
				const chunks: Buffer[] = [];
				req.on('data', (chunk: Buffer) => chunks.push(chunk));
				req.on('end', () => {
					const answered = typeof status === 'function' ? status(received.length + 1) : status;
					received.push({
						headers: req.headers,
						body: Buffer.concat(chunks).toString('utf8'),
						answered
					});
					res.writeHead(answered).end();
				});
			});
			s.once('error', reject);
			s.listen(port, '127.0.0.1', () => resolve(s));
		});
	server = await listen(0);
	const port = (server.address() as AddressInfo).port;
	return {
		url: `http://127.0.0.1:${port}/hook`,
		port,
		received,
		answer(next) {
			status = next;
		},
		close: () =>
			new Promise<void>((resolve) => {
				server.close(() => resolve());
				server.closeAllConnections();
			}),
		async reopen() {
			server = await listen(port);
		}
	};
}
