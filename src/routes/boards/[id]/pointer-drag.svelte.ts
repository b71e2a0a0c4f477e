/**
 * Dragging cards and columns with a mouse, pen or finger, on Pointer Events. A mouse drag
 * starts after a few pixels of movement; a touch drag after a short press without movement,
 * so a swipe still scrolls the board. While dragging, a floating copy follows the pointer and
 * the target is found from the elements under it (`data-column-id`, `data-card-id`).
 */
import type { CardSpot } from './placement';

export type DragKind = 'card' | 'column';

/** The item being dragged and where its floating copy is drawn. */
export interface ActiveDrag {
	kind: DragKind;
	id: string;
	label: string;
	x: number;
	y: number;
	offsetX: number;
	offsetY: number;
	width: number;
}

interface Pending extends Omit<ActiveDrag, 'x' | 'y'> {
	pointerId: number;
	startX: number;
	startY: number;
	touch: boolean;
	timer: number;
}

export interface PointerDragOptions {
	/** The horizontally scrolling element that holds the columns. */
	scroller: () => HTMLElement | null;
	/**
	 * Where a card dropped next to a rendered card lands among all the column's other cards:
	 * long columns render only some of their cards, so the elements cannot be counted.
	 */
	cardIndex: (spot: {
		columnId: string;
		taskId: string;
		movingId: string;
		after: boolean;
	}) => number;
	/** `label` is the title the drag began with, so the drop need not look the card up. */
	dropCard: (taskId: string, spot: CardSpot, label: string) => void;
	dropColumn: (columnId: string, index: number) => void;
}

const mouseThreshold = 5;
const touchDelay = 250;
const touchSlop = 8;
const edge = 56;

export class PointerDrag {
	active = $state<ActiveDrag | null>(null);
	cardTarget = $state<CardSpot | null>(null);
	columnTarget = $state<number | null>(null);
	readonly #options: PointerDragOptions;
	#pending: Pending | null = null;
	#frame = 0;
	/** Frames the card list has been scrolling without a break; long columns scroll faster. */
	#streak = 0;

	constructor(options: PointerDragOptions) {
		this.#options = options;
	}

	/** Call from `pointerdown` on a draggable element. */
	begin(event: PointerEvent, kind: DragKind, id: string, label: string, element: HTMLElement) {
		if (event.button !== 0 || this.#pending || this.active) return;
		const rect = element.getBoundingClientRect();
		// Column handles do not scroll (touch-action: none), so only cards need the press delay.
		const touch = event.pointerType === 'touch' && kind === 'card';
		const pending: Pending = {
			kind,
			id,
			label,
			pointerId: event.pointerId,
			startX: event.clientX,
			startY: event.clientY,
			offsetX: event.clientX - rect.left,
			offsetY: event.clientY - rect.top,
			width: rect.width,
			touch,
			timer: 0
		};
		this.#pending = pending;
		if (touch) {
			pending.timer = window.setTimeout(
				() => this.#activate(pending.startX, pending.startY),
				touchDelay
			);
		}
		window.addEventListener('pointermove', this.#onMove);
		window.addEventListener('pointerup', this.#onUp);
		window.addEventListener('pointercancel', this.#onCancel);
		window.addEventListener('keydown', this.#onKey, true);
		// Only a non-passive touchmove listener can stop the page from scrolling under a drag.
		window.addEventListener('touchmove', this.#onTouchMove, { passive: false });
		window.addEventListener('contextmenu', this.#onContextMenu);
	}

	#activate(x: number, y: number): void {
		const pending = this.#pending;
		if (!pending) return;
		const { kind, id, label, offsetX, offsetY, width } = pending;
		this.active = { kind, id, label, offsetX, offsetY, width, x, y };
		getSelection()?.removeAllRanges();
		this.#locate(x, y);
		this.#frame = requestAnimationFrame(this.#autoscroll);
	}

	readonly #onMove = (event: PointerEvent) => {
		const pending = this.#pending;
		if (!pending || event.pointerId !== pending.pointerId) return;
		if (!this.active) {
			const distance = Math.hypot(event.clientX - pending.startX, event.clientY - pending.startY);
			// A finger that moves before the press delay is scrolling, not dragging.
			if (pending.touch) return distance > touchSlop ? this.#reset() : undefined;
			if (distance < mouseThreshold) return;
			this.#activate(event.clientX, event.clientY);
		}
		if (!this.active) return;
		this.active.x = event.clientX;
		this.active.y = event.clientY;
		this.#locate(event.clientX, event.clientY);
	};

	readonly #onUp = (event: PointerEvent) => {
		if (this.#pending && event.pointerId !== this.#pending.pointerId) return;
		const active = this.active;
		if (active) {
			if (active.kind === 'card' && this.cardTarget) {
				this.#options.dropCard(active.id, this.cardTarget, active.label);
			} else if (active.kind === 'column' && this.columnTarget !== null) {
				this.#options.dropColumn(active.id, this.columnTarget);
			}
			// The click that ends a drag must not also open the card.
			const swallow = (click: MouseEvent) => click.stopPropagation();
			window.addEventListener('click', swallow, { capture: true, once: true });
			setTimeout(() => window.removeEventListener('click', swallow, true), 0);
		}
		this.#reset();
	};

	readonly #onCancel = () => this.#reset();

	readonly #onKey = (event: KeyboardEvent) => {
		if (event.key !== 'Escape' || !this.active) return;
		event.preventDefault();
		event.stopPropagation();
		this.#reset();
	};

	readonly #onTouchMove = (event: TouchEvent) => {
		if (this.active) event.preventDefault();
	};

	readonly #onContextMenu = (event: Event) => {
		// A long press opens the context menu on touch screens; here it starts a drag instead.
		if (this.#pending?.touch) event.preventDefault();
	};

	/** Finds the drop position under the pointer. */
	#locate(x: number, y: number): void {
		const active = this.active;
		const scroller = this.#options.scroller();
		if (!active || !scroller) return;
		const columns = [...scroller.querySelectorAll<HTMLElement>('[data-column-id]')];
		if (active.kind === 'column') {
			const others = columns.filter((column) => column.dataset.columnId !== active.id);
			const index = others.findIndex((column) => {
				const rect = column.getBoundingClientRect();
				return x < rect.left + rect.width / 2;
			});
			this.columnTarget = index < 0 ? others.length : index;
			return;
		}
		const column = this.#columnAt(columns, x, y);
		if (!column) return;
		const columnId = column.dataset.columnId as string;
		const cards = [...column.querySelectorAll<HTMLElement>('[data-card-id]')].filter(
			(card) => card.dataset.cardId !== active.id
		);
		const next = cards.find((card) => {
			const rect = card.getBoundingClientRect();
			return y < rect.top + rect.height / 2;
		});
		const neighbour = next ?? cards.at(-1);
		this.cardTarget = {
			columnId,
			index: neighbour
				? this.#options.cardIndex({
						columnId,
						taskId: neighbour.dataset.cardId as string,
						movingId: active.id,
						after: next === undefined
					})
				: 0
		};
	}

	/** The column under the pointer, or the nearest one horizontally. */
	#columnAt(columns: HTMLElement[], x: number, y: number): HTMLElement | null {
		const hit = document.elementFromPoint(x, y)?.closest<HTMLElement>('[data-column-id]');
		if (hit) return hit;
		let best: HTMLElement | null = null;
		let bestDistance = Infinity;
		for (const column of columns) {
			const rect = column.getBoundingClientRect();
			const distance = x < rect.left ? rect.left - x : x > rect.right ? x - rect.right : 0;
			if (distance < bestDistance) [best, bestDistance] = [column, distance];
		}
		return best;
	}

	/** Scrolls the board (and the column under the pointer) while the pointer nears an edge. */
	readonly #autoscroll = () => {
		const active = this.active;
		const scroller = this.#options.scroller();
		if (!active || !scroller) return;
		let moved = scrollNear(scroller, active.x, 'x');
		if (active.kind === 'card') {
			const list = document
				.elementFromPoint(active.x, active.y)
				?.closest<HTMLElement>('[data-column-id]')
				?.querySelector<HTMLElement>('[data-card-list]');
			const scrolled =
				list !== null && list !== undefined && scrollNear(list, active.y, 'y', this.#streak);
			this.#streak = scrolled ? this.#streak + 1 : 0;
			moved = scrolled || moved;
		}
		if (moved) this.#locate(active.x, active.y);
		this.#frame = requestAnimationFrame(this.#autoscroll);
	};

	#reset(): void {
		if (this.#pending) clearTimeout(this.#pending.timer);
		cancelAnimationFrame(this.#frame);
		this.#pending = null;
		this.#streak = 0;
		this.active = null;
		this.cardTarget = null;
		this.columnTarget = null;
		window.removeEventListener('pointermove', this.#onMove);
		window.removeEventListener('pointerup', this.#onUp);
		window.removeEventListener('pointercancel', this.#onCancel);
		window.removeEventListener('keydown', this.#onKey, true);
		window.removeEventListener('touchmove', this.#onTouchMove);
		window.removeEventListener('contextmenu', this.#onContextMenu);
	}

	destroy(): void {
		this.#reset();
	}
}

/**
 * Scrolls `element` along `axis` when `position` is within `edge` pixels of its border, faster
 * the longer it has kept scrolling (`streak` frames), so a column of thousands of cards can be
 * crossed in seconds.
 */
function scrollNear(element: HTMLElement, position: number, axis: 'x' | 'y', streak = 0): boolean {
	const rect = element.getBoundingClientRect();
	const start = axis === 'x' ? rect.left : rect.top;
	const end = axis === 'x' ? rect.right : rect.bottom;
	let delta = 0;
	if (position < start + edge) delta = -Math.ceil((start + edge - position) / 4);
	else if (position > end - edge) delta = Math.ceil((position - (end - edge)) / 4);
	if (delta === 0) return false;
	delta *= Math.min(1 + streak / 30, 25);
	const before = axis === 'x' ? element.scrollLeft : element.scrollTop;
	if (axis === 'x') element.scrollLeft += delta;
	else element.scrollTop += delta;
	return (axis === 'x' ? element.scrollLeft : element.scrollTop) !== before;
}
