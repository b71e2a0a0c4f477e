import { endpoint, requireUser } from '$lib/server/http/endpoint';

/** Comments on an idle stream keep proxies from closing it. */
const heartbeatMs = 25_000;

/**
 * Server-sent events for the caller's open tabs: `new` when a notification arrives, `read`
 * when another tab marked some read. Hints only; the tab re-reads `GET /api/v1/notifications`.
 */
export const GET = endpoint((event) => {
	const user = requireUser(event);
	const { notifications } = event.locals.ctx;
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
	return new Response(stream, {
		headers: {
			'content-type': 'text/event-stream; charset=utf-8',
			'cache-control': 'no-cache, no-transform',
			'x-accel-buffering': 'no'
		}
	});
});
