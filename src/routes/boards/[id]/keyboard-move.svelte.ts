/**
 * Moving cards and columns with the keyboard alone: Space picks the focused card up (Enter opens
 * it, a board shortcut), Space or Enter a column by its focused handle; arrow keys move it (shown
 * in place, not yet written), Space or Enter drops it and Escape puts it back. Every step is announced, since a screen reader user cannot see the preview.
 */
import { tick } from 'svelte';
import type { ColumnView } from '$lib/domain/board';
import {
	describeCardSpot,
	describeColumnSpot,
	findCard,
	previewCard,
	previewColumn,
	type CardSpot
} from './placement';

type Lifted =
	| { kind: 'card'; id: string; title: string; spot: CardSpot; from: CardSpot }
	| { kind: 'column'; id: string; title: string; index: number; from: number };

export interface KeyboardMoveOptions {
	/** The board as stored (without any preview). */
	columns: () => ColumnView[];
	/** Writes the move; false when the board refused it (the caller shows why). */
	dropCard: (taskId: string, spot: CardSpot) => boolean;
	dropColumn: (columnId: string, index: number) => boolean;
	announce: (message: string) => void;
	/**
	 * Scrolls a card into view and gives its element once rendered: a long column renders only
	 * the cards in view, so the moved card's element may have to be created first.
	 */
	revealCard: (taskId: string) => Promise<HTMLElement | null>;
}

const pickKeys = new Set([' ', 'Enter']);
const cardPickKeys = new Set([' ']);
/** Far moves: a column of 2,000 cards took 2,000 presses of an arrow key to cross. */
const jumpKeys = new Set(['Home', 'End', 'PageUp', 'PageDown']);
/** Places a Page Up or Page Down moves a card. */
const pageStep = 10;

export class KeyboardMove {
	lifted = $state<Lifted | null>(null);
	readonly #options: KeyboardMoveOptions;

	constructor(options: KeyboardMoveOptions) {
		this.#options = options;
	}

	/** The columns to render: the stored ones with the lifted item at its pending place. */
	preview(columns: ColumnView[]): ColumnView[] {
		const lifted = this.lifted;
		if (!lifted) return columns;
		if (lifted.kind === 'card') return previewCard(columns, lifted.id, lifted.spot);
		return previewColumn(columns, lifted.id, lifted.index);
	}

	/** Handles a key on a card (or a column's move handle); true when the key was used. */
	handleKey(event: KeyboardEvent, kind: 'card' | 'column', id: string): boolean {
		const lifted = this.lifted;
		if (!lifted || lifted.id !== id) {
			if (!(kind === 'card' ? cardPickKeys : pickKeys).has(event.key)) return false;
			if (kind === 'card') this.#pickCard(id);
			else this.#pickColumn(id);
			return this.lifted !== null;
		}
		if (pickKeys.has(event.key)) this.drop();
		else if (event.key === 'Escape') this.cancel();
		else if (event.key.startsWith('Arrow') || jumpKeys.has(event.key)) this.#step(event.key);
		else return event.key !== 'Tab';
		return true;
	}

	#pickCard(taskId: string): void {
		const found = findCard(this.#options.columns(), taskId);
		if (!found) return;
		const spot = { columnId: found.column.id, index: found.index };
		this.lifted = { kind: 'card', id: taskId, title: found.task.title, spot, from: spot };
		const where = describeCardSpot(this.#options.columns(), taskId, spot);
		this.#options.announce(
			`Picked up card ${found.task.title}. ${where} Use the arrow keys to move it (Home and End: to the top or bottom, Page Up and Page Down: ${pageStep} places), Space to drop it, Escape to cancel.`
		);
	}

	#pickColumn(columnId: string): void {
		const columns = this.#options.columns();
		const index = columns.findIndex((column) => column.id === columnId);
		if (index < 0) return;
		const title = columns[index]!.title;
		this.lifted = { kind: 'column', id: columnId, title, index, from: index };
		this.#options.announce(
			`Picked up column ${title}. ${describeColumnSpot(columns, index)} Use the left and right arrow keys to move it (Home and End: first or last), Space to drop it, Escape to cancel.`
		);
	}

	#step(key: string): void {
		const lifted = this.lifted;
		if (!lifted) return;
		const columns = this.#options.columns();
		if (lifted.kind === 'column') {
			const last = columns.length - 1;
			const target =
				key === 'Home'
					? 0
					: key === 'End'
						? last
						: lifted.index + (key === 'ArrowLeft' ? -1 : key === 'ArrowRight' ? 1 : 0);
			const index = Math.min(Math.max(target, 0), last);
			if (index === lifted.index) return this.#edge(lifted.title);
			this.lifted = { ...lifted, index };
			this.#options.announce(`Column ${lifted.title}. ${describeColumnSpot(columns, index)}`);
		} else {
			const spot = this.#nextSpot(columns, lifted.id, lifted.spot, key);
			if (!spot) return this.#edge(lifted.title);
			this.lifted = { ...lifted, spot };
			this.#options.announce(`Card ${lifted.title}. ${describeCardSpot(columns, lifted.id, spot)}`);
		}
		void this.#refocus();
	}

	#nextSpot(columns: ColumnView[], taskId: string, spot: CardSpot, key: string): CardSpot | null {
		const at = columns.findIndex((column) => column.id === spot.columnId);
		const othersIn = (column: ColumnView) => column.tasks.filter((t) => t.id !== taskId).length;
		if (key === 'ArrowUp' || key === 'ArrowDown') {
			const column = columns[at];
			const index = spot.index + (key === 'ArrowUp' ? -1 : 1);
			if (!column || index < 0 || index > othersIn(column)) return null;
			return { columnId: spot.columnId, index };
		}
		if (jumpKeys.has(key)) {
			const column = columns[at];
			if (!column) return null;
			const bottom = othersIn(column);
			const wanted =
				key === 'Home'
					? 0
					: key === 'End'
						? bottom
						: spot.index + (key === 'PageUp' ? -pageStep : pageStep);
			const index = Math.min(Math.max(wanted, 0), bottom);
			return index === spot.index ? null : { columnId: spot.columnId, index };
		}
		const target = columns[at + (key === 'ArrowLeft' ? -1 : key === 'ArrowRight' ? 1 : 0)];
		if (!target || target.id === spot.columnId) return null;
		return { columnId: target.id, index: Math.min(spot.index, othersIn(target)) };
	}

	#edge(title: string): void {
		this.#options.announce(`${title} cannot move further that way.`);
	}

	drop(): void {
		const lifted = this.lifted;
		if (!lifted) return;
		this.lifted = null;
		const columns = this.#options.columns();
		if (lifted.kind === 'card') {
			const where = describeCardSpot(columns, lifted.id, lifted.spot);
			if (this.#options.dropCard(lifted.id, lifted.spot)) {
				this.#options.announce(`Dropped card ${lifted.title}. ${where}`);
			} else {
				this.#options.announce(`Card ${lifted.title} could not be moved.`);
			}
		} else {
			const where = describeColumnSpot(columns, lifted.index);
			if (this.#options.dropColumn(lifted.id, lifted.index)) {
				this.#options.announce(`Dropped column ${lifted.title}. ${where}`);
			} else {
				this.#options.announce(`Column ${lifted.title} could not be moved.`);
			}
		}
		void this.#refocus(lifted);
	}

	cancel(): void {
		const lifted = this.lifted;
		if (!lifted) return;
		this.lifted = null;
		this.#options.announce(`Move cancelled. ${lifted.title} is back where it was.`);
		void this.#refocus(lifted);
	}

	/** A remote change removed the lifted item: stop quietly rather than drop it somewhere. */
	abandonIfGone(columns: ColumnView[]): void {
		const lifted = this.lifted;
		if (!lifted) return;
		const present =
			lifted.kind === 'card'
				? findCard(columns, lifted.id) !== null &&
					columns.some((column) => column.id === lifted.spot.columnId)
				: columns.some((column) => column.id === lifted.id);
		if (present) return;
		this.lifted = null;
		this.#options.announce(`${lifted.title} was changed by someone else; the move was cancelled.`);
	}

	/**
	 * Moving the element between columns, or out of its column's rendered window, re-creates
	 * it, so it is brought into view and focus is put back.
	 */
	async #refocus(item: { kind: 'card' | 'column'; id: string } | null = this.lifted) {
		if (!item) return;
		if (item.kind === 'card') {
			const element = await this.#options.revealCard(item.id);
			if (element && document.activeElement !== element) element.focus({ preventScroll: true });
			return;
		}
		await tick();
		const element = document.querySelector<HTMLElement>(
			`[data-column-handle="${CSS.escape(item.id)}"]`
		);
		if (element && document.activeElement !== element) element.focus({ preventScroll: true });
		element?.scrollIntoView({ block: 'nearest', inline: 'nearest' });
	}
}
