/**
 * Thin protocol clients for the collaboration load benchmark: a `ws` socket speaking the
 * Hocuspocus wire protocol (collab-wire.ts) and a Y.Doc of its own, on which it makes real
 * contract edits (`updateTask` on its card) and sends the resulting updates, as the browser's
 * provider would. A run's edits are made before it starts (`prepare`) and only sent during
 * it, so the generator's share of two busy cores goes to sockets, not to the domain layer;
 * the bytes are the same, as the client is the only writer of its card. Each edit's title
 * carries its sender and sequence number, so every receiver can time its arrival (against the
 * run's send log) without decoding the update.
 *
 * Received updates are only scanned for those marks, so the generator's CPU goes to sockets
 * rather than to a thousand replicas integrating every edit; clients that must later present
 * a current state (the restart storm) queue them and apply them off the measured path
 * (`catchUp`). A client edits only its own card, which its doc always has the latest of, so
 * its edits are exactly what a fully caught-up replica would send.
 */
import WebSocket from 'ws';
import * as Y from 'yjs';
import { updateTask } from '../src/lib/domain/board/index.ts';
import { stampedEdits, stampedTitle } from './collab-stamps.ts';
import type { RunStats } from './collab-stats.ts';
import {
	authFrame,
	authType,
	awarenessFrame,
	framePrefix,
	messageType,
	pongFrame,
	Reader,
	syncFrame,
	syncType
} from './collab-wire.ts';

const empty = new Uint8Array(0);
/** Beyond this many queued updates a client applies them at once, to bound memory. */
const maxQueued = 4096;

/** The clients of one board on one server; counts who is connected for the delivery ledger. */
export class Room {
	readonly documentName: string;
	connected = 0;
	constructor(documentName: string) {
		this.documentName = documentName;
	}
}

export interface ThinClientOptions {
	/** ws://host:port/path of the collaboration endpoint. */
	url: string;
	room: Room;
	token: string;
	actorId: string;
	/** Unique among all clients of a run: receivers skip the echo of their own edits. */
	index: number;
	/** The card this client edits (none for clients that only watch or hold). */
	taskId?: string;
	/** Start from this document state (a replica that was here before). */
	state?: Uint8Array;
	/** Apply the server's state on sync (default); off for join probes, which only count bytes. */
	keepDoc?: boolean;
	/** Queue received updates for `catchUp` (only clients that will resync need them). */
	followUpdates?: boolean;
}

export class ThinClient {
	readonly doc = new Y.Doc();
	readonly options: ThinClientOptions;
	stats: RunStats;
	socket: WebSocket | null = null;
	synced = false;
	/** Bytes received on the current connection until its first sync completed. */
	bytesToSync = 0;
	/** An orderly close (ours or a server restart) is not an error. */
	expectClose = false;
	#prefix: Uint8Array;
	#reader = new Reader();
	#queued: Uint8Array[] = [];
	/** Send times of updates not yet acknowledged (NaN: a sync reply, not timed). */
	#unacked: number[] = [];
	#unackedHead = 0;
	#awarenessClock = 0;
	#seq = 0;
	/** Edits made by `prepare`, sent from `#preparedHead` on; `#nextSeq` numbers the next one. */
	#prepared: Uint8Array[] = [];
	#preparedHead = 0;
	#nextSeq = 0;
	#lastTitle: string | null = null;
	#onReady: ((ok: boolean) => void) | null = null;

	constructor(options: ThinClientOptions, stats: RunStats) {
		this.options = options;
		this.stats = stats;
		this.#prefix = framePrefix(options.room.documentName);
		if (options.state) Y.applyUpdate(this.doc, options.state, 'remote');
		this.doc.on('update', (update: Uint8Array, origin: unknown) => {
			if (origin === this) this.#prepared.push(syncFrame(this.#prefix, syncType.update, update));
		});
	}

	get unacked(): number {
		return this.#unacked.length - this.#unackedHead;
	}

	get lastTitle(): string | null {
		return this.#lastTitle;
	}

	/** Opens the socket, authenticates and syncs; resolves false on refusal or a lost socket. */
	open(): Promise<boolean> {
		this.synced = false;
		this.bytesToSync = 0;
		this.expectClose = false;
		this.#unacked = [];
		this.#unackedHead = 0;
		const ready = new Promise<boolean>((resolve) => (this.#onReady = resolve));
		const socket = new WebSocket(this.options.url, { perMessageDeflate: false });
		this.socket = socket;
		socket.binaryType = 'nodebuffer';
		socket.on('open', () => {
			// Like the provider: authenticate, then the first sync step at once (the server
			// queues it until authentication is through).
			socket.send(authFrame(this.#prefix, this.options.token));
			socket.send(syncFrame(this.#prefix, syncType.step1, Y.encodeStateVector(this.doc)));
		});
		socket.on('message', (data: Buffer) => this.#receive(data));
		socket.on('error', () => {
			if (!this.expectClose) this.stats.error('socket error');
		});
		socket.on('close', () => {
			if (this.synced) this.options.room.connected--;
			if (!this.expectClose) this.stats.error(this.synced ? 'socket closed' : 'connect failed');
			this.synced = false;
			this.socket = null;
			this.#settle(false);
		});
		return ready;
	}

	close(): void {
		this.expectClose = true;
		this.socket?.close();
	}

	/**
	 * Makes the next `count` edits (real contract edits: a new title for this client's card,
	 * stamped with sender and sequence number) and registers them in the run's send log.
	 */
	prepare(count: number): void {
		const taskId = this.options.taskId;
		if (!taskId) return;
		this.#prepared = [];
		this.#preparedHead = 0;
		this.#nextSeq = this.#seq;
		this.stats.sendLog[this.options.index] = { first: this.#seq, times: new Float64Array(count) };
		const i = this.options.index;
		for (let k = 0; k < count; k++) {
			const seq = this.#seq++;
			const title = stampedTitle(i, seq);
			updateTask(this.doc, { taskId, title }, { actorId: this.options.actorId, origin: this });
			this.#lastTitle = title;
		}
	}

	get pendingEdits(): number {
		return this.#prepared.length - this.#preparedHead;
	}

	/** Sends the next prepared edit; false when there is none or the client is not synced. */
	edit(): boolean {
		if (!this.synced || this.pendingEdits === 0) return false;
		const frame = this.#prepared[this.#preparedHead]!;
		this.#prepared[this.#preparedHead++] = empty;
		const now = performance.now();
		const log = this.stats.sendLog[this.options.index]!;
		log.times[this.#nextSeq++ - log.first] = now;
		this.#pushUnacked(now);
		this.#send(frame);
		this.stats.sent++;
		this.stats.expected += this.options.room.connected - 1;
		return true;
	}

	/** Announces (or renews) this client's presence, as the provider does every 15 s. */
	announce(): void {
		if (!this.synced) return;
		this.#send(
			awarenessFrame(this.#prefix, this.doc.clientID, ++this.#awarenessClock, {
				user: { name: `bench ${this.options.index}` }
			})
		);
	}

	/** Sends an update made elsewhere (seeding), counted as unacknowledged until the server says so. */
	sendUpdate(update: Uint8Array): void {
		Y.applyUpdate(this.doc, update, 'remote');
		this.#pushUnacked(NaN);
		this.#send(syncFrame(this.#prefix, syncType.update, update));
	}

	/** Applies the updates received since the last call. */
	catchUp(): void {
		if (this.#queued.length === 0) return;
		const queued = this.#queued;
		this.#queued = [];
		Y.transact(this.doc, () => {
			for (const update of queued) Y.applyUpdate(this.doc, update, 'remote');
		});
	}

	#send(frame: Uint8Array) {
		if (this.socket?.readyState === WebSocket.OPEN) this.socket.send(frame);
	}

	#pushUnacked(time: number) {
		if (this.#unackedHead > 1024 && this.#unackedHead * 2 > this.#unacked.length) {
			this.#unacked = this.#unacked.slice(this.#unackedHead);
			this.#unackedHead = 0;
		}
		this.#unacked.push(time);
	}

	#settle(ok: boolean) {
		const resolve = this.#onReady;
		this.#onReady = null;
		resolve?.(ok);
	}

	#receive(data: Buffer) {
		this.stats.bytesIn += data.length;
		this.stats.framesIn++;
		if (!this.synced) this.bytesToSync += data.length;
		if (data.length === 1 && data[0] === messageType.ping) {
			this.socket?.send(pongFrame);
			return;
		}
		const reader = this.#reader.reset(data);
		try {
			reader.skipVarBytes();
			const type = reader.varUint();
			if (type === messageType.sync) this.#receiveSync(data, reader);
			else if (type === messageType.syncStatus) this.#receiveAck(reader.varUint() === 1);
			else if (type === messageType.auth) {
				if (reader.varUint() === authType.permissionDenied) {
					this.stats.error('permission denied');
					this.#settle(false);
				}
			}
		} catch {
			this.stats.error('unreadable frame');
		}
	}

	#receiveSync(data: Buffer, reader: Reader) {
		const kind = reader.varUint();
		if (kind === syncType.update) {
			const start = reader.skipVarBytes();
			this.#timeArrivals(data, start, reader.pos);
			if (this.options.followUpdates) {
				this.#queued.push(data.subarray(start, reader.pos));
				if (this.#queued.length > maxQueued) this.catchUp();
			}
		} else if (kind === syncType.step1) {
			// The server's state vector: answer with what it lacks (the provider does the same).
			const vector = reader.varBytes();
			this.#pushUnacked(NaN);
			this.#send(syncFrame(this.#prefix, syncType.step2, Y.encodeStateAsUpdate(this.doc, vector)));
		} else if (kind === syncType.step2) {
			const update = reader.varBytes();
			if (this.options.keepDoc !== false) Y.applyUpdate(this.doc, update, 'remote');
			if (!this.synced) {
				this.synced = true;
				this.options.room.connected++;
				this.#settle(true);
			}
		}
	}

	#receiveAck(applied: boolean) {
		if (!applied) this.stats.error('update refused');
		if (this.unacked === 0) {
			this.stats.error('unexpected ack');
			return;
		}
		const sent = this.#unacked[this.#unackedHead++]!;
		if (!Number.isNaN(sent)) this.stats.ack.add(performance.now() - sent);
	}

	#timeArrivals(data: Buffer, from: number, to: number) {
		if (stampedEdits(data, from, to, this.#arrived) > 0) this.stats.error('unreadable stamp');
	}

	#arrived = (seq: number, sender: number, now: number) => {
		if (sender === this.options.index) return;
		const sent = this.stats.sentAt(sender, seq);
		// An edit of an earlier run arriving late was already counted as undelivered there.
		if (Number.isNaN(sent)) return;
		this.stats.delivered++;
		this.stats.latency.add(now - sent);
	};
}

/**
 * Opens `clients` with at most `concurrency` handshakes in flight (a browser fleet's arrivals
 * are spread too; all at once would only measure the listen backlog). Resolves with the time
 * until every one was synced or had failed, and how many failed; `onOpen` is told of each
 * client the moment it is synced.
 */
export async function openAll(
	clients: ThinClient[],
	concurrency: number,
	{ timeoutMs = 60_000, onOpen }: { timeoutMs?: number; onOpen?: (client: ThinClient) => void } = {}
): Promise<{ ms: number; failed: number }> {
	const started = performance.now();
	let next = 0;
	let failed = 0;
	const worker = async () => {
		while (next < clients.length) {
			const client = clients[next++]!;
			const ok = await Promise.race([
				client.open(),
				new Promise<boolean>((resolve) => setTimeout(() => resolve(false), timeoutMs).unref())
			]);
			if (ok) onOpen?.(client);
			else failed++;
		}
	};
	await Promise.all(Array.from({ length: Math.min(concurrency, clients.length) }, worker));
	return { ms: performance.now() - started, failed };
}

/** Waits (bounded) until `check` holds; returns whether it did. */
export async function until(check: () => boolean, timeoutMs: number): Promise<boolean> {
	const deadline = performance.now() + timeoutMs;
	while (!check()) {
		if (performance.now() > deadline) return false;
		await new Promise((r) => setTimeout(r, 20));
	}
	return true;
}

/** Closes every client and waits (bounded) for their sockets to be gone. */
export async function closeAll(clients: ThinClient[]): Promise<void> {
	for (const client of clients) client.close();
	await until(() => clients.every((c) => c.socket === null), 10_000);
}
