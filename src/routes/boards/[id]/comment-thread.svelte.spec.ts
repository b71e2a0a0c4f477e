import { describe, expect, it } from 'vitest';
import type { CommentDto } from '$lib/api/comments';
import type { CommentNews } from '$lib/collab-protocol/board-news';
import { CommentThread } from './comment-thread.svelte';

/** A small stand-in for the comment endpoints: what a thread asks and what it is answered. */
function server() {
	const comments: CommentDto[] = [];
	const asked: string[] = [];
	let next = 0;
	const json = (status: number, body: unknown) =>
		new Response(JSON.stringify(body), {
			status,
			headers: { 'content-type': status < 300 ? 'application/json' : 'application/problem+json' }
		});
	const make = (body: string): CommentDto => ({
		id: `c${++next}`,
		boardId: 'b',
		taskId: 't',
		author: { id: 'u', name: 'Ana' },
		body,
		bodyHtml: `<p>${body}</p>`,
		createdAt: '2026-01-01T10:00:00.000Z',
		updatedAt: '2026-01-01T10:00:00.000Z',
		edited: false,
		canEdit: true,
		canDelete: true
	});
	const fetcher = (async (input: RequestInfo | URL, init?: RequestInit) => {
		const url = new URL(String(input), 'http://app');
		const method = init?.method ?? 'GET';
		asked.push(`${method} ${url.pathname}${url.search}`);
		if (method === 'GET') {
			const limit = Number(url.searchParams.get('limit'));
			const from = Number(url.searchParams.get('cursor') ?? 0);
			const items = comments.slice(from, from + limit);
			const more = from + limit < comments.length;
			return json(200, {
				items,
				nextCursor: more ? String(from + limit) : null,
				total: comments.length
			});
		}
		const body = init?.body ? (JSON.parse(String(init.body)) as { body: string }).body : '';
		if (method === 'POST') {
			if (!body.trim()) return json(422, { detail: 'Write something before posting the comment.' });
			const comment = make(body);
			comments.push(comment);
			return json(201, comment);
		}
		const id = url.pathname.split('/').at(-1)!;
		const index = comments.findIndex((c) => c.id === id);
		if (index === -1) return json(404, { detail: 'No such comment.' });
		if (method === 'PATCH') {
			comments[index] = { ...comments[index]!, body, edited: true };
			return json(200, comments[index]);
		}
		comments.splice(index, 1);
		return new Response(null, { status: 204 });
	}) as typeof fetch;
	return { comments, asked, fetcher, add: (body: string) => comments.push(make(body)) };
}

function newsSource() {
	let listener: ((news: CommentNews | null) => void) | null = null;
	return {
		onComments(l: (news: CommentNews | null) => void) {
			listener = l;
			return () => (listener = null);
		},
		send: (news: CommentNews | null) => listener?.(news)
	};
}

describe('CommentThread', () => {
	it('loads the first page, then more on request', async () => {
		const api = server();
		for (let i = 0; i < 60; i++) api.add(`c ${i}`);
		const thread = new CommentThread('b', 't', api.fetcher);
		await thread.refresh();
		expect(thread.loaded).toBe(true);
		expect(thread.items).toHaveLength(50);
		expect(thread.total).toBe(60);
		await thread.loadMore();
		expect(thread.items.map((c) => c.body).at(-1)).toBe('c 59');
		expect(thread.nextCursor).toBeNull();
	});

	it('applies its own writes from their answers and shows refusals', async () => {
		const api = server();
		const thread = new CommentThread('b', 't', api.fetcher);
		await thread.refresh();
		expect(await thread.post('  ')).toBe('Write something before posting the comment.');
		expect(await thread.post('hello')).toBeNull();
		expect(thread.items.map((c) => c.body)).toEqual(['hello']);
		expect(thread.total).toBe(1);
		expect(await thread.edit(thread.items[0]!.id, 'hello again')).toBeNull();
		expect(thread.items[0]).toMatchObject({ body: 'hello again', edited: true });
		expect(await thread.remove(thread.items[0]!.id)).toBeNull();
		expect(thread.items).toEqual([]);
		expect(thread.total).toBe(0);
		expect(await thread.remove('gone')).toBe('No such comment.');
		// Card ids are unique per board only: every call about the card names its board.
		const aboutCard = api.asked.filter((asked) => asked.includes('/api/v1/tasks/'));
		expect(aboutCard.map((asked) => asked.split(' ')[0])).toEqual(['GET', 'POST', 'POST']);
		for (const asked of aboutCard) {
			expect(new URL(asked.split(' ')[1]!, 'http://app').searchParams.get('boardId')).toBe('b');
		}
	});

	it('re-reads on news about its card or a resync, not about other cards', async () => {
		const api = server();
		const news = newsSource();
		const thread = new CommentThread('b', 't', api.fetcher);
		const stop = thread.follow(news);
		await thread.refresh();
		api.add('from someone else');
		news.send({ other: 3 });
		await thread.refresh();
		const reads = api.asked.length;
		news.send({ other: 4 });
		expect(api.asked.length).toBe(reads);
		news.send({ t: 2 });
		news.send(null);
		await thread.refresh();
		expect(thread.items.map((c) => c.body)).toEqual(['from someone else']);
		expect(api.asked.length).toBeGreaterThan(reads);
		stop();
	});
});
