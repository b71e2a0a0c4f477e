/**
 * Drops a websocket that stopped reading. Every edit of a board is sent to each of its sockets;
 * what a socket's peer does not read piles up in the server's memory (ws's `bufferedAmount`,
 * once the kernel's buffers are full), and nothing else ever ends such a socket: Hocuspocus's
 * timeout counts only what the peer _sends_, and a client that keeps sending (awareness every
 * 15 s) while reading nothing, on purpose or from a stuck tab, holds the backlog forever. At a
 * busy board's few KiB a second, a few hundred such sockets are gigabytes.
 *
 * The rule: a socket whose unsent backlog is over `limitBytes` must take at least
 * `minDrainPerSecond` × `stallMs` off it in every window of `stallMs` (it is reading, if only
 * slowly), or it is terminated at the end of that window. A client on a slow link that joins a
 * board larger than the limit (its whole document is one frame: 3.2 MB at 5,000 cards) is
 * therefore served for as long as it keeps up 16 KiB/s; a socket under the limit is not
 * watched at all, so a stalled socket holds at most about the limit.
 * Terminated, not closed: a close frame would queue behind the backlog the peer is not reading.
 * The client sees the connection end when it reads again, reconnects and resyncs (a CRDT: what
 * it missed arrives in the sync, what it sent and was not acknowledged it sends again).
 *
 * The check on each send is one property read (`bufferedAmount`: two fields of ws); a timer runs
 * only for a socket over the limit.
 */
import type { WebSocketLike } from '@hocuspocus/server';

/**
 * The slowest reader still served while over the limit: 16 KiB/s, about a 128 kbit/s link. A
 * reader at least this fast keeps up with any board's edits, which arrive at a few KiB/s.
 */
export const minDrainPerSecond = 16 * 1024;

export interface SendBacklogOptions {
	/** Backlog (bytes not yet handed to the kernel) above which a socket must keep draining. */
	limitBytes: number;
	/** Window in which a socket over the limit must drain `minDrainPerSecond`'s worth. */
	stallMs: number;
	/** Told of each socket terminated (its backlog in bytes when it was). */
	onStalled(backlogBytes: number): void;
}

/** The parts of a ws socket the guard reads besides Hocuspocus's `WebSocketLike`. */
interface DrainableSocket extends WebSocketLike {
	readonly bufferedAmount: number;
	terminate(): void;
	once(event: 'close', listener: () => void): unknown;
}

function isDrainable(socket: WebSocketLike): socket is DrainableSocket {
	const candidate = socket as Partial<DrainableSocket>;
	return (
		typeof candidate.bufferedAmount === 'number' &&
		typeof candidate.terminate === 'function' &&
		typeof candidate.once === 'function'
	);
}

/**
 * Wraps `socket` so its sends are watched, or returns it as it is when it cannot be (a socket
 * that is not ws's, which reports no backlog).
 */
export function guardSendBacklog(
	socket: WebSocketLike,
	options: SendBacklogOptions
): WebSocketLike {
	return isDrainable(socket) ? new GuardedSocket(socket, options) : socket;
}

class GuardedSocket implements WebSocketLike {
	readonly #socket: DrainableSocket;
	readonly #options: SendBacklogOptions;
	/** Set while the backlog is over the limit. */
	#timer: NodeJS.Timeout | null = null;
	/** The backlog at the start of the current window, and what was sent since. */
	#mark = 0;
	#sentSinceMark = 0;
	#closeHooked = false;

	constructor(socket: DrainableSocket, options: SendBacklogOptions) {
		this.#socket = socket;
		this.#options = options;
	}

	get readyState(): number {
		return this.#socket.readyState;
	}

	send(data: string | ArrayBufferLike | Blob | ArrayBufferView): void {
		this.#socket.send(data);
		if (this.#timer) {
			this.#sentSinceMark += byteLength(data);
		} else if (this.#socket.bufferedAmount > this.#options.limitBytes) {
			this.#watch();
		}
	}

	close(code?: number, reason?: string): void {
		this.#socket.close(code, reason);
	}

	#watch(): void {
		this.#mark = this.#socket.bufferedAmount;
		this.#sentSinceMark = 0;
		this.#timer = setInterval(() => this.#check(), this.#options.stallMs);
		this.#timer.unref();
		if (!this.#closeHooked) {
			this.#closeHooked = true;
			this.#socket.once('close', () => this.#unwatch());
		}
	}

	#unwatch(): void {
		if (this.#timer) clearInterval(this.#timer);
		this.#timer = null;
	}

	#check(): void {
		const backlog = this.#socket.bufferedAmount;
		const drained = this.#mark + this.#sentSinceMark - backlog;
		if (backlog <= this.#options.limitBytes) {
			this.#unwatch();
		} else if (drained < (minDrainPerSecond * this.#options.stallMs) / 1000) {
			this.#unwatch();
			this.#socket.terminate();
			this.#options.onStalled(backlog);
		} else {
			this.#mark = backlog;
			this.#sentSinceMark = 0;
		}
	}
}

function byteLength(data: string | ArrayBufferLike | Blob | ArrayBufferView): number {
	if (typeof data === 'string') return Buffer.byteLength(data);
	if (data instanceof Blob) return data.size;
	return data.byteLength;
}
