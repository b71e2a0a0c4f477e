import { HocuspocusProvider } from '@hocuspocus/provider';

export type ConnectionStatus = 'connecting' | 'connected' | 'offline' | 'denied';

/**
 * The live websocket connection to one board, as reactive state for the page. The browser's
 * session cookie authenticates it; the server decides read-only from the member's role.
 */
export class BoardConnection {
	status = $state<ConnectionStatus>('connecting');
	/** Local changes the server has not acknowledged yet. */
	unsynced = $state(0);
	readOnly = $state(false);
	deniedReason = $state<string | null>(null);
	readonly provider: HocuspocusProvider;

	constructor(boardId: string) {
		const scheme = location.protocol === 'https:' ? 'wss' : 'ws';
		this.provider = new HocuspocusProvider({
			url: `${scheme}://${location.host}/collab`,
			name: `board:${boardId}`,
			onStatus: ({ status }) => {
				if (this.status === 'denied' && status !== 'connected') return;
				this.status =
					status === 'connected' ? 'connected' : status === 'connecting' ? 'connecting' : 'offline';
			},
			onAuthenticated: ({ scope }) => {
				this.readOnly = scope === 'readonly';
				this.deniedReason = null;
			},
			onAuthenticationFailed: ({ reason }) => {
				this.status = 'denied';
				this.deniedReason = reason;
			},
			onUnsyncedChanges: ({ number }) => {
				this.unsynced = number;
			}
		});
	}

	destroy() {
		this.provider.destroy();
	}
}
