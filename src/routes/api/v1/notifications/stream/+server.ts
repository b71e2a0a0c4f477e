import { endpoint, requireUser } from '$lib/server/http/endpoint';
import { ApiError } from '$lib/server/http/problem';

/** Comments on an idle stream keep proxies from closing it. */
const heartbeatMs = 25_000;

/**
 * Streams one user may hold open on an instance: a tab each, so far more than anyone keeps
 * open. Without a bound, one token could open streams until the process ran out of file
 * descriptors (800 were accepted in a probe). Refused, not the oldest ended: a tab whose stream
 * was ended reconnects by itself, and would end another's in turn.
 */
const maxStreamsPerUser = 32;

/** The 33rd stream, for GET and for a HEAD asking whether a stream would be taken. */
function refuseOverCap(open: number): void {
	if (open < maxStreamsPerUser) return;
	throw new ApiError(
		429,
		`You have ${maxStreamsPerUser} notification streams open already; close some tabs.`,
		{ headers: { 'retry-after': '60' } }
	);
}

const streamHeaders = {
	'content-type': 'text/event-stream; charset=utf-8',
	'cache-control': 'no-cache, no-transform',
	'x-accel-buffering': 'no'
};

/**
 * Server-sent events for the caller's open tabs: `new` when a notification arrives, `read`
 * when another tab marked some read. Hints only; the tab re-reads `GET /api/v1/notifications`.
 */
export const GET = endpoint((event) => {
	const user = requireUser(event);
	const { notifications } = event.locals.ctx;
	refuseOverCap(notifications.streamsOf(user.id));
	const encoder = new TextEncoder();
	let stop = () => {};
	const stream = new ReadableStream<Uint8Array>({
		start(controller) {
			const send = (text: string) => {
				try {
					controller.enqueue(encoder.encode(text));
				} catch {
					stop();
				}
			};
			const unsubscribe = notifications.subscribe(
				{ userId: user.id, sessionId: event.locals.session?.id ?? null },
				(signal) => send(`event: ${signal.reason}\ndata: {}\n\n`),
				() => {
					stop();
					controller.close();
				}
			);
			const heartbeat = setInterval(() => send(': keep-alive\n\n'), heartbeatMs);
			stop = () => {
				clearInterval(heartbeat);
				unsubscribe();
			};
			// `retry`: reconnect soon after a restart; `ready` tells the tab to catch up on anything
			// it missed while disconnected.
			send('retry: 2000\nevent: ready\ndata: {}\n\n');
		},
		cancel() {
			stop();
		}
	});
	return new Response(stream, { headers: streamHeaders });
});

/**
 * Kit answers HEAD with GET's response minus the body, so a HEAD held a stream, and one of the
 * caller's slots, open until the client closed its socket (a keep-alive monitor could pin them).
 */
export const HEAD = endpoint((event) => {
	const user = requireUser(event);
	refuseOverCap(event.locals.ctx.notifications.streamsOf(user.id));
	return new Response(null, { headers: streamHeaders });
});
