import { SvelteSet } from 'svelte/reactivity';
import type { NotificationDto, NotificationPageDto } from '$lib/api/notifications';

const pageSize = 20;
const nowIso = () => new Date().toISOString();
const endpoint = '/api/v1/notifications';
/** After the server refused the stream (see `connect`), when to ask again. */
export const reopenStreamMs = 60_000;

/**
 * The signed-in user's notifications as reactive state, kept live by a server-sent-events
 * stream that says when to re-read (a new notification, or another tab marked some read).
 * EventSource reconnects by itself after a restart; its `ready` event triggers a catch-up read.
 */
export class NotificationInbox {
	items = $state<NotificationDto[]>([]);
	unread = $state(0);
	nextCursor = $state<string | null>(null);
	loaded = $state(false);
	loadingMore = $state(false);
	error = $state<string | null>(null);
	/** Read by a polite live region: the newest arrival, for screen readers. */
	announcement = $state('');
	#refreshing: Promise<void> | null = null;
	#again = false;
	readonly #seen = new SvelteSet<string>();

	constructor(unread: number) {
		this.unread = unread;
	}

	/**
	 * Opens the live stream; returns a function that closes it. EventSource reconnects by itself
	 * when a connection drops, but an answer other than 200 closes it for good: the server refuses
	 * a 33rd stream of one account (429), which a laptop's half-open streams after a network change
	 * can reach, and the bell would then stay silent until a reload. So a closed stream is opened
	 * again after a minute (its `ready` catches up on what was missed), once a HEAD says it would
	 * be taken: not after signing out (401), when asking every minute would be for nothing.
	 */
	connect(): () => void {
		let source: EventSource | null = null;
		let reopen: ReturnType<typeof setTimeout> | null = null;
		let stopped = false;
		const retry = async () => {
			reopen = null;
			let status: number | null = null;
			try {
				status = (await fetch(`${endpoint}/stream`, { method: 'HEAD' })).status;
			} catch {
				// Offline: ask again in a minute.
			}
			if (stopped || status === 401) return;
			if (status === 200) open();
			else reopen = setTimeout(() => void retry(), reopenStreamMs);
		};
		const open = () => {
			reopen = null;
			const opened = new EventSource(`${endpoint}/stream`);
			source = opened;
			opened.addEventListener('new', () => void this.refresh(true));
			opened.addEventListener('read', () => void this.refresh(false));
			opened.addEventListener('ready', () => void this.refresh(false));
			opened.addEventListener('error', () => {
				if (stopped || reopen || opened.readyState !== EventSource.CLOSED) return;
				reopen = setTimeout(() => void retry(), reopenStreamMs);
			});
		};
		open();
		return () => {
			stopped = true;
			if (reopen) clearTimeout(reopen);
			source?.close();
		};
	}

	async #fetch(cursor: string | null): Promise<NotificationPageDto | null> {
		const query = `limit=${pageSize}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`;
		try {
			const response = await fetch(`${endpoint}?${query}`, {
				headers: { accept: 'application/json' }
			});
			if (!response.ok) throw new Error(String(response.status));
			this.error = null;
			return (await response.json()) as NotificationPageDto;
		} catch {
			this.error = 'Notifications could not be loaded. Check your connection.';
			return null;
		}
	}

	/** Re-reads the first page; signals that arrive while one read runs fold into one more. */
	refresh(announce = false): Promise<void> {
		if (this.#refreshing) {
			this.#again = true;
			return this.#refreshing;
		}
		this.#refreshing = (async () => {
			do {
				this.#again = false;
				const page = await this.#fetch(null);
				if (!page) break;
				const fresh = page.items.filter((item) => !this.#seen.has(item.id) && !item.readAt);
				if (announce && this.loaded && fresh[0]) {
					this.announcement = `New notification: ${fresh[0].text}`;
				}
				for (const item of page.items) this.#seen.add(item.id);
				// Back to the first page: simpler than splicing it onto older pages already shown.
				this.items = page.items;
				this.nextCursor = page.nextCursor;
				this.unread = page.unreadCount;
				this.loaded = true;
			} while (this.#again);
		})().finally(() => {
			this.#refreshing = null;
		});
		return this.#refreshing;
	}

	async loadMore(): Promise<void> {
		if (!this.nextCursor || this.loadingMore) return;
		this.loadingMore = true;
		const page = await this.#fetch(this.nextCursor);
		this.loadingMore = false;
		if (!page) return;
		const have = new SvelteSet(this.items.map((item) => item.id));
		for (const item of page.items) this.#seen.add(item.id);
		this.items = [...this.items, ...page.items.filter((item) => !have.has(item.id))];
		this.nextCursor = page.nextCursor;
		this.unread = page.unreadCount;
	}

	/** Marks one read (or every one, without `id`); shown at once, undone if the server refuses. */
	async markRead(id?: string): Promise<void> {
		const targets = this.items.filter(
			(item) => !item.readAt && (id === undefined || item.id === id)
		);
		if (id !== undefined && targets.length === 0) return;
		const before = { items: this.items, unread: this.unread };
		this.items = this.items.map((item) =>
			targets.includes(item) ? { ...item, readAt: nowIso() } : item
		);
		this.unread = id === undefined ? 0 : Math.max(0, this.unread - targets.length);
		try {
			const response = await fetch(`${endpoint}/read`, {
				method: 'POST',
				headers: { 'content-type': 'application/json', accept: 'application/json' },
				body: JSON.stringify(id === undefined ? { all: true } : { ids: [id] })
			});
			if (!response.ok) throw new Error(String(response.status));
			this.unread = ((await response.json()) as { unreadCount: number }).unreadCount;
			this.error = null;
		} catch {
			this.items = before.items;
			this.unread = before.unread;
			this.error = 'Could not mark as read. Try again.';
		}
	}
}
