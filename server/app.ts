/**
 * One http server, one port: SvelteKit for HTTP, Hocuspocus for websocket upgrades on /collab
 * (its own protocol) and /yjs (the y-websocket protocol onto the same documents).
 */
import { createServer, IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { maxImportBodyBytes } from '#lib/server/import-rows.ts';
import { runWithContext } from '#lib/server/context.ts';
import { oversizedBodyHeader } from '#lib/server/http/handles/oversized-body.ts';
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

const isImport = (req: IncomingMessage) => (req.url ?? '').split('?')[0] === importsPath;

/**
 * The adapter's limit is raised for imports only: a body declared larger than the default on
 * any other route (form actions included) is refused here, unread, as before.
 */
function overDefaultBodyLimit(req: IncomingMessage): boolean {
	const declared = Number(req.headers['content-length'] ?? 0);
	return declared > defaultBodyLimit && !isImport(req);
}

/** A body whose length is not declared (chunked): only the stream itself can tell its size. */
function undeclaredBody(req: IncomingMessage): boolean {
	return (
		req.headers['content-length'] === undefined && req.headers['transfer-encoding'] !== undefined
	);
}

/**
 * A chunked body on a route other than imports, read here and counted as it arrives (the
 * adapter would allow it the imports' limit): null as soon as it passes the default limit,
 * otherwise the same request with the body read and its length declared, for SvelteKit to
 * read as usual. Bodies of that size are buffered by whoever reads them anyway.
 */
function readUndeclaredBody(req: IncomingMessage): Promise<IncomingMessage | null> {
	return new Promise((resolve, reject) => {
		const chunks: Buffer[] = [];
		let size = 0;
		const stop = () => {
			req.off('data', onData);
			req.off('end', onEnd);
			req.off('error', onError);
		};
		const onData = (chunk: Buffer) => {
			size += chunk.byteLength;
			if (size <= defaultBodyLimit) return void chunks.push(chunk);
			// The rest flows on unread (a stream keeps flowing without listeners); the answer
			// closes the connection.
			stop();
			resolve(null);
		};
		const onEnd = () => {
			stop();
			resolve(withBody(req, Buffer.concat(chunks)));
		};
		const onError = (error: Error) => {
			stop();
			reject(error);
		};
		req.on('data', onData);
		req.on('end', onEnd);
		req.on('error', onError);
	});
}

/** `req` as received, but with `body` as its (declared-length) body. */
function withBody(req: IncomingMessage, body: Buffer): IncomingMessage {
	const copy = new IncomingMessage(req.socket);
	copy.method = req.method;
	copy.url = req.url;
	copy.httpVersion = req.httpVersion;
	copy.httpVersionMajor = req.httpVersionMajor;
	copy.httpVersionMinor = req.httpVersionMinor;
	const headers = { ...req.headers, 'content-length': String(body.byteLength) };
	delete headers['transfer-encoding'];
	copy.headers = headers;
	copy.rawHeaders = Object.entries(headers).flatMap(([name, value]) =>
		(Array.isArray(value) ? value : [value ?? '']).flatMap((v) => [name, v])
	);
	copy.push(body);
	copy.push(null);
	copy.complete = true;
	return copy;
}

/**
 * `req` without its body, marked for the `oversizedBodies` handle to refuse. The body is left
 * unread on the connection, which closes after the answer (reading it would take as long as the
 * client cares to send).
 */
function refusingBody(req: IncomingMessage, res: ServerResponse): IncomingMessage {
	const copy = withBody(req, Buffer.alloc(0));
	copy.headers[oversizedBodyHeader] = String(defaultBodyLimit);
	copy.rawHeaders.push(oversizedBodyHeader, String(defaultBodyLimit));
	res.setHeader('connection', 'close');
	return copy;
}

export async function startApp(
	options: RuntimeOptions & { handler?: RequestHandler }
): Promise<App> {
	const { config } = options;
	const ownsProtocolHeader = configureAdapterEnv(config.origin);
	// Board imports take exports of several MB; every other route keeps the default (declared
	// lengths checked above, chunked bodies counted as they stream), so raising the adapter's
	// ceiling (read once, at import) widens only imports.
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
		// Only this server says a body was refused.
		delete req.headers[oversizedBodyHeader];
		const serve = (request: IncomingMessage) =>
			runWithContext(runtime.ctx, () => handler(request, res));
		if (overDefaultBodyLimit(req)) return serve(refusingBody(req, res));
		if (undeclaredBody(req) && !isImport(req)) {
			readUndeclaredBody(req).then(
				(read) => serve(read ?? refusingBody(req, res)),
				() => res.destroy()
			);
			return;
		}
		serve(req);
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
