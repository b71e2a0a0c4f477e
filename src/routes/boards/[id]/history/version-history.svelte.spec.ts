import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { BoardVersionDto } from '$lib/api/board-versions';
import { VersionHistory } from './version-history.svelte';

/** A small stand-in for the versions endpoints, holding versions newest first. */
function server(count: number) {
	let next = 0;
	const make = (name: string | null): BoardVersionDto => ({
		id: `v${++next}`,
		boardId: 'b',
		name,
		automatic: name === null,
		undo: false,
		cardCount: next,
		createdBy: name === null ? null : 'u1',
		createdAt: new Date(Date.UTC(2026, 0, 1, 0, next)).toISOString()
	});
	const versions: BoardVersionDto[] = [];
	for (let i = 0; i < count; i++) versions.unshift(make(null));
	const asked: string[] = [];
	const json = (status: number, body: unknown) =>
		new Response(JSON.stringify(body), {
			status,
			headers: { 'content-type': status < 300 ? 'application/json' : 'application/problem+json' }
		});
	const page = (limit: number, from: number) => ({
		items: versions.slice(from, from + limit),
		nextCursor: from + limit < versions.length ? String(from + limit) : null
	});
	const fetcher = async (input: RequestInfo | URL, init?: RequestInit) => {
		const url = new URL(String(input), 'http://app');
		const method = init?.method ?? 'GET';
		asked.push(`${method} ${url.pathname}${url.search}`);
		const parts = url.pathname.split('/').slice(6);
		if (method === 'GET' && parts.length === 0) {
			return json(
				200,
				page(Number(url.searchParams.get('limit')), Number(url.searchParams.get('cursor')))
			);
		}
		if (method === 'POST' && parts.length === 0) {
			const { name } = JSON.parse(String(init?.body)) as { name: string };
			if (!name.trim()) return json(422, { detail: 'Invalid.', errors: { name: 'Enter a name.' } });
			const version = make(name.trim());
			versions.unshift(version);
			return json(201, version);
		}
		const version = versions.find((v) => v.id === parts[0]);
		if (!version) return json(404, { detail: 'No such version.' });
		if (method === 'GET') return json(200, { version, board: { columns: [], deletedTasks: [] } });
		const previous = make(`Before restoring ${version.name ?? 'a checkpoint'}`);
		versions.unshift(previous);
		return json(200, { restored: version, previous });
	};
	return { versions, asked, page, fetcher };
}

describe('VersionHistory', () => {
	let api: ReturnType<typeof server>;
	beforeEach(() => {
		api = server(25);
		vi.stubGlobal('fetch', api.fetcher);
	});
	afterEach(() => vi.unstubAllGlobals());

	it('pages older versions onto the list until there are none', async () => {
		const history = new VersionHistory('b', api.page(20, 0));
		expect(history.items).toHaveLength(20);
		await history.loadOlder();
		expect(history.items.map((v) => v.id)).toEqual(api.versions.map((v) => v.id));
		expect(history.nextCursor).toBeNull();
		expect(api.asked).toEqual(['GET /api/v1/boards/b/versions?limit=20&cursor=20']);
		await history.loadOlder();
		expect(api.asked).toHaveLength(1);
	});

	it('names the current state on top, or says what is wrong with the name', async () => {
		const history = new VersionHistory('b', api.page(20, 0));
		expect(await history.name('  ')).toBe(false);
		expect(history.nameErrors).toEqual({ name: 'Enter a name.' });
		expect(await history.name('Launch')).toBe(true);
		expect(history.nameErrors).toEqual({});
		expect(history.items[0]).toMatchObject({ name: 'Launch', automatic: false });
	});

	it('previews a version, and reports one that is gone', async () => {
		const history = new VersionHistory('b', api.page(20, 0));
		expect(await history.select('v3')).toBe(true);
		expect(history.preview?.version.id).toBe('v3');
		expect(history.previewing).toBeNull();
		expect(await history.select('nope')).toBe(false);
		expect(history.previewError).toBe('No such version.');
		expect(history.preview?.version.id).toBe('v3');
	});

	it('restores, then undoes by restoring the state the restore saved, once', async () => {
		const history = new VersionHistory('b', api.page(20, 0));
		expect(await history.restore('v2')).toBe(true);
		const saved = history.outcome!.previous;
		expect(history.outcome).toMatchObject({ restored: { id: 'v2' }, undo: false });
		expect(history.items[0]).toEqual(saved);
		expect(await history.undoRestore()).toBe(true);
		expect(history.outcome).toMatchObject({ restored: { id: saved.id }, undo: true });
		expect(api.asked.slice(-2)).toEqual([
			'POST /api/v1/boards/b/versions/v2/restore',
			`POST /api/v1/boards/b/versions/${saved.id}/restore`
		]);
		expect(await history.undoRestore()).toBe(false);
	});

	it('keeps the outcome and says why when a restore is refused', async () => {
		const history = new VersionHistory('b', api.page(20, 0));
		expect(await history.restore('gone')).toBe(false);
		expect(history.restoreError).toBe('No such version.');
		expect(history.outcome).toBeNull();
	});
});
