/**
 * The y-websocket wire protocol (`y-websocket`'s `WebsocketProvider`, `@y/websocket-server`) at
 * `/yjs/board:<id>`, spoken by translating each socket's frames onto the Hocuspocus instance
 * behind `/collab`: one live document, and every extension (authorization, guard, write-ahead
 * log, events, presence, limits, Redis scale-out) applies unchanged.
 *
 * The two protocols share their message types (sync 0, awareness 1, query-awareness 3) and
 * their payloads. Hocuspocus multiplexes documents on a socket, so each of its frames starts
 * with the document name; a y-websocket socket carries the one document its URL names. And
 * Hocuspocus authenticates with an auth message, y-websocket with the upgrade request (a
 * `?token=` or the session cookie), so the adapter sends that auth message itself.
 */
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import type { WebSocketLike } from '@hocuspocus/server';
import { parseBoardDocumentName } from './collab-names.ts';
import { tooManyBoards, tooManyDocuments } from './ws-limits.ts';

export const yjsPath = '/yjs';

// Hocuspocus message types (@hocuspocus/server `MessageType`) beyond the shared three.
const sync = 0;
const awareness = 1;
const auth = 2;
const queryAwareness = 3;
const syncReply = 4;
const close = 7;
const syncStatus = 8;
/** The highest y-protocols sync step (0: step 1, 1: step 2, 2: update). */
const syncUpdate = 2;
// Auth sub-types (@hocuspocus/common `AuthMessageType`).
const authToken = 0;
const permissionDenied = 1;

export interface CloseReason {
	code: number;
	reason: string;
}

/**
 * Close codes in 4400–4499 tell a `WebsocketProvider` (3.x) not to reconnect: the server
 * decided, and retrying cannot change it.
 */
const refusals: Record<string, CloseReason> = {
	unauthenticated: { code: 4401, reason: 'unauthenticated' },
	'origin-not-allowed': { code: 4403, reason: 'origin-not-allowed' },
	'not-found': { code: 4404, reason: 'not-found' },
	'invalid-document-name': { code: 4404, reason: 'invalid-document-name' },
	// Not a refusal: the database could not be reached to check the connection (ws-limits.ts).
	unavailable: { code: 1013, reason: 'unavailable' },
	// Too many boards open (ws-limits.ts): 4429 goes out as 1013, to come back later.
	[tooManyDocuments]: { code: 4429, reason: tooManyDocuments },
	[tooManyBoards]: { code: 4429, reason: tooManyBoards }
};
const forbidden: CloseReason = { code: 4403, reason: 'permission-denied' };
/**
 * A read-only connection's change is never applied. Hocuspocus tells its provider so in a sync
 * status; y-websocket has no such message, and a client left connected would believe its edit
 * shared while its copy silently diverged from the board. The socket is closed instead.
 */
export const readOnlyWrite: CloseReason = { code: 4403, reason: 'read-only' };
export const unsupportedMessage: CloseReason = { code: 4400, reason: 'unsupported-message' };
export const notABoard: CloseReason = { code: 4404, reason: 'invalid-document-name' };

export interface YWebsocketRequest {
	documentName: string;
	/** The `?token=` credential, or '' to authenticate with the session cookie. */
	token: string;
	/** The upgrade request without its token, as the extensions see it (nothing logs a secret). */
	request: Request;
}

/** True for an upgrade this adapter serves (whether or not it names a board). */
export function isYWebsocketPath(path: string): boolean {
	return path.startsWith(`${yjsPath}/`);
}

/**
 * Reads a y-websocket upgrade: the document from the path (`/yjs/board:<id>`), the token from
 * the query. Null when the request is not for this endpoint; `documentName` null when it names
 * no board.
 */
export function readYWebsocketRequest(
	request: Request
): (Omit<YWebsocketRequest, 'documentName'> & { documentName: string | null }) | null {
	const url = new URL(request.url);
	if (!isYWebsocketPath(url.pathname)) return null;
	let name: string;
	try {
		name = decodeURIComponent(url.pathname.slice(yjsPath.length + 1));
	} catch {
		name = '';
	}
	const token = url.searchParams.get('token') ?? '';
	url.searchParams.delete('token');
	return {
		documentName: parseBoardDocumentName(name) ? name : null,
		token,
		request: new Request(url, { headers: request.headers })
	};
}

/** The Hocuspocus auth message the adapter sends in the client's name when the socket opens. */
export function authMessage(documentName: string, token: string): Uint8Array {
	const encoder = encoding.createEncoder();
	encoding.writeVarString(encoder, documentName);
	encoding.writeVarUint(encoder, auth);
	encoding.writeVarUint(encoder, authToken);
	encoding.writeVarString(encoder, token);
	return encoding.toUint8Array(encoder);
}

/**
 * A y-websocket client frame as Hocuspocus reads it (the document name in front), or null for a
 * message type y-websocket clients do not send (Hocuspocus's auth, stateless or close
 * messages must not be smuggled through this endpoint) or a frame that is not whole: a sync
 * step that is not 0-2, or a payload shorter than it says. Hocuspocus would throw on those and
 * end the document connection, which reached the client as a plain close (1000), and a
 * `WebsocketProvider` reconnects and sends the same frame again, forever; refused here they
 * close with 4400, final for that client.
 */
export function fromYWebsocket(documentName: string, frame: Uint8Array): Uint8Array | null {
	let type: number;
	try {
		const decoder = decoding.createDecoder(frame);
		type = decoding.readVarUint(decoder);
		if (type === sync) {
			if (decoding.readVarUint(decoder) > syncUpdate) return null;
			decoding.readVarUint8Array(decoder);
		} else if (type === awareness) {
			decoding.readVarUint8Array(decoder);
		}
		if (type !== queryAwareness && decoding.hasContent(decoder)) return null;
	} catch {
		return null;
	}
	if (type !== sync && type !== awareness && type !== queryAwareness) return null;
	const encoder = encoding.createEncoder();
	encoding.writeVarString(encoder, documentName);
	encoding.writeUint8Array(encoder, frame);
	return encoding.toUint8Array(encoder);
}

/** What becomes of a Hocuspocus frame on a y-websocket socket. */
export type Translated = { send: Uint8Array } | { close: CloseReason } | null;

/** A Hocuspocus server frame for a y-websocket client: sent, turned into a close, or dropped. */
export function toYWebsocket(frame: Uint8Array): Translated {
	const decoder = decoding.createDecoder(frame);
	decoding.readVarString(decoder);
	const type = decoding.readVarUint(decoder);
	const rest = frame.subarray(decoder.pos);
	switch (type) {
		case sync:
		case syncReply: // A sync message that must not be answered with another step 1.
		case awareness:
		case queryAwareness: {
			const encoder = encoding.createEncoder();
			encoding.writeVarUint(encoder, type === syncReply ? sync : type);
			encoding.writeUint8Array(encoder, rest);
			return { send: encoding.toUint8Array(encoder) };
		}
		case auth: {
			if (decoding.readVarUint(decoder) !== permissionDenied) return null; // authenticated
			const reason = decoding.readVarString(decoder);
			return { close: refusals[reason] ?? forbidden };
		}
		case syncStatus:
			return decoding.readVarUint(decoder) === 0 ? { close: readOnlyWrite } : null;
		case close:
			// The document connection ended (its document unloaded, or an error): the client
			// reconnects, as it would after any other transient close.
			return { close: { code: 1000, reason: 'server-closed' } };
		default:
			// Stateless messages, pings: nothing a y-websocket client understands.
			return null;
	}
}

/**
 * The close a y-websocket client is sent. That client treats every code from 4400 to 4499 as
 * final and never reconnects, so the closes that only ask it to come back (access to be
 * checked again after a role change, an authentication deadline or a rate budget that passes)
 * go out as 1013 "try again later", keeping their reason; refusals keep their 44xx code.
 */
export function yWebsocketClose(
	code?: number,
	reason?: string
): [number | undefined, string | undefined] {
	const transient =
		code === 4408 || code === 4429 || (code === 4403 && reason === 'Access revoked');
	return transient ? [1013, reason] : [code, reason];
}

/** The socket Hocuspocus writes to: translates each frame onto the real websocket. */
export class YWebsocketSocket implements WebSocketLike {
	readonly #socket: WebSocketLike;

	constructor(socket: WebSocketLike) {
		this.#socket = socket;
	}

	get readyState(): number {
		return this.#socket.readyState;
	}

	send(data: string | ArrayBufferLike | Blob | ArrayBufferView): void {
		if (!(data instanceof Uint8Array)) return; // Hocuspocus only ever sends binary frames.
		const translated = toYWebsocket(data);
		if (!translated) return;
		if ('send' in translated) this.#socket.send(translated.send);
		else this.close(translated.close.code, translated.close.reason);
	}

	close(code?: number, reason?: string): void {
		this.#socket.close(...yWebsocketClose(code, reason));
	}
}
