/**
 * One filtered, cursor-paged admin list (users, boards, the audit log): the filters being
 * edited, the rows loaded so far for the filters they were loaded with, the next page's cursor,
 * and the last failure. Each panel keeps only its own actions.
 */
import { callApi, listPath } from './admin-api';

/** How long typing must pause before a search starts. */
export const searchPause = 250;

/** A page as the admin endpoints answer it. */
interface Page<T> {
	items: T[];
	nextCursor: string | null;
}

export interface AdminListOptions<F> {
	/** The filters a fresh list starts with. */
	filters: F;
	/** The request for one page: these filters, after `cursor` (null: the first page). */
	url: (filters: F, cursor: string | null) => string;
	/** Words a fresh load's result for the status line (none: the status is left as it is). */
	describe?: (count: number, more: boolean) => string;
}

export class AdminList<T extends { id: string }, F = { q: string }> {
	/** What the panel's inputs edit; applied by the next fresh `load`. */
	filters: F = $state() as F;
	items = $state<T[]>([]);
	nextCursor = $state<string | null>(null);
	loading = $state(false);
	error = $state<string | null>(null);
	/** The server's word on single filters (too long, not a date…), by query parameter name. */
	fields = $state<Record<string, string>>({});
	/** What a screen reader is told: the count found, or the panel's last action. */
	status = $state('');
	/** The filters the loaded rows were found with: "Load more" keeps to them. */
	#shown: F | null = null;
	readonly #options: AdminListOptions<F>;
	/** Answers to an older search that arrive late are dropped. */
	#generation = 0;
	#debounce: ReturnType<typeof setTimeout> | undefined;

	constructor(options: AdminListOptions<F>) {
		this.#options = options;
		this.filters = options.filters;
	}

	/** The filters of the rows shown (the edited ones before the first load). */
	get shown(): F {
		return this.#shown ?? this.filters;
	}

	/** The first page for the edited filters, or (`more`) the page after the loaded ones. */
	async load(more = false): Promise<void> {
		const mine = more ? this.#generation : ++this.#generation;
		const applied = more && this.#shown ? this.#shown : $state.snapshot(this.filters);
		this.loading = true;
		const result = await callApi<Page<T>>(
			this.#options.url(applied as F, more ? this.nextCursor : null)
		);
		if (mine !== this.#generation) return;
		this.loading = false;
		if (!result.ok) {
			this.error = result.message;
			this.fields = result.fields;
			// A refused filter (field errors): the rows of the last search do not answer it, and
			// under its error would read as its results. A failure that is not about the filters
			// (offline, rate limit) keeps them, as does a failed "more".
			if (!more && Object.keys(result.fields).length > 0) {
				this.items = [];
				this.nextCursor = null;
				this.#shown = null;
				const describe = this.#options.describe;
				if (describe) this.status = describe(0, false);
			}
			return;
		}
		this.error = null;
		this.fields = {};
		this.#shown = applied as F;
		this.items = more ? [...this.items, ...result.body.items] : result.body.items;
		this.nextCursor = result.body.nextCursor;
		const describe = this.#options.describe;
		if (describe) this.status = describe(this.items.length, this.nextCursor !== null);
	}

	/** Loads once typing pauses, so each keystroke does not start a query. */
	searchSoon(): void {
		clearTimeout(this.#debounce);
		this.#debounce = setTimeout(() => void this.load(), searchPause);
	}

	/** Puts a changed row in place of the loaded one with its id. */
	replace(item: T): void {
		this.items = this.items.map((old) => (old.id === item.id ? item : old));
	}
}

/** A list searched by one text field, `?q=`, as the users and boards listings are. */
export function searchList<T extends { id: string }>(
	path: string,
	describe?: (count: number, more: boolean) => string
): AdminList<T> {
	return new AdminList<T>({
		filters: { q: '' },
		url: ({ q }, cursor) => listPath(path, q, cursor),
		describe
	});
}
