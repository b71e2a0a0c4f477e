/** One http server, one port: SvelteKit for HTTP, Hocuspocus for websocket upgrades on /collab. */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { runWithContext } from '#lib/server/context.ts';
import { securityHeaderValues } from '#lib/server/http/handles/security-headers.ts';
import { collabPath } from './collab.ts';
import { clientAddressHeader } from './events/attribution.ts';
import { startRuntime, type Runtime, type RuntimeOptions } from './runtime.ts';

export type RequestHandler = (req: IncomingMessage, res: ServerResponse, next?: () => void) => void;

export interface App {
	runtime: Runtime;
	server: Server;
	/** http://host:port as bound (useful with port 0). */
	url: string;
	close(timeoutMs?: number): Promise<void>;
}

/** SvelteKit's built handler, loaded lazily so tests and tools can import this module without a build. */
export async function loadBuiltHandler(): Promise<RequestHandler> {
	const url = new URL('../build/handler.js', import.meta.url);
	const mod = (await import(url.href)) as { handler: RequestHandler };
	return mod.handler;
}

/**
 * adapter-node assumes https unless told otherwise, which would mark cookies Secure and fail
 * SvelteKit's form CSRF check on plain http. Without ORIGIN we report the protocol the socket
 * really uses, through a header name only we set (any client-sent value is overwritten).
 */
const protocolHeader = 'x-taskflow-protocol';
function configureAdapterEnv(origin: string | null): boolean {
	if (origin) {
		process.env.ORIGIN = origin;
		return false;
	}
	// A second app in this process (a restart, or tests running two) finds our own header set
	// already and must keep filling it: adapter-node read the variable once, at import.
	if (process.env.PROTOCOL_HEADER && process.env.PROTOCOL_HEADER !== protocolHeader) return false;
	process.env.PROTOCOL_HEADER = protocolHeader;
	return true;
}

export async function startApp(
	options: RuntimeOptions & { handler?: RequestHandler }
): Promise<App> {
	const { config } = options;
	const ownsProtocolHeader = configureAdapterEnv(config.origin);
	const handler = options.handler ?? (await loadBuiltHandler());
	const runtime = await startRuntime(options);
	const server = createServer((req, res) => {
		// adapter-node serves static files before SvelteKit's hooks run: the headers every answer
		// carries are set here first (the hooks set the same values on dynamic answers).
		for (const [name, value] of Object.entries(securityHeaderValues)) res.setHeader(name, value);
		if (ownsProtocolHeader) {
			req.headers[protocolHeader] =
				'encrypted' in req.socket && req.socket.encrypted ? 'https' : 'http';
		}
		runWithContext(runtime.ctx, () => handler(req, res));
	});
	server.on('upgrade', (req, socket, head) => {
		const path = (req.url ?? '').split('?')[0];
		if (path === collabPath || path?.startsWith(`${collabPath}/`)) {
			// The websocket request as Hocuspocus sees it has no socket: carry the peer address
			// for the audit log's metadata, replacing anything a client sent under that name.
			req.headers[clientAddressHeader] = req.socket.remoteAddress ?? '';
			runtime.collab.handleUpgrade(req, socket, head);
		} else {
			socket.destroy();
		}
	});
	await new Promise<void>((resolve, reject) => {
		server.once('error', reject);
		server.listen(config.port, config.host, () => resolve());
	});
	const address = server.address() as AddressInfo;
	const host = config.host === '0.0.0.0' || config.host === '::' ? 'localhost' : config.host;
	let closing: Promise<void> | null = null;
	return {
		runtime,
		server,
		url: `http://${host.includes(':') ? `[${host}]` : host}:${address.port}`,
		close(timeoutMs = 8000) {
			closing ??= (async () => {
				// Stop accepting first, then let documents flush before the pools go away.
				server.close();
				await runtime.close(timeoutMs);
				server.closeAllConnections();
			})();
			return closing;
		}
	};
}
