/**
 * One column's windowed card list: follows the list's scroll position and size and the
 * measured height of every card rendered so far, and says which cards to render. Heights are
 * kept by card id, so they survive reordering; cards never rendered count as the average.
 */
import { flushSync } from 'svelte';
import { firstScreenCards, type TaskView } from '$lib/domain/board';
import {
	cardOffsets,
	cardRange,
	estimateHeight,
	indexAt,
	leadingRange,
	scrollToShow,
	type CardRange
} from './card-window';

export interface CardWindowSource {
	/** The cards present as data (a first-paint preview may hold only the first ones). */
	tasks: readonly TaskView[];
	/** How many cards the column holds. */
	taskCount: number;
}

/**
 * Input by which the person scrolls the list themselves (scrollbar, wheel, finger, Page Down),
 * after which no card stays pinned. Listened to in the capture phase, so that a key which
 * moves a card unpins before the move pins that card again.
 */
const userScrolls = ['wheel', 'touchstart', 'pointerdown', 'keydown'] as const;

function focusLost(): boolean {
	return document.activeElement === null || document.activeElement === document.body;
}

function cardIdOf(target: EventTarget | null): string | null {
	// Duck-typed rather than `instanceof Element`, so the spec runs without a DOM.
	const element = target as Partial<Element> | null;
	return element?.closest?.<HTMLElement>('[data-card-id]')?.dataset.cardId ?? null;
}

export class CardWindow {
	/** False until a list element is attached: server rendering and hydration must agree. */
	#live = $state(false);
	#scrollTop = $state(0);
	#viewport = $state(0);
	/**
	 * Bumped once per batch of measurements: a reactive map would notify once per card, and a
	 * first render measures dozens of cards at a time.
	 */
	#version = $state(0);
	// eslint-disable-next-line svelte/prefer-svelte-reactivity
	readonly #heights = new Map<string, number>();
	readonly #ids = new WeakMap<Element, string>();
	readonly #source: () => CardWindowSource;
	#list: HTMLElement | null = null;
	#observer: ResizeObserver | null = null;
	/**
	 * The card last brought into view, kept in view while the heights around it are measured
	 * (they differ from the estimate it was placed by) until the person scrolls themselves.
	 */
	#pinned: string | null = null;
	/** The card that had focus when the window removed its element, to focus again when back. */
	#focused: string | null = null;

	constructor(source: () => CardWindowSource) {
		this.#source = source;
	}

	/** Top of every card and the total height (`taskCount + 1` entries). */
	readonly offsets = $derived.by(() => {
		void this.#version;
		const { tasks, taskCount } = this.#source();
		const estimate = estimateHeight(this.#heights.values());
		return cardOffsets(taskCount, (index) => {
			const task = tasks[index];
			return (task && this.#heights.get(task.id)) ?? estimate;
		});
	});

	/** The cards to render now and the space to leave above and below them. */
	readonly range: CardRange = $derived.by(() => {
		const { tasks } = this.#source();
		if (!this.#live) return leadingRange(this.offsets, tasks.length, firstScreenCards);
		return cardRange({
			offsets: this.offsets,
			available: tasks.length,
			scrollTop: this.#scrollTop,
			viewport: this.#viewport
		});
	});

	/** Attachment for the scrolling list element. */
	readonly attach = (list: HTMLElement) => {
		this.#list = list;
		const observer = this.#sizes();
		observer.observe(list);
		const scrolled = () => (this.#scrollTop = list.scrollTop);
		const unpin = () => (this.#pinned = null);
		const focusin = (event: FocusEvent) => {
			this.#focused = cardIdOf(event.target);
		};
		// Focus leaving a card whose element stays is the person's doing (a click or Tab
		// elsewhere); the window removing the element is not, and the card gets focus back.
		const focusout = (event: FocusEvent) => {
			const target = event.target as Partial<Node> | null;
			const id = cardIdOf(event.target);
			queueMicrotask(() => {
				// Unless focus went on to another card of this list meanwhile.
				if (target?.isConnected && this.#focused === id) this.#focused = null;
			});
		};
		list.addEventListener('scroll', scrolled, { passive: true });
		list.addEventListener('focusin', focusin);
		list.addEventListener('focusout', focusout);
		for (const type of userScrolls) {
			list.addEventListener(type, unpin, { passive: true, capture: true });
		}
		this.#viewport = list.clientHeight;
		this.#scrollTop = list.scrollTop;
		this.#live = true;
		return () => {
			list.removeEventListener('scroll', scrolled);
			list.removeEventListener('focusin', focusin);
			list.removeEventListener('focusout', focusout);
			for (const type of userScrolls) list.removeEventListener(type, unpin, true);
			observer.disconnect();
			this.#observer = null;
			this.#list = null;
		};
	};

	/**
	 * Call from an attachment on a rendered card's slot, once per element: measures its height
	 * (gap included), and gives the card focus back if the window took it away.
	 */
	readonly measure = (slot: HTMLElement, taskId: string) => {
		this.#ids.set(slot, taskId);
		this.#sizes().observe(slot);
		if (taskId === this.#focused && focusLost()) {
			slot.querySelector<HTMLElement>('[data-card-id]')?.focus({ preventScroll: true });
		}
		return () => this.#observer?.unobserve(slot);
	};

	/**
	 * The observer of the list's and the cards' sizes, made on first use: Svelte runs the
	 * attachments of the cards inside a list before the list's own, so the first screen's cards
	 * are measured before `attach` runs, and must be observed all the same.
	 */
	#sizes(): ResizeObserver {
		return (this.#observer ??= new ResizeObserver(this.#resized));
	}

	/** Scrolls the list, through the window, so that card `index` is rendered and shown. */
	reveal(index: number): void {
		const list = this.#list;
		if (!list) return;
		this.#pinned = this.#source().tasks[index]?.id ?? null;
		const top = scrollToShow(this.offsets, index, list.scrollTop, list.clientHeight);
		if (top === list.scrollTop) return;
		list.scrollTop = top;
		this.#scrollTop = list.scrollTop;
	}

	readonly #resized = (entries: ResizeObserverEntry[]) => {
		const list = this.#list;
		if (!list) return;
		const changes: [string, number][] = [];
		for (const entry of entries) {
			if (entry.target === list) {
				this.#viewport = list.clientHeight;
				continue;
			}
			const id = this.#ids.get(entry.target);
			const height = entry.borderBoxSize[0]?.blockSize ?? 0;
			// A detached or hidden slot reports 0; that is no measurement.
			if (id === undefined || height <= 0 || this.#heights.get(id) === height) continue;
			changes.push([id, height]);
		}
		if (changes.length === 0) return;
		// Keep the card at the top of the view where it is while the heights above it change.
		const before = this.offsets;
		const top = list.scrollTop;
		const anchor = indexAt(before, top);
		const within = top - (before[anchor] ?? 0);
		for (const [id, height] of changes) this.#heights.set(id, height);
		this.#version++;
		let target = (this.offsets[anchor] ?? 0) + within;
		const pinned = this.#pinned && this.#source().tasks.findIndex((t) => t.id === this.#pinned);
		if (typeof pinned === 'number' && pinned >= 0) {
			target = scrollToShow(this.offsets, pinned, target, list.clientHeight);
		}
		if (Math.abs(target - top) < 1) return;
		// Render the window at the new position with the new spacer heights first: the list
		// cannot scroll past its old height, and a window rendered for the old position would
		// re-create (and so blur) the cards in view.
		this.#scrollTop = target;
		flushSync();
		list.scrollTop = target;
	};
}
