import { describe, expect, it, vi } from 'vitest';
import type { CommentNews } from '../collab-protocol/board-news.ts';
import { CommentCounts, countsFromApi } from './comment-counts.svelte.ts';

function source() {
	const listeners = new Set<(news: CommentNews | null) => void>();
	return {
		onComments(listener: (news: CommentNews | null) => void) {
			listeners.add(listener);
			return () => listeners.delete(listener);
		},
		send: (news: CommentNews | null) => listeners.forEach((l) => l(news)),
		size: () => listeners.size
	};
}

describe('CommentCounts', () => {
	it('starts from the page load and follows the counts the news carries', () => {
		const counts = new CommentCounts({ a: 2 });
		const news = source();
		const stop = counts.follow(news);
		expect(counts.of('a')).toBe(2);
		expect(counts.of('b')).toBe(0);
		news.send({ a: 3, b: 1 });
		expect([counts.of('a'), counts.of('b')]).toEqual([3, 1]);
		news.send({ a: null, b: 0 });
		news.send(null);
		expect([counts.of('a'), counts.of('b')]).toEqual([3, 0]);
		stop();
		expect(news.size()).toBe(0);
		news.send({ a: 9 });
		expect(counts.of('a')).toBe(3);
	});

	it('re-reads every count of the board in one request after a resync (news null)', async () => {
		const requests: string[] = [];
		const fetcher = (async (url: string) => {
			requests.push(url);
			return new Response(JSON.stringify({ counts: { a: 5, c: 1 } }), { status: 200 });
		}) as unknown as typeof fetch;
		const counts = new CommentCounts({ a: 2, b: 1 }, countsFromApi('board-1', fetcher));
		const news = source();
		counts.follow(news);
		news.send(null);
		await vi.waitFor(() => expect(counts.of('c')).toBe(1));
		expect([counts.of('a'), counts.of('b'), counts.of('c')]).toEqual([5, 0, 1]);
		expect(requests).toEqual(['/api/v1/boards/board-1/comment-counts']);
	});

	it('keeps news that arrives during the re-read, and folds resyncs during it into one more read', async () => {
		const answers: ((counts: Record<string, number> | null) => void)[] = [];
		const read = () => new Promise<Record<string, number> | null>((r) => answers.push(r));
		const counts = new CommentCounts({ a: 1 }, read);
		const news = source();
		counts.follow(news);
		news.send(null);
		news.send({ a: 4 });
		news.send(null);
		news.send(null);
		expect(answers).toHaveLength(1);
		// Read before the comment that made "a" 4; the news is newer.
		answers[0]!({ a: 3, b: 2 });
		await vi.waitFor(() => expect(answers).toHaveLength(2));
		expect([counts.of('a'), counts.of('b')]).toEqual([4, 2]);
		answers[1]!({ a: 4 });
		await vi.waitFor(() => expect(counts.of('b')).toBe(0));
		expect(counts.of('a')).toBe(4);
		expect(answers).toHaveLength(2);
	});

	it('keeps the counts it has when the re-read fails', async () => {
		const fetcher = (async () => new Response('{}', { status: 503 })) as unknown as typeof fetch;
		const read = vi.fn(countsFromApi('board-1', fetcher));
		const counts = new CommentCounts({ a: 2 }, read);
		await counts.reread();
		expect(read).toHaveBeenCalledTimes(1);
		expect(counts.of('a')).toBe(2);
	});
});
