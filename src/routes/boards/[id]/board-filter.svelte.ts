/**
 * The board's filter as page state: what the filter bar holds, the test it makes, the columns
 * with only the matching cards, and the page URL kept in step (so a filtered board can be
 * shared and survives a reload). The URL is written once typing pauses, replacing the history
 * entry: no entry per keystroke, and the browser's limit on history writes is never reached.
 */
import type { ColumnView } from '$lib/domain/board';
import { localDay } from '$lib/domain/due-groups';
import {
	ColumnFilter,
	compileFilter,
	emptyFilter,
	isActive,
	parseFilter,
	sameFilter,
	searchTerms,
	withFilter,
	type CardFilter
} from './card-filter';

export interface BoardFilterOptions {
	/** The signed-in user, whom "me" means. */
	me: () => string;
	/** The clock (ms); only its local day matters. */
	now: () => number;
	/** The page URL as it is now. */
	url: () => URL;
	/** Replaces the page URL (no new history entry, focus and scroll kept). */
	navigate: (url: URL) => void;
	/** How long typing must pause before the URL is written, in ms. */
	delay?: number;
}

export class BoardFilter {
	value: CardFilter = $state(emptyFilter);
	readonly #options: BoardFilterOptions;
	/** The filter the URL holds (read from it or written to it last). */
	#inUrl: CardFilter;
	#timer: ReturnType<typeof setTimeout> | null = null;
	readonly #columns = new ColumnFilter();

	constructor(options: BoardFilterOptions) {
		this.#options = options;
		this.#inUrl = parseFilter(options.url().searchParams);
		this.value = this.#inUrl;
	}

	readonly active = $derived(isActive(this.value));
	/** The free text's words, for highlighting them on the cards. */
	readonly terms = $derived(searchTerms(this.value.q));
	// A string: the test is rebuilt when the day changes, not on every tick of the clock.
	// eslint-disable-next-line svelte/prefer-svelte-reactivity -- read once, never changed
	readonly #today = $derived.by(() => localDay(new Date(this.#options.now())));
	readonly test = $derived.by(() =>
		compileFilter(this.value, { me: this.#options.me(), today: this.#today })
	);

	/** The columns with only the matching cards (the same array when nothing is filtered). */
	apply(columns: readonly ColumnView[]): readonly ColumnView[] {
		return this.#columns.apply(columns, this.test);
	}

	/** Changes part of the filter; text waits for a pause before reaching the URL. */
	set(change: Partial<CardFilter>): void {
		this.value = { ...this.value, ...change };
		if (change.q !== undefined && Object.keys(change).length === 1) this.#schedule();
		else this.flush();
	}

	clear(): void {
		this.set({ ...emptyFilter });
	}

	/** The page URL changed (a link, back or forward): follow it unless this wrote it. */
	follow(url: URL): void {
		const wanted = parseFilter(url.searchParams);
		if (sameFilter(wanted, this.#inUrl)) return;
		this.#cancel();
		this.#inUrl = wanted;
		this.value = wanted;
	}

	/** Writes a pending change to the URL now. */
	flush(): void {
		this.#cancel();
		if (sameFilter(this.value, this.#inUrl)) return;
		this.#inUrl = { ...this.value };
		this.#options.navigate(withFilter(this.#options.url(), this.value));
	}

	destroy(): void {
		this.#cancel();
	}

	#schedule(): void {
		this.#cancel();
		this.#timer = setTimeout(() => this.flush(), this.#options.delay ?? 300);
	}

	#cancel(): void {
		if (this.#timer !== null) clearTimeout(this.#timer);
		this.#timer = null;
	}
}
