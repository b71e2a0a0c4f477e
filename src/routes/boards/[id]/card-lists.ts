/**
 * The board's windowed card lists by column, so that keyboard moves and Find can bring a card
 * that is not rendered into view: the column scrolls through its window, then the element is
 * there to focus.
 */
import { tick } from 'svelte';
import type { ColumnView } from '$lib/domain/board';
import type { CardWindow } from './card-window.svelte';
import { findCard } from './placement';

export class CardLists {
	readonly #windows = new Map<string, CardWindow>();

	/** Registers a column's window; returns the call that removes it. */
	add(columnId: string, window: CardWindow): () => void {
		this.#windows.set(columnId, window);
		return () => {
			if (this.#windows.get(columnId) === window) this.#windows.delete(columnId);
		};
	}

	/**
	 * Scrolls the card's column and the board until the card shows; its element once rendered,
	 * or null when the card is not on the board. `columns` gives the columns as rendered.
	 */
	async reveal(columns: () => readonly ColumnView[], taskId: string): Promise<HTMLElement | null> {
		// A card just written may reach the view only with the next update.
		const found = findCard(columns(), taskId) ?? (await tick(), findCard(columns(), taskId));
		if (!found) return null;
		this.#windows.get(found.column.id)?.reveal(found.index);
		await tick();
		const element = document.querySelector<HTMLElement>(`[data-card-id="${CSS.escape(taskId)}"]`);
		// The window placed it by estimated heights; the real ones may differ a little.
		element?.scrollIntoView({ block: 'nearest', inline: 'nearest' });
		return element;
	}
}
