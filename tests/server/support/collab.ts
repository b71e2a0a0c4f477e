/** Real `@hocuspocus/provider` clients in Node, pointed at a test app's /collab endpoint. */
import { HocuspocusProvider, HocuspocusProviderWebsocket } from '@hocuspocus/provider';
import WebSocket from 'ws';
import * as Y from 'yjs';

export interface TestProvider {
	provider: HocuspocusProvider;
	socket: HocuspocusProviderWebsocket;
	doc: Y.Doc;
	/** Resolves with true when authenticated and synced, false when authentication failed. */
	ready: Promise<boolean>;
	failures: string[];
	destroy(): void;
}

/** How the socket retries: by default one attempt, so a refused connection fails at once. */
export interface SocketRetry {
	/** Attempts per connection; 0 retries for ever, as browsers do. */
	maxAttempts: number;
	/** Waits between attempts (ms): the first, and the bounds (`maxDelay` ≥ `minDelay`). */
	delay?: number;
	minDelay?: number;
	maxDelay?: number;
}

export function connect(
	appUrl: string,
	boardId: string,
	auth: { token?: string; headers?: Record<string, string> },
	retry: SocketRetry = { maxAttempts: 1 }
): TestProvider {
	return connectDocument(appUrl, `board:${boardId}`, auth, retry);
}

/** Like `connect`, for any document name (including ones the server must refuse). */
export function connectDocument(
	appUrl: string,
	name: string,
	auth: { token?: string; headers?: Record<string, string> },
	retry: SocketRetry = { maxAttempts: 1 }
): TestProvider {
	const url = appUrl.replace(/^http/, 'ws') + '/collab';
	// `ws` lets us send a Cookie and Origin on the upgrade, as a browser would.
	class HeaderWebSocket extends WebSocket {
		constructor(address: string | URL) {
			super(address, { headers: auth.headers ?? {} });
		}
	}
	const socket = new HocuspocusProviderWebsocket({
		url,
		WebSocketPolyfill: HeaderWebSocket as unknown as typeof globalThis.WebSocket,
		...retry
	});
	const doc = new Y.Doc();
	const failures: string[] = [];
	let settle: (ok: boolean) => void = () => {};
	const ready = new Promise<boolean>((resolve) => (settle = resolve));
	const provider = new HocuspocusProvider({
		websocketProvider: socket,
		name,
		document: doc,
		token: auth.token ?? null,
		onSynced: () => settle(true),
		onAuthenticationFailed: ({ reason }) => {
			failures.push(reason);
			settle(false);
		}
	});
	// A provider handed its own socket waits until attached.
	provider.attach();
	return {
		provider,
		socket,
		doc,
		ready,
		failures,
		destroy() {
			provider.destroy();
			socket.destroy();
		}
	};
}

export async function waitFor(
	check: () => boolean,
	timeoutMs = 3000,
	what = 'condition'
): Promise<void> {
	const deadline = Date.now() + timeoutMs;
	while (!check()) {
		if (Date.now() > deadline)
			throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}`);
		await new Promise((r) => setTimeout(r, 10));
	}
}
