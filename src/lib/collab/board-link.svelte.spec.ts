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
