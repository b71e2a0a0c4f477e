import { createContext } from 'svelte';
import { SvelteMap } from 'svelte/reactivity';
import type { CommentCountsDto } from '../api/comments.ts';
import type { CommentNews } from '../collab-protocol/board-news.ts';

/** What a count source offers (a `BoardState`). */
export interface CommentNewsSource {
	onComments(listener: (news: CommentNews | null) => void): () => void;
}

/** Reads every count of the board at once; null when it could not (offline, refused). */
export type CountsReader = () => Promise<Record<string, number> | null>;

/** The board's counts from `GET /api/v1/boards/:id/comment-counts`: one request. */
export function countsFromApi(
	boardId: string,
	fetcher: typeof fetch = (...args) => fetch(...args)
): CountsReader {
	return async () => {
		try {
			const url = `/api/v1/boards/${encodeURIComponent(boardId)}/comment-counts`;
			const response = await fetcher(url, { headers: { accept: 'application/json' } });
			if (!response.ok) return null;
			return ((await response.json()) as CommentCountsDto).counts;
		} catch {
			return null;
		}
	};
}

/**
 * How many comments each card of the board has, for the card faces: read once with the page
 * (only the cards that have comments), then kept current by the counts the board news carries.
 * After a resync (news `null`: anything may have changed while the socket was down) every count
 * is re-read at once, in one request for the board. A card face reads one entry, so a count
 * change re-renders that card only.
 */
export class CommentCounts {
	readonly #counts = new SvelteMap<string, number>();
	readonly #read: CountsReader | null;
	/** Cards the news counted while a re-read was under way: their news is newer than it. */
	#newer: Set<string> | null = null;
	#again = false;

	constructor(initial: Record<string, number>, read: CountsReader | null = null) {
		for (const [taskId, count] of Object.entries(initial)) this.#counts.set(taskId, count);
		this.#read = read;
	}

	of(taskId: string): number {
		return this.#counts.get(taskId) ?? 0;
	}

	/** Applies news; entries without a count (an edit) change nothing here; null re-reads all. */
	apply(news: CommentNews | null): void {
		if (!news) {
			void this.reread();
			return;
		}
		for (const [taskId, count] of Object.entries(news)) {
			if (count === null) continue;
			this.#newer?.add(taskId);
			this.#set(taskId, count);
		}
	}

	/** Re-reads every count; a call while one is under way folds into one more read after it. */
	async reread(): Promise<void> {
		if (!this.#read) return;
		if (this.#newer) {
			this.#again = true;
			return;
		}
		do {
			this.#again = false;
			// Bookkeeping, never rendered: a plain set.
			// eslint-disable-next-line svelte/prefer-svelte-reactivity
			this.#newer = new Set();
			try {
				const counts = await this.#read();
				if (counts) this.#replace(counts, this.#newer);
			} finally {
				this.#newer = null;
			}
		} while (this.#again);
	}

	#set(taskId: string, count: number): void {
		if (count === 0) this.#counts.delete(taskId);
		else this.#counts.set(taskId, count);
	}

	#replace(counts: Record<string, number>, keep: ReadonlySet<string>): void {
		for (const taskId of [...this.#counts.keys()]) {
			if (!(taskId in counts) && !keep.has(taskId)) this.#counts.delete(taskId);
		}
		for (const [taskId, count] of Object.entries(counts)) {
			if (!keep.has(taskId)) this.#set(taskId, count);
		}
	}

	/** Follows a board's news; returns the unsubscribe. */
	follow(source: CommentNewsSource): () => void {
		return source.onComments((news) => this.apply(news));
	}
}

export const [getCommentCounts, setCommentCounts] = createContext<CommentCounts>();
