/**
 * A websocket client that speaks the Hocuspocus protocol by hand, for tests of hostile clients:
 * it sends exactly the bytes a test builds (crafted updates, floods, nothing at all) and records
 * what the server answers and how it closes the socket. No provider smooths anything over.
 */
import WebSocket from 'ws';

const messageSync = 0;
const messageAwareness = 1;
const messageAuth = 2;
const messageSyncStatus = 8;
const authToken = 0;
const authPermissionDenied = 1;
const authAuthenticated = 2;
const syncStep1 = 0;
const syncStep2 = 1;
const syncUpdate = 2;

export function varUint(value: number): number[] {
	const bytes: number[] = [];
	while (value > 0x7f) {
		bytes.push((value % 128) | 0x80);
		value = Math.floor(value / 128);
	}
	bytes.push(value);
	return bytes;
}

function varBytes(bytes: Uint8Array): Uint8Array {
	const out = new Uint8Array([...varUint(bytes.length), ...bytes]);
	return out;
}

function varString(text: string): Uint8Array {
	return varBytes(new TextEncoder().encode(text));
}

function concat(...parts: (Uint8Array | number[])[]): Uint8Array {
	const arrays = parts.map((p) => (p instanceof Uint8Array ? p : new Uint8Array(p)));
	const out = new Uint8Array(arrays.reduce((n, a) => n + a.length, 0));
	let at = 0;
	for (const a of arrays) {
		out.set(a, at);
		at += a.length;
	}
	return out;
}

/** The frame carrying a Yjs update for `document` (what the provider sends after an edit). */
export function updateFrame(document: string, update: Uint8Array): Uint8Array {
	return concat(varString(document), [messageSync, syncUpdate], varBytes(update));
}

/**
 * The frame carrying one client's presence (what a provider sends to keep it): an awareness
 * update of one entry, `clientId`, `clock` (higher replaces lower) and the state as JSON.
 */
export function awarenessFrame(
	document: string,
	presence: { clientId: number; clock: number; state: unknown }
): Uint8Array {
	const update = concat(
		varUint(1),
		varUint(presence.clientId),
		varUint(presence.clock),
		varString(JSON.stringify(presence.state))
	);
	return concat(varString(document), [messageAwareness], varBytes(update));
}

/** The frame carrying a sync step 2 (what the provider sends while syncing). */
export function syncStep2Frame(document: string, update: Uint8Array): Uint8Array {
	return concat(varString(document), [messageSync, syncStep2], varBytes(update));
}

function readVarUint(bytes: Uint8Array, at: { i: number }): number {
	let n = 0;
	let multiplier = 1;
	for (;;) {
		const byte = bytes[at.i++]!;
		n += (byte & 0x7f) * multiplier;
		if (byte < 0x80) return n;
		multiplier *= 128;
	}
}

function readVarString(bytes: Uint8Array, at: { i: number }): string {
	const length = readVarUint(bytes, at);
	const text = new TextDecoder().decode(bytes.subarray(at.i, at.i + length));
	at.i += length;
	return text;
}

export interface RawClient {
	socket: WebSocket;
	document: string;
	/** Resolves once the socket is open. */
	opened: Promise<void>;
	/** Resolves with the close code and reason. */
	closed: Promise<{ code: number; reason: string }>;
	/** True once closed (the `closed` promise has settled). */
	isClosed(): boolean;
	/** Sends the token; resolves with true on Authenticated, false on PermissionDenied. */
	authenticate(token: string): Promise<boolean>;
	/** SyncStatus answers so far (true: applied). */
	acks: boolean[];
	/** Sync update messages received so far (others' edits broadcast to it). */
	updates(): number;
	send(frame: Uint8Array): void;
	/** Authenticates another document on this socket: admitted, or the refusal's reason. */
	open(documentName: string, token: string): Promise<{ ok: boolean; reason: string | null }>;
}

export function rawClient(appUrl: string, boardId: string): RawClient {
	const document = `board:${boardId}`;
	const socket = new WebSocket(appUrl.replace(/^http/, 'ws') + '/collab');
	socket.binaryType = 'arraybuffer';
	let isClosed = false;
	const acks: boolean[] = [];
	let updates = 0;
	const authWaiters: ((answer: { ok: boolean; reason: string | null }) => void)[] = [];
	socket.on('message', (data: ArrayBuffer) => {
		const bytes = new Uint8Array(data);
		const at = { i: 0 };
		const nameLength = readVarUint(bytes, at);
		at.i += nameLength; // skip the document name
		const type = readVarUint(bytes, at);
		if (type === messageSyncStatus) acks.push(readVarUint(bytes, at) === 1);
		if (type === messageSync && readVarUint(bytes, at) === syncUpdate) updates += 1;
		if (type === messageAuth) {
			const kind = readVarUint(bytes, at);
			if (kind === authAuthenticated || kind === authPermissionDenied) {
				const reason = kind === authPermissionDenied ? readVarString(bytes, at) : null;
				authWaiters.shift()?.({ ok: kind === authAuthenticated, reason });
			}
		}
	});
	socket.on('error', () => {});
	const opened = new Promise<void>((resolve, reject) => {
		socket.once('open', () => resolve());
		socket.once('close', () => reject(new Error('closed before opening')));
	});
	opened.catch(() => {});
	const closed = new Promise<{ code: number; reason: string }>((resolve) => {
		socket.once('close', (code, reason) => {
			isClosed = true;
			resolve({ code, reason: reason.toString() });
		});
	});
	return {
		socket,
		document,
		opened,
		closed,
		isClosed: () => isClosed,
		acks,
		updates: () => updates,
		send(frame) {
			socket.send(frame);
		},
		async authenticate(token) {
			return (await this.open(document, token)).ok;
		},
		async open(name, token) {
			await opened;
			const answer = new Promise<{ ok: boolean; reason: string | null }>((resolve) =>
				authWaiters.push(resolve)
			);
			socket.send(concat(varString(name), [messageAuth, authToken], varString(token)));
			// Like the provider: ask for the server's state right after authenticating.
			socket.send(concat(varString(name), [messageSync, syncStep1], varBytes(new Uint8Array([0]))));
			return answer;
		}
	};
}
