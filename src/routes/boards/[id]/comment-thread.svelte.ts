import { untrack } from 'svelte';
import type { CommentDto, CommentPageDto } from '$lib/api/comments';
import type { CommentNewsSource } from '$lib/collab/comment-counts.svelte';
import { taskApiUrl } from '$lib/api/task-address';

const pageSize = 50;
/** A re-read covers what is shown, up to the API's largest page. */
const maxPage = 200;

type Fetch = typeof fetch;

/** The message of a problem+json answer, or a fallback. */
async function problemText(response: Response, fallback: string): Promise<string> {
	try {
		const problem = (await response.json()) as { detail?: unknown };
		return typeof problem.detail === 'string' ? problem.detail : fallback;
	} catch {
		return fallback;
	}
}

/**
 * One card's comments as reactive state: the oldest first, re-read when the board news says
 * this card's comments changed (or after a resync), and the caller's own writes applied from
 * their answers at once.
 */
export class CommentThread {
	items = $state<CommentDto[]>([]);
	nextCursor = $state<string | null>(null);
	total = $state(0);
	loaded = $state(false);
	error = $state<string | null>(null);
	readonly #boardId: string;
	readonly #taskId: string;
	readonly #fetch: Fetch;
	#refreshing: Promise<void> | null = null;
	#again = false;

	constructor(boardId: string, taskId: string, fetcher: Fetch = (...args) => fetch(...args)) {
		this.#boardId = boardId;
		this.#taskId = taskId;
		this.#fetch = fetcher;
	}

	get #url(): string {
		return taskApiUrl(this.#boardId, this.#taskId, '/comments');
	}

	async #page(limit: number, cursor: string | null): Promise<CommentPageDto | null> {
		const query = `limit=${limit}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`;
		const response = await this.#fetch(`${this.#url}&${query}`, {
			headers: { accept: 'application/json' }
		});
		// A card created seconds ago may have no stored row yet: no comments either.
		if (response.status === 404) return { items: [], nextCursor: null, total: 0 };
		if (!response.ok) {
			this.error = 'Comments could not be loaded.';
			return null;
		}
		this.error = null;
		return (await response.json()) as CommentPageDto;
	}

	/**
	 * Re-reads from the start, as many as are shown; overlapping calls fold into one more. Reads
	 * no state where its caller could track it: called from an effect, a read of `items` made
	 * the effect depend on the answer it was about to write, so every answer asked again (about
	 * 200 requests a second while a card was open, until the rate limit refused them all).
	 */
	refresh(): Promise<void> {
		if (this.#refreshing) {
			this.#again = true;
			return this.#refreshing;
		}
		this.#refreshing = (async () => {
			try {
				do {
					this.#again = false;
					const shown = untrack(() => this.items.length);
					const limit = Math.min(maxPage, Math.max(pageSize, shown + 10));
					const page = await this.#page(limit, null);
					if (page) {
						this.items = page.items;
						this.nextCursor = page.nextCursor;
						this.total = page.total;
						this.loaded = true;
					}
				} while (this.#again);
			} catch {
				this.error = 'Comments could not be loaded. Check your connection.';
			} finally {
				this.#refreshing = null;
			}
		})();
		return this.#refreshing;
	}

	async loadMore(): Promise<void> {
		if (!this.nextCursor) return;
		const page = await this.#page(pageSize, this.nextCursor).catch(() => null);
		if (!page) return;
		// A local lookup, never rendered.
		// eslint-disable-next-line svelte/prefer-svelte-reactivity
		const known = new Set(this.items.map((c) => c.id));
		this.items = [...this.items, ...page.items.filter((c) => !known.has(c.id))];
		this.nextCursor = page.nextCursor;
		this.total = page.total;
	}

	/** Follows the board's news for this card; returns the unsubscribe. */
	follow(source: CommentNewsSource): () => void {
		return source.onComments((news) => {
			if (!news || this.#taskId in news) void this.refresh();
		});
	}

	async #send(url: string, method: string, body?: unknown): Promise<Response | string> {
		try {
			const response = await this.#fetch(url, {
				method,
				headers: { accept: 'application/json', 'content-type': 'application/json' },
				body: body === undefined ? undefined : JSON.stringify(body)
			});
			if (!response.ok) return problemText(response, 'That did not work. Try again.');
			return response;
		} catch {
			return 'You seem to be offline: try again when the connection is back.';
		}
	}

	/** Posts a comment; the error to show, or null. */
	async post(body: string): Promise<string | null> {
		const answer = await this.#send(this.#url, 'POST', { body });
		if (typeof answer === 'string') return answer;
		const comment = (await answer.json()) as CommentDto;
		if (!this.items.some((c) => c.id === comment.id)) {
			// Appended only when the thread is read to its end; otherwise "show more" finds it.
			if (!this.nextCursor) this.items = [...this.items, comment];
			this.total += 1;
		}
		return null;
	}

	async edit(id: string, body: string): Promise<string | null> {
		const answer = await this.#send(`/api/v1/comments/${encodeURIComponent(id)}`, 'PATCH', {
			body
		});
		if (typeof answer === 'string') return answer;
		const comment = (await answer.json()) as CommentDto;
		this.items = this.items.map((c) => (c.id === id ? comment : c));
		return null;
	}

	async remove(id: string): Promise<string | null> {
		const answer = await this.#send(`/api/v1/comments/${encodeURIComponent(id)}`, 'DELETE');
		if (typeof answer === 'string') return answer;
		if (this.items.some((c) => c.id === id)) this.total = Math.max(0, this.total - 1);
		this.items = this.items.filter((c) => c.id !== id);
		return null;
	}
}
