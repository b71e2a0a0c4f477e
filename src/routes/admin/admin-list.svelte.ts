/**
 * One searchable, cursor-paged admin list (users, boards): the search text, the rows loaded so
 * far, the next page's cursor, and the last failure. Each panel keeps only its own actions.
 */
import type { Page } from '$lib/api/admin';
import { callApi, listPath } from './admin-api';

/** How long typing must pause before a search starts. */
export const searchPause = 250;

export class AdminList<T extends { id: string }> {
	query = $state('');
	items = $state<T[]>([]);
	nextCursor = $state<string | null>(null);
	loading = $state(false);
	error = $state<string | null>(null);
	/** The server's word on the search text itself (too long, say), shown by the field. */
	queryError = $state<string | undefined>(undefined);
	/** What a screen reader is told: the count found, or the panel's last action. */
	status = $state('');
	readonly #path: string;
	readonly #describe: ((count: number, more: boolean) => string) | undefined;
	/** Answers to an older search that arrive late are dropped. */
	#generation = 0;
	#debounce: ReturnType<typeof setTimeout> | undefined;

	/** `describe` words a fresh search's result for the status line (none: left as it is). */
	constructor(path: string, describe?: (count: number, more: boolean) => string) {
		this.#path = path;
		this.#describe = describe;
	}

	/** The first page for the current search, or (`more`) the page after the loaded ones. */
	async load(more = false): Promise<void> {
		const mine = more ? this.#generation : ++this.#generation;
		this.loading = true;
		const result = await callApi<Page<T>>(
			listPath(this.#path, this.query, more ? this.nextCursor : null)
		);
		if (mine !== this.#generation) return;
		this.loading = false;
		if (!result.ok) {
			this.error = result.message;
			this.queryError = result.fields.q;
			return;
		}
		this.error = null;
		this.queryError = undefined;
		this.items = more ? [...this.items, ...result.body.items] : result.body.items;
		this.nextCursor = result.body.nextCursor;
		if (!more && this.#describe) {
			this.status = this.#describe(this.items.length, this.nextCursor !== null);
		}
	}

	/** Searches once typing pauses, so each keystroke does not start a query. */
	searchSoon(): void {
		clearTimeout(this.#debounce);
		this.#debounce = setTimeout(() => void this.load(), searchPause);
	}

	/** Puts a changed row in place of the loaded one with its id. */
	replace(item: T): void {
		this.items = this.items.map((old) => (old.id === item.id ? item : old));
	}
}
