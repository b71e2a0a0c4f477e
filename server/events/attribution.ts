/**
 * Who made a Yjs transaction, read from its Hocuspocus origin. The actor is always an
 * authenticated user id from the server's own records (the connection's context, a direct
 * connection's `actorId`, or the write-ahead log row's `actor_id`), never a Yjs client id,
 * which any client can choose.
 */
import { isTransactionOrigin } from '@hocuspocus/server';
import { sessionFingerprint } from '#lib/server/events/ids.ts';
import type { EventMetadata } from '#lib/server/events/types.ts';

/** Set by server/app.ts on every upgrade request from the socket (any client value is replaced). */
export const clientAddressHeader = 'x-taskflow-client-address';

export interface Attribution {
	actorId: string | null;
	metadata: EventMetadata;
	/** The write-ahead log row the update was logged as: makes derived event ids reproducible. */
	walId: number | null;
	/** When the change happened (ms); for a replayed row, when it was logged. */
	at: number;
}

/**
 * `attributed`: derive events. `foreign`: an update this instance must not log. Through Redis it
 * is someone's concurrent edit, logged by its own instance, and it ends a burst on the same card
 * (`interrupts`); from the persistence layer it is stored state being loaded or merged, which
 * says nothing about who is typing now.
 */
export type OriginClass =
	{ kind: 'attributed'; who: Attribution } | { kind: 'foreign'; interrupts: boolean };

/** A write-ahead log row as the events of its update name it. */
export interface LogRowRef {
	id: number;
	/** Its `created_at` (ms): live events carry the same time a replay of the row gives them. */
	at: number;
}

export interface AttributionOptions {
	instanceId: string;
	/** ADDRESS_HEADER: the client address header set by a trusted proxy. */
	addressHeader: string | null;
	/**
	 * The log row of the message a connection is applying right now (its id, and the time the
	 * row carries, which a replay derives events with), if it is logged.
	 */
	walOf(connection: unknown): LogRowRef | null;
}

/** Context of a replayed log row (see `replayOrigin` in server/persistence/board-store.ts). */
interface ReplayContext {
	persistence?: boolean;
	wal?: { id: number; actorId: string | null; createdAt: number };
	actorId?: string;
}

interface ConnectionLike {
	context?: { user?: { id?: string }; sessionId?: string };
	request?: { headers?: Headers };
}

function addressFrom(headers: Headers | undefined, addressHeader: string | null): string | null {
	if (!headers) return null;
	if (addressHeader) {
		// Like adapter-node with XFF_DEPTH=1: the entry the trusted proxy itself appended.
		const value = headers.get(addressHeader);
		return value?.split(',').at(-1)?.trim() || null;
	}
	return headers.get(clientAddressHeader);
}

/** Per connection: its metadata does not change, and hashing it per keystroke would add up. */
const metadataOf = new WeakMap<object, EventMetadata>();

function connectionMetadata(
	connection: ConnectionLike,
	options: AttributionOptions
): EventMetadata {
	let metadata = metadataOf.get(connection);
	if (!metadata) {
		const headers = connection.request?.headers;
		metadata = {
			userAgent: headers?.get('user-agent')?.slice(0, 512) ?? null,
			ipAddress: addressFrom(headers, options.addressHeader),
			sessionId: sessionFingerprint(connection.context?.sessionId),
			instance: options.instanceId
		};
		metadataOf.set(connection, metadata);
	}
	return metadata;
}

export function classifyOrigin(origin: unknown, options: AttributionOptions): OriginClass {
	const base = { userAgent: null, ipAddress: null, sessionId: null, instance: options.instanceId };
	if (!isTransactionOrigin(origin) || origin.source === 'redis') {
		return { kind: 'foreign', interrupts: true };
	}
	if (origin.source === 'connection') {
		const connection = origin.connection as unknown as ConnectionLike;
		const row = options.walOf(origin.connection);
		return {
			kind: 'attributed',
			who: {
				actorId: connection.context?.user?.id ?? null,
				metadata: connectionMetadata(connection, options),
				walId: row?.id ?? null,
				at: row?.at ?? Date.now()
			}
		};
	}
	const context = (origin.context ?? {}) as ReplayContext;
	if (context.wal) {
		const { id, actorId, createdAt } = context.wal;
		return { kind: 'attributed', who: { actorId, metadata: base, walId: id, at: createdAt } };
	}
	if (context.persistence) return { kind: 'foreign', interrupts: false };
	// A direct connection (server-side change on behalf of an API caller).
	return {
		kind: 'attributed',
		who: { actorId: context.actorId ?? null, metadata: base, walId: null, at: Date.now() }
	};
}
