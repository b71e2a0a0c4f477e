/**
 * One http server, one port: SvelteKit for HTTP, Hocuspocus for websocket upgrades on /collab
 * (its own protocol) and /yjs (the y-websocket protocol onto the same documents).
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { maxImportBodyBytes } from '#lib/server/import-rows.ts';
import { runWithContext } from '#lib/server/context.ts';
import { securityHeaderValues } from '#lib/server/http/handles/security-headers.ts';
import { collabPath } from './collab.ts';
import { clientAddressHeader } from './events/attribution.ts';
import { isMetricsRequest, serveMetrics } from './metrics-endpoint.ts';
import { startRuntime, type Runtime, type RuntimeOptions } from './runtime.ts';
import { isYWebsocketPath } from './y-websocket.ts';

export type RequestHandler = (req: IncomingMessage, res: ServerResponse, next?: () => void) => void;

export interface App {
	runtime: Runtime;
	server: Server;
	/** http://host:port as bound (useful with port 0). */
	url: string;
	/** The separate metrics listener's http://host:port (METRICS_PORT), or null. */
	metricsUrl: string | null;
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

/** adapter-node's default body limit, kept for every route but board imports. */
const defaultBodyLimit = 512 * 1024;
const importsPath = '/api/v1/imports';

/**
 * The adapter's limit is raised for imports only: a body declared larger than the default on
 * any other route (form actions included) is refused here, unread, as before. (A chunked body
 * with no declared length meets readJson's own limit on API routes.)
 */
function overDefaultBodyLimit(req: IncomingMessage): boolean {
	const declared = Number(req.headers['content-length'] ?? 0);
	return declared > defaultBodyLimit && (req.url ?? '').split('?')[0] !== importsPath;
}

function refuseLargeBody(res: ServerResponse): void {
	res.writeHead(413, { 'content-type': 'application/problem+json', connection: 'close' });
	res.end(
		JSON.stringify({
			type: 'about:blank',
			title: 'Content Too Large',
			status: 413,
			detail: `The body is larger than ${defaultBodyLimit} bytes.`
		})
	);
}

export async function startApp(
	options: RuntimeOptions & { handler?: RequestHandler }
): Promise<App> {
	const { config } = options;
	const ownsProtocolHeader = configureAdapterEnv(config.origin);
	// Board imports take exports of several MB; every other route keeps its own smaller limit
	// (readJson's), so raising the adapter's ceiling (read once, at import) widens only imports.
	process.env.BODY_SIZE_LIMIT ??= String(maxImportBodyBytes);
	const handler = options.handler ?? (await loadBuiltHandler());
	const runtime = await startRuntime(options);
	const { metrics, log } = runtime.ctx;
	const metricsHandler = metrics
		? serveMetrics({ metrics, token: config.metricsToken, log })
		: null;
	// On the app's port only when no separate port is configured (then only with the token).
	const metricsHere = config.metricsPort === null ? metricsHandler : null;
	const server = createServer((req, res) => {
		// adapter-node serves static files before SvelteKit's hooks run: the headers every answer
		// carries are set here first (the hooks set the same values on dynamic answers).
		for (const [name, value] of Object.entries(securityHeaderValues)) res.setHeader(name, value);
		if (ownsProtocolHeader) {
			req.headers[protocolHeader] =
				'encrypted' in req.socket && req.socket.encrypted ? 'https' : 'http';
		}
		if (metricsHere && isMetricsRequest(req)) return metricsHere(req, res);
		if (overDefaultBodyLimit(req)) return refuseLargeBody(res);
		runWithContext(runtime.ctx, () => handler(req, res));
	});
	server.on('upgrade', (req, socket, head) => {
		const path = (req.url ?? '').split('?')[0];
		if (path === collabPath || path?.startsWith(`${collabPath}/`) || isYWebsocketPath(path ?? '')) {
			// The websocket request as Hocuspocus sees it has no socket: carry the peer address
			// for the audit log's metadata, replacing anything a client sent under that name.
			req.headers[clientAddressHeader] = req.socket.remoteAddress ?? '';
			runtime.collab.handleUpgrade(req, socket, head);
		} else {
			socket.destroy();
		}
	});
	const metricsServer =
		metricsHandler && config.metricsPort !== null
			? createServer((req, res) => {
					if (isMetricsRequest(req)) metricsHandler(req, res);
					else res.writeHead(404).end();
				})
			: null;
	const urlOf = (bound: Server, bind: string) => {
		const host = bind === '0.0.0.0' || bind === '::' ? 'localhost' : bind;
		return `http://${host.includes(':') ? `[${host}]` : host}:${(bound.address() as AddressInfo).port}`;
	};
	await listen(server, config.port, config.host);
	if (metricsServer) await listen(metricsServer, config.metricsPort!, config.metricsHost);
	let closing: Promise<void> | null = null;
	return {
		runtime,
		server,
		url: urlOf(server, config.host),
		metricsUrl: metricsServer ? urlOf(metricsServer, config.metricsHost) : null,
		close(timeoutMs = 8000) {
			closing ??= (async () => {
				// Stop accepting first, then let documents flush before the pools go away.
				server.close();
				metricsServer?.close();
				metricsServer?.closeAllConnections();
				await runtime.close(timeoutMs);
				server.closeAllConnections();
			})();
			return closing;
		}
	};
}

function listen(server: Server, port: number, host: string): Promise<void> {
	return new Promise<void>((resolve, reject) => {
		server.once('error', reject);
		server.listen(port, host, () => resolve());
	});
}
