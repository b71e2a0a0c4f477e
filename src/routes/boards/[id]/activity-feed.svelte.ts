import type { BoardState } from '$lib/collab/board-state.svelte';
import type { EventDto, EventPageDto } from '$lib/api/events';
import { groupActivity } from '$lib/domain/activity-bursts';

const pageSize = 30;
/** A relay delivers in batches; several announcements in a row are one re-read. */
const settleMs = 250;

/**
 * One cursor-paginated event feed (a board's or a card's) as reactive state. `refresh` re-reads
 * the first page when the server says new events were delivered, keeping the older pages
 * already loaded; `loadMore` follows `nextCursor`.
 */
export class ActivityFeed {
	items = $state<EventDto[]>([]);
	/** What the list shows: each person's burst of edits to a card as one entry. */
	readonly entries = $derived(groupActivity(this.items));
	nextCursor = $state<string | null>(null);
	/** True once the first page arrived (or was found to be empty). */
	loaded = $state(false);
	loadingMore = $state(false);
	error = $state<string | null>(null);
	readonly #url: string;
	#refreshing: Promise<void> | null = null;
	#again = false;

	/** `url`: the feed's endpoint, e.g. `/api/v1/boards/<id>/events` (may carry a query). */
	constructor(url: string) {
		this.#url = url;
	}

	async #fetch(cursor: string | null): Promise<EventPageDto | null> {
		const query = `limit=${pageSize}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`;
		const joiner = this.#url.includes('?') ? '&' : '?';
		const response = await fetch(`${this.#url}${joiner}${query}`, {
			headers: { accept: 'application/json' }
		});
		// A card not stored yet (created seconds ago) has no history to show.
		if (response.status === 404) return { items: [], nextCursor: null };
		if (!response.ok) {
			this.error =
				response.status === 503
					? 'The activity log is unavailable right now. Try again shortly.'
					: 'Activity could not be loaded.';
			return null;
		}
		this.error = null;
		return (await response.json()) as EventPageDto;
	}

	/** Re-reads the first page; calls made while one runs are folded into one more run. */
	refresh(): Promise<void> {
		if (this.#refreshing) {
			this.#again = true;
			return this.#refreshing;
		}
		this.#refreshing = (async () => {
			try {
				do {
					this.#again = false;
					await this.#refreshOnce();
				} while (this.#again);
			} catch {
				this.error = 'Activity could not be loaded. Check your connection.';
			} finally {
				this.#refreshing = null;
			}
		})();
		return this.#refreshing;
	}

	async #refreshOnce(): Promise<void> {
		const page = await this.#fetch(null);
		if (!page) return;
		const first = !this.loaded || this.items.length <= pageSize;
		if (first) {
			this.items = page.items;
			this.nextCursor = page.nextCursor;
		} else {
			// Newer events on top; a coalesced event delivered again replaces its older copy.
			const fresh = page.items.map((item) => item.id);
			this.items = [...page.items, ...this.items.filter((item) => !fresh.includes(item.id))];
		}
		this.loaded = true;
	}

	async loadMore(): Promise<void> {
		if (!this.nextCursor || this.loadingMore) return;
		this.loadingMore = true;
		try {
			const page = await this.#fetch(this.nextCursor);
			if (!page) return;
			const known = this.items.map((item) => item.id);
			this.items = [...this.items, ...page.items.filter((item) => !known.includes(item.id))];
			this.nextCursor = page.nextCursor;
		} catch {
			this.error = 'Activity could not be loaded. Check your connection.';
		} finally {
			this.loadingMore = false;
		}
	}

	/**
	 * Loads the first page, then re-reads it whenever the server announces new events of the
	 * board. Returns the cleanup, for `$effect`.
	 */
	follow(board: BoardState): () => void {
		void this.refresh();
		let timer: ReturnType<typeof setTimeout> | null = null;
		const stop = board.onEvents(() => {
			if (timer) clearTimeout(timer);
			timer = setTimeout(() => {
				timer = null;
				void this.refresh();
			}, settleMs);
		});
		return () => {
			stop();
			if (timer) clearTimeout(timer);
		};
	}
}
