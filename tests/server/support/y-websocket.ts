/** Real `y-websocket` `WebsocketProvider` clients in Node, pointed at a test app's /yjs endpoint. */
import WebSocket from 'ws';
import { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';

export interface YClient {
	provider: WebsocketProvider;
	doc: Y.Doc;
	/** Resolves once the first sync with the server completed. */
	synced: Promise<void>;
	/** Close events of every socket the provider opened, in order. */
	closes: { code: number; reason: string }[];
	/** Resolves with the close that made the provider stop reconnecting (a 44xx refusal). */
	refused: Promise<{ code: number; reason: string }>;
	destroy(): void;
}

export function connectY(
	appUrl: string,
	room: string,
	auth: { token?: string; headers?: Record<string, string> } = {}
): YClient {
	// `ws` lets us send a Cookie and Origin on the upgrade, as a browser would.
	class HeaderWebSocket extends WebSocket {
		constructor(address: string | URL, protocols?: string | string[]) {
			super(address, protocols, { headers: auth.headers ?? {} });
		}
	}
	const doc = new Y.Doc();
	const provider = new WebsocketProvider(`${appUrl.replace(/^http/, 'ws')}/yjs`, room, doc, {
		WebSocketPolyfill: HeaderWebSocket as unknown as typeof globalThis.WebSocket,
		params: auth.token ? { token: auth.token } : {},
		// Providers in one process would otherwise share edits over a BroadcastChannel, past the server.
		disableBc: true
	});
	const closes: YClient['closes'] = [];
	provider.on('connection-close', (event) => {
		if (event) closes.push({ code: event.code, reason: event.reason });
	});
	const synced = new Promise<void>((resolve) => {
		provider.on('sync', (isSynced: boolean) => {
			if (isSynced) resolve();
		});
	});
	const refused = new Promise<{ code: number; reason: string }>((resolve) => {
		provider.on('closed', (close) => resolve(close));
	});
	return {
		provider,
		doc,
		synced,
		closes,
		refused,
		destroy() {
			provider.destroy();
			doc.destroy();
		}
	};
}
