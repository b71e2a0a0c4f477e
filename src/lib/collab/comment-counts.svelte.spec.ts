import { describe, expect, it } from 'vitest';
import type { CommentNews } from '../collab-protocol/board-news.ts';
import { CommentCounts } from './comment-counts.svelte.ts';

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
});
