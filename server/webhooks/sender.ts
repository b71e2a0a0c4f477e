/**
 * One HTTP POST of a delivery. The target's name is resolved here and every address it gives
 * is checked (address-policy.ts) before connecting, and the socket connects to the address that
 * was checked: a name cannot pass the check and then resolve to somewhere private.
 * Redirects are not followed (a redirect to a private address would bypass the check).
 */
import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import { request as httpRequest, type RequestOptions } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { isIP, type LookupFunction } from 'node:net';
import { isForbiddenAddress } from '#lib/server/webhooks/address-policy.ts';

export interface SendResult {
	/** Null when no HTTP answer arrived (refused address, timeout, connection error). */
	status: number | null;
	durationMs: number;
	/** Why it failed; null on a 2xx. */
	error: string | null;
}

export interface SendOptions {
	allowPrivate: boolean;
	timeoutMs: number;
}

// The address itself stays out: the delivery log is shown to board owners, and naming what an
// internal host name resolves to would map the private network for them.
const refusedText =
	'refused: the target resolves to a private or reserved address (WEBHOOK_ALLOW_PRIVATE)';

/** A `lookup` for http.request that refuses forbidden addresses after resolving. */
function vettedLookup(allowPrivate: boolean): LookupFunction {
	return (hostname, options, callback) => {
		dnsLookup(hostname, { ...options, all: true }, (error, addresses: LookupAddress[]) => {
			if (error) return callback(error, '', 0);
			const bad = allowPrivate ? undefined : addresses.find((a) => isForbiddenAddress(a.address));
			if (bad) return callback(new Error(refusedText), '', 0);
			if (options.all)
				return (callback as unknown as (e: null, a: LookupAddress[]) => void)(null, addresses);
			const first = addresses[0];
			if (!first) return callback(new Error(`${hostname} has no address`), '', 0);
			callback(null, first.address, first.family);
		});
	};
}

export function postDelivery(
	url: string,
	body: string,
	headers: Record<string, string>,
	options: SendOptions
): Promise<SendResult> {
	const started = performance.now();
	const elapsed = () => Math.round(performance.now() - started);
	let target: URL;
	try {
		target = new URL(url);
	} catch {
		return Promise.resolve({ status: null, durationMs: 0, error: 'invalid URL' });
	}
	const host = target.hostname.replace(/^\[|\]$/g, '');
	// A literal address never reaches `lookup`.
	if (isIP(host) && !options.allowPrivate && isForbiddenAddress(host)) {
		return Promise.resolve({ status: null, durationMs: 0, error: refusedText });
	}
	const send = target.protocol === 'https:' ? httpsRequest : httpRequest;
	const requestOptions: RequestOptions = {
		method: 'POST',
		headers: { ...headers, 'content-length': String(Buffer.byteLength(body)) },
		lookup: vettedLookup(options.allowPrivate),
		timeout: options.timeoutMs,
		// No pooled sockets: each delivery resolves and checks the name again.
		agent: false
	};
	return new Promise((resolve) => {
		let settled = false;
		const finish = (result: SendResult) => {
			if (settled) return;
			settled = true;
			clearTimeout(deadline);
			resolve(result);
		};
		const req = send(target, requestOptions, (res) => {
			const status = res.statusCode ?? 0;
			// The body is not needed; reading it lets the connection finish cleanly.
			res.resume();
			res.on('end', () =>
				finish({
					status,
					durationMs: elapsed(),
					error: status >= 200 && status < 300 ? null : `HTTP ${status}`
				})
			);
			res.on('error', (error) => finish({ status, durationMs: elapsed(), error: error.message }));
		});
		// `timeout` covers an idle socket; this covers a receiver that trickles its answer.
		const deadline = setTimeout(
			() => req.destroy(new Error(`no answer within ${options.timeoutMs} ms`)),
			options.timeoutMs
		);
		req.on('timeout', () => req.destroy(new Error(`no answer within ${options.timeoutMs} ms`)));
		req.on('error', (error) =>
			finish({ status: null, durationMs: elapsed(), error: error.message || String(error) })
		);
		req.end(body);
	});
}
