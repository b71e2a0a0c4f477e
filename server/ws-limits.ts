/**
 * Per-socket limits on the collaboration websocket, enforced before Hocuspocus sees a frame:
 * an authentication deadline, a cap on unauthenticated sockets per client address, and a
 * message and byte budget per socket (token buckets). Hocuspocus 4.7 already bounds what an
 * unauthenticated socket may queue (5 MiB, 1,000 messages, 100 documents) and closes it after
 * its `timeout` (60 s, measured from the open), but that timeout is also the idle timeout of
 * authenticated sockets, so it cannot be made short; and it has no rate limit at all.
 *
 * Also how many boards a socket may open and one user may hold open on this instance: a loaded
 * board stays in memory while any connection holds it, and nothing else bounded that. One
 * socket opened a user's 39 boards (60,000 cards) in 5 s and the process grew by 660 MB; a
 * user can make boards as fast as the API's rate limit allows (hostile probe, 2026-12-07).
 */
import type { Extension, onAuthenticatePayload, onDisconnectPayload } from '@hocuspocus/server';

export interface WsLimitsOptions {
	/** A socket that has not authenticated any document this long after opening is closed. */
	authTimeoutMs: number;
	/** Unauthenticated sockets at once per client address; more are closed at once. */
	maxPendingPerAddress: number;
	/** Sustained messages per second per socket, and the burst allowed above it. */
	messageRate: number;
	messageBurst: number;
	/** Sustained bytes per second per socket, and the burst allowed above it. */
	byteRate: number;
	byteBurst: number;
	/** Boards one socket may open (the browser opens one; a multiplexing client several). */
	maxDocumentsPerSocket?: number;
	/** Distinct boards one user may hold open on this instance, over all their sockets. */
	maxBoardsPerUser?: number;
}

/** Refusal reasons (`authenticationFailed`) when a socket or a user holds too many boards. */
export const tooManyDocuments = 'too-many-documents';
export const tooManyBoards = 'too-many-boards';

/** One connection's hold on a board (`admitBoard`), given back when it closes (or its socket does). */
export interface Admission {
	release(): void;
}

/** Close codes (4xxx: application-defined, numbered after their HTTP kin). */
export const authTimeout = { code: 4408, reason: 'Authentication timeout' };
export const tooManyPending = { code: 4429, reason: 'Too many unauthenticated connections' };
export const overBudget = { code: 4429, reason: 'Rate limit exceeded' };
/**
 * The connection could not be checked (the database is out of reach): 1013 "try again later".
 * Both providers reconnect after a close like this; a refusal instead would be final (the
 * Hocuspocus provider reports "no access" and never asks again, y-websocket stops at 44xx).
 */
export const tryAgainLater = { code: 1013, reason: 'unavailable' };

/** A token bucket refilled continuously; `take` fails without taking when it would go negative. */
class Bucket {
	readonly #rate: number;
	readonly #burst: number;
	#tokens: number;
	#at: number;

	constructor(rate: number, burst: number, now: number) {
		this.#rate = rate;
		this.#burst = burst;
		this.#tokens = burst;
		this.#at = now;
	}

	take(amount: number, now: number): boolean {
		this.#tokens = Math.min(this.#burst, this.#tokens + ((now - this.#at) / 1000) * this.#rate);
		this.#at = now;
		if (amount > this.#tokens) return false;
		this.#tokens -= amount;
		return true;
	}
}

/** One socket's standing. */
export interface SocketState {
	address: string;
	socket: Closable;
	authenticated: boolean;
	closed: boolean;
	timer: NodeJS.Timeout | null;
	messages: Bucket;
	bytes: Bucket;
	/** The socket's holds on boards, one per connection (`admitBoard`). */
	admissions: Set<Admission>;
	/** The socket's close event came: its holds are given back (`ended`). */
	ended: boolean;
}

interface Closable {
	close(code: number, reason: string): void;
}

export class WsLimits {
	readonly #options: WsLimitsOptions;
	readonly #pending = new Map<string, number>();
	/** Keyed by the request object Hocuspocus hands to `onAuthenticate`. */
	readonly #byRequest = new WeakMap<object, SocketState>();
	#open = 0;
	#authenticatedOpen = 0;
	/** Boards each user holds open here, with how many connections hold each. */
	readonly #boardsByUser = new Map<string, Map<string, number>>();

	constructor(options: WsLimitsOptions) {
		this.#options = options;
	}

	/** Sockets open now (admitted, not yet closed). */
	get openSockets(): number {
		return this.#open;
	}

	/** Open sockets that authenticated a document. */
	get authenticatedSockets(): number {
		return this.#authenticatedOpen;
	}

	/** Unauthenticated sockets now open from `address`. */
	pendingFrom(address: string): number {
		return this.#pending.get(address) ?? 0;
	}

	/**
	 * A socket opened. Returns its state, or null when it was closed at once (too many
	 * unauthenticated sockets from its address).
	 */
	open(request: object, address: string, socket: Closable): SocketState | null {
		const now = Date.now();
		if (this.pendingFrom(address) >= this.#options.maxPendingPerAddress) {
			socket.close(tooManyPending.code, tooManyPending.reason);
			return null;
		}
		this.#pending.set(address, this.pendingFrom(address) + 1);
		this.#open += 1;
		const state: SocketState = {
			address,
			socket,
			authenticated: false,
			closed: false,
			timer: null,
			messages: new Bucket(this.#options.messageRate, this.#options.messageBurst, now),
			bytes: new Bucket(this.#options.byteRate, this.#options.byteBurst, now),
			admissions: new Set(),
			ended: false
		};
		state.timer = setTimeout(() => {
			if (!state.authenticated && !state.closed) socket.close(authTimeout.code, authTimeout.reason);
		}, this.#options.authTimeoutMs);
		state.timer.unref();
		this.#byRequest.set(request, state);
		return state;
	}

	/** False when the frame is over the socket's budget: the caller closes and drops it. */
	admit(state: SocketState, bytes: number): boolean {
		if (state.closed) return false;
		const now = Date.now();
		if (!state.messages.take(1, now)) return false;
		if (!state.bytes.take(bytes, now)) return false;
		return true;
	}

	#release(state: SocketState): void {
		if (state.timer) clearTimeout(state.timer);
		state.timer = null;
		if (state.authenticated || state.closed) return;
		const left = this.pendingFrom(state.address) - 1;
		if (left > 0) this.#pending.set(state.address, left);
		else this.#pending.delete(state.address);
	}

	/**
	 * Closes the socket `request` opened as "try again later" (see `tryAgainLater`). The whole
	 * socket: a client that multiplexes documents on one (the browser does not: a socket per
	 * board) loses those already admitted too, and they reconnect with it; a refusal of the one
	 * document would leave that one stuck instead.
	 */
	retryLater(request: object): void {
		const state = this.#byRequest.get(request);
		if (state && !state.closed) state.socket.close(tryAgainLater.code, tryAgainLater.reason);
	}

	/**
	 * Admits `userId` to `documentName` on the socket `request` opened, or says why not (a
	 * refusal reason). A board already held (by this socket or another of the user's) is always
	 * admitted: a reconnecting tab is never refused for its own board.
	 */
	admitBoard(request: object, userId: string, documentName: string): Admission | string {
		const state = this.#byRequest.get(request);
		// Closed while its access was being checked: nothing to hold (its close came already).
		if (state?.ended) return tooManyDocuments;
		const boards = this.#boardsByUser.get(userId) ?? new Map<string, number>();
		const perSocket = this.#options.maxDocumentsPerSocket ?? 16;
		const perUser = this.#options.maxBoardsPerUser ?? 50;
		// Connections, not names: Hocuspocus multiplexes one board as `board:x\0<session>`, and
		// thousands of connections to one board on a socket would each get every edit.
		if (state && state.admissions.size >= perSocket) return tooManyDocuments;
		if (!boards.has(documentName) && boards.size >= perUser) return tooManyBoards;
		this.#boardsByUser.set(userId, boards);
		count(boards, documentName, 1);
		let held = true;
		const admission: Admission = {
			release: () => {
				if (!held) return;
				held = false;
				count(boards, documentName, -1);
				if (boards.size === 0 && this.#boardsByUser.get(userId) === boards) {
					this.#boardsByUser.delete(userId);
				}
				state?.admissions.delete(admission);
			}
		};
		state?.admissions.add(admission);
		return admission;
	}

	authenticated(request: object): void {
		const state = this.#byRequest.get(request);
		if (!state || state.authenticated) return;
		this.#release(state);
		state.authenticated = true;
		if (!state.closed) this.#authenticatedOpen += 1;
	}

	/** May be called more than once for a socket (over budget, then its close event). */
	closed(state: SocketState): void {
		if (!state.closed) {
			this.#open -= 1;
			if (state.authenticated) this.#authenticatedOpen -= 1;
		}
		this.#release(state);
		state.closed = true;
	}

	/**
	 * The socket's close event: its holds are given back (a connection whose board failed to
	 * load never disconnects). Not at `closed`, which an over-budget socket reaches when its close
	 * is only asked for: a client ignoring that keeps its connections, and boards, until the
	 * socket really goes, and could otherwise hold any number by repeating.
	 */
	ended(state: SocketState): void {
		this.closed(state);
		state.ended = true;
		for (const admission of [...state.admissions]) admission.release();
	}

	/**
	 * Marks a socket authenticated once any document on it passed `onAuthenticate`. Runs after
	 * Authorization (priority 1000), which throws for a refused connection, so reaching this
	 * hook means the connection was admitted.
	 */
	readonly extension: Extension = {
		extensionName: 'WsLimits',
		priority: 900,
		onAuthenticate: async ({ request }: onAuthenticatePayload) => {
			this.authenticated(request);
		},
		onDisconnect: async ({ context }: onDisconnectPayload) => {
			(context as { admission?: Admission } | null)?.admission?.release();
		}
	};
}

function count(map: Map<string, number>, key: string, by: 1 | -1): void {
	const next = (map.get(key) ?? 0) + by;
	if (next > 0) map.set(key, next);
	else map.delete(key);
}
