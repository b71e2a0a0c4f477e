/**
 * The arithmetic of a column's windowed card list: which cards to render for a scroll position
 * and how tall the empty space above and below them is. Pure, so it is tested without a DOM.
 * Heights are in CSS pixels and include the gap below each card.
 */

/** Cards rendered beyond each edge of the visible area, so a quick scroll does not show gaps. */
export const overscanPx = 600;

/** The height assumed for a card that was never rendered (about a one-line card). */
export const defaultCardHeight = 80;

/** Offsets of every card top, plus the total height at the end: `count + 1` entries. */
export function cardOffsets(count: number, heightOf: (index: number) => number): Float64Array {
	const offsets = new Float64Array(count + 1);
	for (let index = 0; index < count; index++) {
		offsets[index + 1] = (offsets[index] as number) + heightOf(index);
	}
	return offsets;
}

/** The index of the card that covers `position` (the last one when past the end). */
export function indexAt(offsets: Float64Array, position: number): number {
	const count = offsets.length - 1;
	if (count <= 0) return 0;
	let low = 0;
	let high = count - 1;
	while (low < high) {
		const middle = (low + high + 1) >> 1;
		if ((offsets[middle] as number) <= position) low = middle;
		else high = middle - 1;
	}
	return low;
}

/** Cards `start` (inclusive) to `end` (exclusive) are rendered between two spacers. */
export interface CardRange {
	start: number;
	end: number;
	/** Height of the spacer above the first rendered card. */
	before: number;
	/** Height of the spacer below the last rendered card. */
	after: number;
}

export interface WindowInput {
	offsets: Float64Array;
	/** How many cards exist as data; a preview may hold fewer than `offsets` counts. */
	available: number;
	scrollTop: number;
	viewport: number;
	overscan?: number;
}

/** The cards that overlap the visible area widened by the overscan on both sides. */
export function cardRange({
	offsets,
	available,
	scrollTop,
	viewport,
	overscan = overscanPx
}: WindowInput): CardRange {
	const count = offsets.length - 1;
	const total = offsets[count] as number;
	if (count === 0 || available === 0) return { start: 0, end: 0, before: 0, after: total };
	const start = Math.min(indexAt(offsets, Math.max(0, scrollTop - overscan)), available);
	const last = indexAt(offsets, scrollTop + viewport + overscan);
	const end = Math.max(start, Math.min(last + 1, available));
	return span(offsets, start, end);
}

/** The first `limit` cards: what server rendering and hydration show before anything is measured. */
export function leadingRange(offsets: Float64Array, available: number, limit: number): CardRange {
	return span(offsets, 0, Math.min(available, limit, offsets.length - 1));
}

function span(offsets: Float64Array, start: number, end: number): CardRange {
	const total = offsets[offsets.length - 1] as number;
	const before = offsets[start] as number;
	return { start, end, before, after: total - (offsets[end] as number) };
}

/**
 * The scroll position that shows card `index` whole while moving as little as possible
 * (`block: 'nearest'`), or `scrollTop` itself when it already shows.
 */
export function scrollToShow(
	offsets: Float64Array,
	index: number,
	scrollTop: number,
	viewport: number
): number {
	const top = offsets[index] ?? 0;
	const bottom = offsets[index + 1] ?? top;
	if (top < scrollTop) return top;
	if (bottom > scrollTop + viewport) return Math.min(top, bottom - viewport);
	return scrollTop;
}

/** The average of the measured heights, as the estimate for cards not yet measured. */
export function estimateHeight(measured: Iterable<number>): number {
	let sum = 0;
	let count = 0;
	for (const height of measured) {
		sum += height;
		count++;
	}
	return count === 0 ? defaultCardHeight : sum / count;
}
