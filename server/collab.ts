/**
 * The Hocuspocus instance and its websocket wiring, mounted on our own http server at /collab
 * through crossws's node adapter (Hocuspocus's own `Server` would want its own port). The same
 * sockets, limits and instance serve the y-websocket protocol at /yjs (see y-websocket.ts).
 */
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { Hocuspocus, type Extension } from '@hocuspocus/server';
import crossws from 'crossws/adapters/node';
import type { CollabControl } from '#lib/server/context.ts';
import type { Logger } from '#lib/server/log.ts';
import type { LiveSources, Metrics } from '#lib/server/metrics/metrics.ts';
import { boardDocumentName } from './collab-names.ts';
import { peerSocket } from './peer-socket.ts';
import { guardSendBacklog } from './send-backlog.ts';
import type { CollabContext } from './extensions/Authorization.ts';
import type { Persistence } from './extensions/Persistence.ts';
import type { StorePacing } from './extensions/StorePacing.ts';
import { clientAddressHeader } from './events/attribution.ts';
import { overBudget, type SocketState, type WsLimits } from './ws-limits.ts';
import {
	authMessage,
	fromYWebsocket,
	notABoard,
	readYWebsocketRequest,
	unsupportedMessage,
	YWebsocketSocket,
	yWebsocketClose
} from './y-websocket.ts';

export const collabPath = '/collab';

export interface CollabOptions {
	extensions: Extension[];
	log: Logger;
	/** Largest websocket frame accepted; ws would otherwise take 100 MiB. */
	maxPayload: number;
	/** When a socket that stopped reading is dropped (see send-backlog.ts). */
	sendBacklog: { limitBytes: number; stallMs: number };
	/**
	 * Authentication deadline, unauthenticated sockets per address, per-socket budgets; shared
	 * with Authorization, which closes a socket it cannot check yet.
	 */
	limits: WsLimits;
	/** Header naming the client address set by a trusted proxy (adapter-node's ADDRESS_HEADER). */
	addressHeader: string | null;
	/** Logs API writes and keeps the rows current (one of `extensions`). */
	persistence: Pick<Persistence, 'change' | 'syncRows'>;
	/** Paces board stores (one of `extensions`); hurried at shutdown, so waits do not delay the exit. */
	storePacing: Pick<StorePacing, 'hurry'>;
	/** Counts refused sockets, and reads the open ones; null when metrics are off. */
	metrics?: Metrics | null;
}

export interface Collab {
	hocuspocus: Hocuspocus<CollabContext>;
	control: CollabControl;
	/** Open sockets and loaded boards, as the metrics gauges and the admin System tab read them. */
	live: LiveSources;
	handleUpgrade(request: IncomingMessage, socket: Duplex, head: Buffer): void;
	/** Closes every connection and waits (bounded) until pending stores have run. */
	shutdown(timeoutMs: number): Promise<void>;
}

const revoked = { code: 4403, reason: 'Access revoked' };

export function createCollab(options: CollabOptions): Collab {
	const { limits } = options;
	const hocuspocus = new Hocuspocus<CollabContext>({
		name: 'taskflow',
		quiet: true,
		extensions: [...options.extensions, limits.extension]
	});
	type Peer = {
		_hocuspocus?: ReturnType<Hocuspocus['handleConnection']>;
		_limits?: SocketState | null;
		/** The board a y-websocket socket carries; unset on /collab sockets. */
		_yjs?: string;
	};
	/** Like the audit log's metadata: a trusted proxy's last entry, else the socket's peer. */
	const addressOf = (headers: Headers): string =>
		(options.addressHeader
			? headers.get(options.addressHeader)?.split(',').at(-1)?.trim()
			: headers.get(clientAddressHeader)) || 'unknown';
	const ws = crossws({
		serverOptions: { maxPayload: options.maxPayload },
		hooks: {
			open(peer) {
				const yjs = readYWebsocketRequest(peer.request as Request);
				if (yjs && !yjs.documentName) return peer.close(notABoard.code, notABoard.reason);
				const request = yjs?.request ?? (peer.request as Request);
				const closable = yjs
					? {
							close: (code?: number, reason?: string) =>
								peer.close(...yWebsocketClose(code, reason))
						}
					: peer;
				const state = limits.open(request, addressOf(request.headers), closable);
				(peer as unknown as Peer)._limits = state;
				if (!state) {
					options.metrics?.rateLimited.inc({ limit: 'websocket_pending' });
					return;
				}
				const socket = guardSendBacklog(peerSocket(peer), {
					...options.sendBacklog,
					onStalled: (backlogBytes, reason) => {
						options.metrics?.rateLimited.inc({ limit: 'websocket_backlog' });
						options.log.warn(
							{ address: state.address, backlogBytes, reason },
							'websocket stopped reading its updates; dropped'
						);
					}
				});
				const connection = hocuspocus.handleConnection(
					yjs ? new YWebsocketSocket(socket) : socket,
					request
				);
				(peer as unknown as Peer)._hocuspocus = connection;
				if (yjs?.documentName) {
					(peer as unknown as Peer)._yjs = yjs.documentName;
					// Authenticates with the upgrade's credential before any client frame is read:
					// Hocuspocus queues the client's sync and awareness until this passes.
					connection.handleMessage(authMessage(yjs.documentName, yjs.token));
				}
			},
			message(peer, message) {
				const { _limits: state, _hocuspocus: connection, _yjs: yjs } = peer as unknown as Peer;
				if (!state || !connection) return;
				// Checked before Hocuspocus queues or decodes anything: over budget, the socket is
				// closed and this and every later frame is dropped.
				const bytes = message.uint8Array();
				if (!limits.admit(state, bytes.byteLength)) {
					if (!state.closed) {
						limits.closed(state);
						options.metrics?.rateLimited.inc({ limit: 'websocket_rate' });
						options.log.warn({ address: state.address }, 'websocket over its rate budget; closing');
						if (yjs === undefined) peer.close(overBudget.code, overBudget.reason);
						else peer.close(...yWebsocketClose(overBudget.code, overBudget.reason));
					}
					return;
				}
				if (yjs === undefined) return connection.handleMessage(bytes);
				const frame = fromYWebsocket(yjs, bytes);
				if (frame) connection.handleMessage(frame);
				else if (!state.closed) peer.close(unsupportedMessage.code, unsupportedMessage.reason);
			},
			close(peer, event) {
				const state = (peer as unknown as Peer)._limits;
				if (state) limits.ended(state);
				(peer as unknown as Peer)._hocuspocus?.handleClose({
					code: event.code ?? 1000,
					reason: event.reason ?? ''
				});
			},
			error(peer, error) {
				options.log.warn({ err: error, peer: peer.id }, 'websocket error');
			}
		}
	});

	/** Closing the socket (not only the document) makes the provider reconnect and be re-checked. */
	function closeWhere(match: (context: CollabContext) => boolean) {
		for (const document of hocuspocus.documents.values()) {
			for (const connection of document.connections.keys()) {
				if (match(connection.context as CollabContext)) {
					connection.webSocket.close(revoked.code, revoked.reason);
				}
			}
		}
	}

	const control: CollabControl = {
		disconnectUser(userId, boardId) {
			closeWhere((c) => c.user?.id === userId && (boardId === undefined || c.boardId === boardId));
		},
		disconnectBoard(boardId) {
			closeWhere((c) => c.boardId === boardId);
		},
		async changeBoard(boardId, actorId, change, changeOptions) {
			const connection = await hocuspocus.openDirectConnection(boardDocumentName(boardId), {
				actorId
			} as unknown as CollabContext);
			try {
				// Durable (logged) and in the rows when this resolves.
				await options.persistence.change(
					connection.document!,
					actorId,
					change,
					changeOptions?.events
				);
			} finally {
				// The snapshot is stored on the debounce, as for a browser's edits; meanwhile the
				// document stays loaded for the next write instead of being read again.
				await connection.disconnect({ unloadImmediately: false });
			}
		},
		async readBoard(boardId, read) {
			const connection = await hocuspocus.openDirectConnection(
				boardDocumentName(boardId),
				{} as unknown as CollabContext
			);
			try {
				return read(connection.document!);
			} finally {
				await connection.disconnect({ unloadImmediately: false });
			}
		},
		syncRows: (target) => options.persistence.syncRows(target),
		disconnectSession(sessionId) {
			closeWhere((c) => c.sessionId === sessionId);
		},
		connectionCount: () => hocuspocus.getConnectionsCount()
	};

	const live: LiveSources = {
		websocketConnections: () => limits.openSockets,
		authenticatedConnections: () => limits.authenticatedSockets,
		boardsLoaded: () => hocuspocus.getDocumentsCount()
	};
	options.metrics?.watch(live);

	return {
		hocuspocus,
		control,
		live,
		handleUpgrade(request, socket, head) {
			void ws.handleUpgrade(request, socket, head).catch((error: unknown) => {
				options.log.warn({ err: error }, 'websocket upgrade failed');
				socket.destroy();
			});
		},
		async shutdown(timeoutMs) {
			options.storePacing.hurry();
			ws.closeAll(1001, 'Server shutting down');
			hocuspocus.closeConnections();
			hocuspocus.flushPendingStores();
			const deadline = Date.now() + timeoutMs;
			while (hocuspocus.getDocumentsCount() > 0 && Date.now() < deadline) {
				await new Promise((r) => setTimeout(r, 20));
			}
		}
	};
}
