/**
 * Drops a websocket that stopped reading. Every edit of a board is sent to each of its sockets;
 * what a socket's peer does not read piles up in the server's memory once the kernel's buffers
 * are full, and nothing else ends such a socket while its peer keeps sending: Hocuspocus's
 * timeout and crossws's idle sweep count only what the peer sends, and a client that sends
 * awareness every 15 s while reading nothing, on purpose or from a stuck tab, held a growing
 * backlog for good. At a busy board's few KiB a second, a few hundred such sockets are gigabytes.
 *
 * Two rules, both against `limitBytes`:
 * - more than the limit unsent (the rest of the write in progress included): the peer must take
 *   at least `minDrainPerSecond` × `stallMs` off it in every window of `stallMs`, or the socket
 *   is terminated at the end of the window. A board's join is one frame (3.2 MB at 5,000
 *   cards), so a slow link that keeps reading still gets a board larger than the limit.
 * - more than four limits waiting _behind_ the write in progress when a frame is to be sent: the
 *   socket is terminated at once, a backstop on memory before the window ends. A socket holds
 *   at most the write in progress, four limits and one frame.
 * Progress is what the kernel has accepted, which moves with every partial write; ws's
 * `bufferedAmount` counts a frame as unsent until all of it is written, so a slow reader of one
 * large frame looked stalled.
 *
 * Terminated, not closed: a close frame would queue behind the backlog the peer is not reading.
 * The client sees the connection end when it reads again, reconnects and resyncs (a CRDT: what
 * it missed arrives in the sync, what it sent and was not acknowledged it sends again). The
 * check on each send reads a few fields; a timer runs only for a socket over the limit.
 */
import type { WebSocketLike } from '@hocuspocus/server';

/**
 * The slowest reader still served while over the limit: 16 KiB/s, about a 128 kbit/s link. A
 * reader at least this fast keeps up with any board's edits, which arrive at a few KiB/s.
 */
export const minDrainPerSecond = 16 * 1024;

/** Why a socket was dropped: too much waiting behind its write, or too little read in a window. */
export type StallReason = 'behind' | 'stalled';

export interface SendBacklogOptions {
	/** Bytes behind the write in progress, or unsent in all, above which the rules apply. */
	limitBytes: number;
	/** Window in which a socket over the limit must drain `minDrainPerSecond`'s worth. */
	stallMs: number;
	/** Told of each socket terminated, with its unsent bytes at the time. */
	onStalled(backlogBytes: number, reason: StallReason): void;
}

/** What a socket has not yet handed to the kernel. */
export interface Backlog {
	/** Bytes waiting behind the write in progress. */
	queued(): number;
	/** Bytes the kernel has not accepted: `queued` and what is left of the write in progress. */
	unsent(): number;
}

/** The parts of a ws socket the guard uses besides Hocuspocus's `WebSocketLike`. */
interface WsSocket extends WebSocketLike {
	terminate(): void;
	once(event: 'close', listener: () => void): unknown;
}

interface NodeWriteState {
	length: number;
	writing: boolean;
	writelen: number;
}

/**
 * The backlog of a ws socket, read from private fields of ws (`_socket`, `_sender._bufferedBytes`)
 * and of Node (`_writableState`, the libuv handle's `writeQueueSize`, which falls with every
 * partial write). Null when they are not there, so an upgrade that moves them turns the guard
 * off instead of misreading it; send-backlog.spec.ts pins them on a real crossws socket.
 */
export function wsBacklog(socket: unknown): Backlog | null {
	const ws = socket as {
		_socket?: { _writableState?: Partial<NodeWriteState>; _handle?: { writeQueueSize?: unknown } };
		_sender?: { _bufferedBytes?: unknown };
	};
	const state = ws._socket?._writableState;
	if (
		typeof state?.length !== 'number' ||
		typeof state.writing !== 'boolean' ||
		typeof state.writelen !== 'number' ||
		typeof ws._sender?._bufferedBytes !== 'number'
	) {
		return null;
	}
	const node = ws._socket!;
	const sender = ws._sender as { _bufferedBytes: number };
	const writeState = state as NodeWriteState;
	const queued = () =>
		sender._bufferedBytes + writeState.length - (writeState.writing ? writeState.writelen : 0);
	return {
		queued,
		unsent: () => {
			if (!writeState.writing) return queued();
			const inProgress = node._handle?.writeQueueSize;
			return queued() + (typeof inProgress === 'number' ? inProgress : 0);
		}
	};
}

function isWsSocket(socket: WebSocketLike): socket is WsSocket {
	const candidate = socket as Partial<WsSocket>;
	return typeof candidate.terminate === 'function' && typeof candidate.once === 'function';
}

/**
 * Wraps `socket` so its sends are watched, or returns it as it is when it cannot be (not a ws
 * socket, or one whose backlog cannot be read). `backlogOf` is for specs.
 */
export function guardSendBacklog(
	socket: WebSocketLike,
	options: SendBacklogOptions,
	backlogOf: (socket: WebSocketLike) => Backlog | null = wsBacklog
): WebSocketLike {
	const backlog = isWsSocket(socket) ? backlogOf(socket) : null;
	return backlog ? new GuardedSocket(socket as WsSocket, backlog, options) : socket;
}

const open = 1;
/**
 * How many limits' worth may wait behind the write in progress before a socket is dropped at
 * once. What waits there goes out as one write when the current one ends, so it measures a
 * burst, not how far behind the peer is: a peer reading at a normal speed meets a burst of
 * several large frames (an import, the catch-up after a Redis outage); the rate rule is what
 * finds slow readers. This is the backstop on memory before a window ends.
 */
const behindFactor = 4;

class GuardedSocket implements WebSocketLike {
	readonly #socket: WsSocket;
	readonly #backlog: Backlog;
	readonly #options: SendBacklogOptions;
	/** Set while the unsent backlog is over the limit. */
	#timer: NodeJS.Timeout | null = null;
	/** The unsent backlog at the start of the current window, and what was sent since. */
	#mark = 0;
	#sentSinceMark = 0;
	#closeHooked = false;

	constructor(socket: WsSocket, backlog: Backlog, options: SendBacklogOptions) {
		this.#socket = socket;
		this.#backlog = backlog;
		this.#options = options;
	}

	get readyState(): number {
		return this.#socket.readyState;
	}

	send(data: string | ArrayBufferLike | Blob | ArrayBufferView): void {
		// Checked before this frame is queued, so one frame of any size always goes.
		if (this.#backlog.queued() > this.#options.limitBytes * behindFactor) {
			this.#drop(this.#backlog.unsent(), 'behind');
			return;
		}
		this.#socket.send(data);
		if (this.#timer) {
			this.#sentSinceMark += byteLength(data);
		} else if (this.#backlog.unsent() > this.#options.limitBytes) {
			this.#watch();
		}
	}

	close(code?: number, reason?: string): void {
		this.#socket.close(code, reason);
	}

	#watch(): void {
		this.#mark = this.#backlog.unsent();
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
		const unsent = this.#backlog.unsent();
		const drained = this.#mark + this.#sentSinceMark - unsent;
		if (unsent <= this.#options.limitBytes || this.#socket.readyState !== open) {
			this.#unwatch();
		} else if (drained < (minDrainPerSecond * this.#options.stallMs) / 1000) {
			this.#drop(unsent, 'stalled');
		} else {
			this.#mark = unsent;
			this.#sentSinceMark = 0;
		}
	}

	#drop(unsent: number, reason: StallReason): void {
		this.#unwatch();
		// A socket already closing (revoked, over its rate budget) is not counted as stalled.
		if (this.#socket.readyState !== open) return;
		this.#socket.terminate();
		this.#options.onStalled(unsent, reason);
	}
}

function byteLength(data: string | ArrayBufferLike | Blob | ArrayBufferView): number {
	if (typeof data === 'string') return Buffer.byteLength(data);
	if (data instanceof Blob) return data.size;
	return data.byteLength;
}
