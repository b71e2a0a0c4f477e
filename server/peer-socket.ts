/**
 * The socket Hocuspocus writes to, for a crossws peer. `peer.websocket` is a Proxy over the
 * `ws` socket (crossws adds fallbacks for `protocol`, `extensions` and `url`), and ws's `send`
 * runs with that proxy as `this`: every field it reads while framing a message goes through the
 * proxy's trap. At 20 clients a board each edit is sent 19 times, and the trap was a steady
 * slice of the server's CPU at load (docs/performance.md, "Fourth pass"). Hocuspocus (and our
 * extensions, closing a socket) only use `send`, `close` and `readyState`, which the ws socket has
 * itself, so it gets the socket under the proxy.
 */
import type { WebSocketLike } from '@hocuspocus/server';
import type { Peer } from 'crossws';

/**
 * The ws socket of a peer of crossws's node adapter (its protected `_internal.ws`; the lockfile
 * fixes crossws's version, and peer-socket.spec.ts fails if an upgrade moves it), else the
 * peer's own `websocket`, so another adapter still works.
 */
export function peerSocket(peer: Peer): WebSocketLike {
	const internal = (peer as unknown as { _internal?: { ws?: unknown } })._internal;
	const ws = internal?.ws;
	if (isWebSocketLike(ws)) return ws;
	return peer.websocket as unknown as WebSocketLike;
}

function isWebSocketLike(value: unknown): value is WebSocketLike {
	return (
		typeof value === 'object' &&
		value !== null &&
		typeof (value as WebSocketLike).send === 'function' &&
		typeof (value as WebSocketLike).close === 'function' &&
		typeof (value as WebSocketLike).readyState === 'number'
	);
}
