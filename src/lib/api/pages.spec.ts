import { describe, expect, it } from 'vitest';
import { readAllPages } from './pages.ts';

/** A list of `total` numbers served in pages of `size`, cursors being the next offset. */
function server(total: number, size: number, failAt: number | null = null) {
	const asked: string[] = [];
	const fetchPage = (async (input: string) => {
		asked.push(input);
		const url = new URL(input, 'http://x');
		const offset = Number(url.searchParams.get('cursor') ?? 0);
		if (offset === failAt) return new Response('{}', { status: 500 });
		const items = Array.from({ length: Math.min(size, total - offset) }, (_, i) => offset + i);
		const next = offset + size < total ? String(offset + size) : null;
		return new Response(JSON.stringify({ items, nextCursor: next }), { status: 200 });
	}) as typeof fetch;
	return { fetchPage, asked };
}

describe('readAllPages', () => {
	it('follows the cursors to the end, asking for the largest pages', async () => {
		const { fetchPage, asked } = server(450, 200);
		const items = await readAllPages<number>('/api/v1/boards/b/members', fetchPage);
		expect(items).toEqual(Array.from({ length: 450 }, (_, i) => i));
		expect(asked).toEqual([
			'/api/v1/boards/b/members?limit=200',
			'/api/v1/boards/b/members?limit=200&cursor=200',
			'/api/v1/boards/b/members?limit=200&cursor=400'
		]);
	});

	it('answers null when a page fails', async () => {
		const { fetchPage } = server(450, 200, 200);
		expect(await readAllPages('/list', fetchPage)).toBeNull();
	});
});
