import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { searchList, searchPause } from './admin-list.svelte';

interface Row {
	id: string;
	name: string;
}

const rows: Row[] = Array.from({ length: 7 }, (_, i) => ({ id: `u${i}`, name: `User ${i}` }));
const pageSize = 3;

/**
 * A real HTTP server paging `rows` as the admin API does (`q` filters by name, the cursor is the
 * next index); `hold` keeps answers to a search back until released, to race two searches.
 */
function fakeApi() {
	const held = new Map<string, () => void>();
	const requests: string[] = [];
	const server = createServer((req, res: ServerResponse) => {
		const url = new URL(req.url ?? '/', 'http://x');
		const q = url.searchParams.get('q') ?? '';
		requests.push(q);
		const answer = () => {
			if (q.length > 20) {
				res.writeHead(422, { 'content-type': 'application/problem+json' });
				res.end(JSON.stringify({ detail: 'Check the search.', errors: { q: 'Too long.' } }));
				return;
			}
			const matching = rows.filter((row) => row.name.includes(q));
			const from = Number(url.searchParams.get('cursor') ?? 0);
			const items = matching.slice(from, from + pageSize);
			const next = from + pageSize < matching.length ? String(from + pageSize) : null;
			res.writeHead(200, { 'content-type': 'application/json' });
			res.end(JSON.stringify({ items, nextCursor: next }));
		};
		if (q.startsWith('slow')) held.set(q, answer);
		else answer();
	});
	return { server, requests, release: (q: string) => held.get(q)?.() };
}

describe('AdminList', () => {
	let api: ReturnType<typeof fakeApi>;

	beforeEach(async () => {
		api = fakeApi();
		await new Promise<void>((resolve) => api.server.listen(0, '127.0.0.1', resolve));
		const { port } = api.server.address() as AddressInfo;
		const realFetch = globalThis.fetch;
		// The page calls relative paths, as a browser resolves them against its origin.
		vi.stubGlobal('fetch', (path: string, init?: RequestInit) =>
			realFetch(`http://127.0.0.1:${port}${path}`, init)
		);
	});

	afterEach(async () => {
		vi.unstubAllGlobals();
		api.server.closeAllConnections();
		await new Promise((resolve) => api.server.close(resolve));
	});

	it('loads page after page without duplicates and says how many it found', async () => {
		const list = searchList<Row>('/api/v1/admin/users', (n, more) => `${n}${more ? '+' : ''}`);
		await list.load();
		expect(list.items.map((row) => row.id)).toEqual(['u0', 'u1', 'u2']);
		expect(list.status).toBe('3+');
		await list.load(true);
		await list.load(true);
		expect(list.items.map((row) => row.id)).toEqual(rows.map((row) => row.id));
		expect(list.nextCursor).toBeNull();
		expect(list.status).toBe('7');
	});

	it('loads more with the search the rows were found with, not the text edited since', async () => {
		const list = searchList<Row>('/api/v1/admin/users');
		list.filters.q = 'User';
		await list.load();
		list.filters.q = 'User 6';
		await list.load(true);
		expect(list.items.map((row) => row.id)).toEqual(['u0', 'u1', 'u2', 'u3', 'u4', 'u5']);
		expect(api.requests).toEqual(['User', 'User']);
	});

	it('drops the answer to an older search that arrives after a newer one', async () => {
		const list = searchList<Row>('/api/v1/admin/users');
		list.filters.q = 'slow';
		const older = list.load();
		list.filters.q = 'User 6';
		await list.load();
		api.release('slow');
		await older;
		expect(list.items.map((row) => row.id)).toEqual(['u6']);
		expect(list.loading).toBe(false);
	});

	it('shows the server’s word on the search text by the field', async () => {
		const list = searchList<Row>('/api/v1/admin/users');
		await list.load();
		expect(list.items).toHaveLength(3);
		list.filters.q = 'x'.repeat(30);
		await list.load();
		expect(list.error).toBe('Check the search.');
		// The earlier rows do not answer the refused search: not left under its error.
		expect(list.items).toEqual([]);
		expect(list.nextCursor).toBeNull();
		expect(list.fields.q).toBe('Too long.');
		list.filters.q = 'User';
		await list.load();
		expect(list.error).toBeNull();
		expect(list.fields.q).toBeUndefined();
	});

	it('searches once typing pauses, once for a burst of keystrokes', async () => {
		const list = searchList<Row>('/api/v1/admin/users');
		vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
		try {
			list.filters.q = 'User';
			list.searchSoon();
			list.filters.q = 'User 1';
			list.searchSoon();
			vi.advanceTimersByTime(searchPause - 1);
			expect(api.requests).toEqual([]);
			vi.advanceTimersByTime(1);
		} finally {
			vi.useRealTimers();
		}
		await vi.waitFor(() => expect(list.items.map((row) => row.id)).toEqual(['u1']));
		expect(api.requests).toEqual(['User 1']);
	});

	it('puts a changed row in place of the loaded one', async () => {
		const list = searchList<Row>('/api/v1/admin/users');
		await list.load();
		list.replace({ id: 'u1', name: 'Renamed' });
		expect(list.items.map((row) => row.name)).toEqual(['User 0', 'Renamed', 'User 2']);
	});
});
