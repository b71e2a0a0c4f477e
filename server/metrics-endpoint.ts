/**
 * `GET /metrics` for Prometheus. Never public by default: with METRICS_PORT it is served only on
 * that separate listener (which a deployment keeps off the public network), and with
 * METRICS_TOKEN only to a request bearing that token; with neither, metrics are off and the app
 * answers 404 as for any unknown path.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from '#lib/server/log.ts';
import type { Metrics } from '#lib/server/metrics/metrics.ts';

export const metricsPath = '/metrics';

const digest = (value: string) => createHash('sha256').update(value).digest();

/**
 * Compares digests of equal length, so neither the token's content nor its length shows in the
 * time an answer takes.
 */
export function bearerMatches(header: string | undefined, expected: string): boolean {
	const match = /^Bearer\s+(\S+)\s*$/i.exec(header ?? '');
	return timingSafeEqual(digest(match?.[1] ?? ''), digest(expected)) && match !== null;
}

export function isMetricsRequest(req: IncomingMessage): boolean {
	return (req.url ?? '').split('?')[0] === metricsPath;
}

/** Answers a request for `/metrics` (the caller checked the path). */
export function serveMetrics(options: {
	metrics: Metrics;
	token: string | null;
	log: Logger;
}): (req: IncomingMessage, res: ServerResponse) => void {
	const { metrics, token, log } = options;
	return (req, res) => {
		if (req.method !== 'GET' && req.method !== 'HEAD') {
			res.writeHead(405, { allow: 'GET, HEAD' }).end();
			return;
		}
		if (token !== null && !bearerMatches(req.headers.authorization, token)) {
			res.writeHead(401, { 'www-authenticate': 'Bearer realm="metrics"' }).end();
			return;
		}
		metrics.expose().then(
			(body) => {
				res.writeHead(200, { 'content-type': metrics.contentType, 'cache-control': 'no-store' });
				res.end(req.method === 'HEAD' ? undefined : body);
			},
			(error: unknown) => {
				log.error({ err: error }, 'metrics: exposition failed');
				res.writeHead(500).end();
			}
		);
	};
}
