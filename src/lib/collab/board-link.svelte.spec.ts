import { afterEach, describe, expect, it, vi } from 'vitest';
import { BoardLink } from './board-link.svelte';

describe('BoardLink before its provider is attached', () => {
	afterEach(() => vi.unstubAllGlobals());

	it('is connecting, not offline, where there is no window (server rendering)', () => {
		// Node has a `navigator` without `onLine`; the first paint must not read it as offline.
		expect(typeof navigator).toBe('object');
		const link = new BoardLink();
		expect(link.online).toBe(true);
		expect(link.status).toBe('connecting');
	});

	it('follows the browser: offline when it says it has no network', () => {
		vi.stubGlobal('window', { addEventListener() {}, removeEventListener() {} });
		vi.stubGlobal('navigator', { onLine: false });
		const link = new BoardLink();
		expect(link.online).toBe(false);
		expect(link.status).toBe('offline');
		vi.stubGlobal('navigator', { onLine: true });
		expect(link.status).toBe('connecting');
	});
});

/** The provider surface BoardLink reads: events, the socket's status, sync and scope. */
function fakeProvider() {
	const handlers = new Map<string, Set<(payload: unknown) => void>>();
	return {
		isSynced: false,
		authorizedScope: undefined as string | undefined,
		configuration: { websocketProvider: { status: 'connecting' } },
		on(event: string, handler: (payload: unknown) => void) {
			if (!handlers.has(event)) handlers.set(event, new Set());
			handlers.get(event)!.add(handler);
		},
		off(event: string, handler: (payload: unknown) => void) {
			handlers.get(event)?.delete(handler);
		},
		emit(event: string, payload: unknown) {
			for (const handler of handlers.get(event) ?? []) handler(payload);
		}
	};
}

describe('BoardLink refusals', () => {
	afterEach(() => vi.unstubAllGlobals());

	it('takes "unavailable" as no refusal (the server asks it to come back), others as denied', () => {
		vi.stubGlobal('window', { addEventListener() {}, removeEventListener() {} });
		vi.stubGlobal('navigator', { onLine: true });
		const link = new BoardLink();
		const provider = fakeProvider();
		link.attach(provider as unknown as Parameters<BoardLink['attach']>[0]);
		provider.emit('authenticationFailed', { reason: 'unavailable' });
		expect(link.status).toBe('connecting');
		expect(link.deniedReason).toBeNull();
		expect(link.readOnly).toBe(false);
		provider.emit('authenticationFailed', { reason: 'not-found' });
		expect(link.status).toBe('denied');
		expect(link.deniedReason).toBe('not-found');
		expect(link.readOnly).toBe(true);
	});
});

describe('BoardLink scope', () => {
	afterEach(() => vi.unstubAllGlobals());

	it('knows nothing until admitted, then follows the scope of each admission', () => {
		vi.stubGlobal('window', { addEventListener() {}, removeEventListener() {} });
		vi.stubGlobal('navigator', { onLine: true });
		const link = new BoardLink();
		const provider = fakeProvider();
		link.attach(provider as unknown as Parameters<BoardLink['attach']>[0]);
		expect(link.writable).toBeNull();
		provider.authorizedScope = 'readonly';
		provider.emit('authenticated', { scope: 'readonly' });
		expect(link.writable).toBe(false);
		// Promoted: the server closed the socket and admitted the reconnection to write.
		provider.authorizedScope = 'read-write';
		provider.emit('authenticated', { scope: 'read-write' });
		expect(link.writable).toBe(true);
		provider.emit('authenticationFailed', { reason: 'not-found' });
		expect(link.writable).toBe(false);
	});
});
