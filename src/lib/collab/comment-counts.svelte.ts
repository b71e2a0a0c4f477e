import { createContext } from 'svelte';
import { SvelteMap } from 'svelte/reactivity';
import type { CommentNews } from '../collab-protocol/board-news.ts';

/** What a count source offers (a `BoardState`). */
export interface CommentNewsSource {
	onComments(listener: (news: CommentNews | null) => void): () => void;
}

/**
 * How many comments each card of the board has, for the card faces: read once with the page
 * (only the cards that have comments), then kept current by the counts the board news carries.
 * A card face reads one entry, so a count change re-renders that card only.
 */
export class CommentCounts {
	readonly #counts = new SvelteMap<string, number>();

	constructor(initial: Record<string, number>) {
		for (const [taskId, count] of Object.entries(initial)) this.#counts.set(taskId, count);
	}

	of(taskId: string): number {
		return this.#counts.get(taskId) ?? 0;
	}

	/** Applies news; entries without a count (an edit) change nothing here. */
	apply(news: CommentNews | null): void {
		if (!news) return;
		for (const [taskId, count] of Object.entries(news)) {
			if (count === null) continue;
			if (count === 0) this.#counts.delete(taskId);
			else this.#counts.set(taskId, count);
		}
	}

	/** Follows a board's news; returns the unsubscribe. */
	follow(source: CommentNewsSource): () => void {
		return source.onComments((news) => this.apply(news));
	}
}

export const [getCommentCounts, setCommentCounts] = createContext<CommentCounts>();
