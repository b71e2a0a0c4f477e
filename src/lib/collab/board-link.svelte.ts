import { WebSocketStatus, type HocuspocusProvider } from '@hocuspocus/provider';
import { createSubscriber } from 'svelte/reactivity';

export type ConnectionStatus = 'connecting' | 'connected' | 'offline' | 'denied';

const providerEvents = [
	'status',
	'synced',
	'authenticated',
	'authenticationFailed',
	'unsyncedChanges'
] as const;

/**
 * The live connection of one board as reactive state, read from the provider on demand. The
 * session cookie authenticates the socket; the server decides whether it is read-only.
 */
export class BoardLink {
	#provider: HocuspocusProvider | null = null;
	#denied: string | null = null;
	#everSynced = false;
	readonly #subscribe: () => void;
	#notify: (() => void) | null = null;

	constructor() {
		this.#subscribe = createSubscriber((update) => {
			this.#notify = update;
			this.#listen(update, true);
			return () => {
				this.#listen(update, false);
				this.#notify = null;
			};
		});
	}

	#listen(handler: () => void, on: boolean): void {
		const provider = this.#provider;
		for (const event of providerEvents) {
			if (on) provider?.on(event, handler);
			else provider?.off(event, handler);
		}
		if (typeof window === 'undefined') return;
		const method = on ? window.addEventListener : window.removeEventListener;
		method.call(window, 'online', handler);
		method.call(window, 'offline', handler);
	}

	readonly #goOffline = () => this.#provider?.disconnect();
	readonly #goOnline = () => void this.#provider?.connect();

	attach(provider: HocuspocusProvider): void {
		this.#provider = provider;
		provider.on('synced', ({ state }: { state: boolean }) => {
			if (state) this.#everSynced = true;
		});
		provider.on('authenticated', () => (this.#denied = null));
		provider.on('authenticationFailed', ({ reason }: { reason: string }) => {
			// "unavailable" is no refusal: the server could not check the connection, closes the
			// socket and the provider reconnects (server/ws-limits.ts, `tryAgainLater`).
			if (reason !== 'unavailable') this.#denied = reason;
		});
		// A socket to an unreachable server can look open for the half-minute the provider waits
		// for a message; when the browser already knows it is offline, drop it and say so at once.
		window.addEventListener('offline', this.#goOffline);
		window.addEventListener('online', this.#goOnline);
		if (this.#notify) {
			for (const event of providerEvents) provider.on(event, this.#notify);
			this.#notify();
		}
	}

	get status(): ConnectionStatus {
		this.#subscribe();
		const provider = this.#provider;
		if (this.#denied) return 'denied';
		const socket = provider?.configuration.websocketProvider.status;
		if (provider?.isSynced && socket === WebSocketStatus.Connected) return 'connected';
		return this.#everSynced || !this.online ? 'offline' : 'connecting';
	}

	/**
	 * Whether the browser believes it has a network; false means no reconnect will succeed.
	 * Server rendering assumes a network: Node has a `navigator` too, without `onLine`, and
	 * reading that as "offline" painted every board's first screen as offline.
	 */
	get online(): boolean {
		this.#subscribe();
		return typeof window === 'undefined' ? true : navigator.onLine;
	}

	/** Local changes the server has not acknowledged yet (the provider's count). */
	get unsynced(): number {
		this.#subscribe();
		return this.#provider?.unsyncedChanges ?? 0;
	}

	/** The reason the server refused the connection, when it did. */
	get deniedReason(): string | null {
		this.#subscribe();
		return this.#denied;
	}

	/** The server's word on this connection: viewers and non-member admins are read-only. */
	get readOnly(): boolean {
		return this.writable === false;
	}

	/**
	 * Whether the server's last word was that this connection may write; null before it has
	 * spoken. A role changed while the page is open reaches the page here first: the server
	 * closes the socket, and the reconnection is admitted with the new role.
	 */
	get writable(): boolean | null {
		this.#subscribe();
		if (this.#denied !== null) return false;
		const scope = this.#provider?.authorizedScope;
		return scope === undefined ? null : scope !== 'readonly';
	}

	destroy(): void {
		if (typeof window !== 'undefined') {
			window.removeEventListener('offline', this.#goOffline);
			window.removeEventListener('online', this.#goOnline);
		}
		this.#provider?.destroy();
		this.#provider = null;
	}
}
