import { describe, expect, it } from 'vitest';
import {
	cardOffsets,
	cardRange,
	defaultCardHeight,
	estimateHeight,
	indexAt,
	leadingRange,
	scrollToShow
} from './card-window';

// Ten cards of 100px, except the third (index 2) which is 300px tall.
const offsets = cardOffsets(10, (index) => (index === 2 ? 300 : 100));

describe('card offsets', () => {
	it('adds the heights up, ending with the total', () => {
		expect([...offsets]).toEqual([0, 100, 200, 500, 600, 700, 800, 900, 1000, 1100, 1200]);
	});

	it('finds the card covering a position, clamped to the first and last card', () => {
		expect(indexAt(offsets, -5)).toBe(0);
		expect(indexAt(offsets, 0)).toBe(0);
		expect(indexAt(offsets, 250)).toBe(2);
		expect(indexAt(offsets, 499)).toBe(2);
		expect(indexAt(offsets, 500)).toBe(3);
		expect(indexAt(offsets, 5000)).toBe(9);
		expect(
			indexAt(
				cardOffsets(0, () => 1),
				10
			)
		).toBe(0);
	});
});

describe('cardRange', () => {
	it('renders the visible cards and the overscan, with spacers for the rest', () => {
		const range = cardRange({ offsets, available: 10, scrollTop: 600, viewport: 200, overscan: 0 });
		// Cards 4 and 5 fill the view; card 6 starts at its lower edge.
		expect(range).toEqual({ start: 4, end: 7, before: 600, after: 300 });
	});

	it('widens the range by the overscan on both sides', () => {
		const range = cardRange({
			offsets,
			available: 10,
			scrollTop: 600,
			viewport: 200,
			overscan: 150
		});
		// 450px reaches into the tall card 2; 950px into card 7.
		expect(range).toMatchObject({ start: 2, end: 8 });
	});

	it('renders only cards that exist as data and leaves the rest as space', () => {
		// A preview that holds the first 5 cards of 10: scrolled to the end, nothing to render.
		const range = cardRange({ offsets, available: 5, scrollTop: 1000, viewport: 200, overscan: 0 });
		expect(range).toEqual({ start: 5, end: 5, before: 700, after: 500 });
	});

	it('renders nothing in an empty column', () => {
		const empty = cardOffsets(0, () => 100);
		expect(cardRange({ offsets: empty, available: 0, scrollTop: 0, viewport: 300 })).toEqual({
			start: 0,
			end: 0,
			before: 0,
			after: 0
		});
	});
});

describe('leadingRange', () => {
	it('renders the first cards up to the limit, before anything is measured', () => {
		expect(leadingRange(offsets, 10, 3)).toEqual({ start: 0, end: 3, before: 0, after: 700 });
		expect(leadingRange(offsets, 2, 3)).toEqual({ start: 0, end: 2, before: 0, after: 1000 });
	});
});

describe('scrollToShow', () => {
	it('moves as little as possible to show a card whole', () => {
		expect(scrollToShow(offsets, 5, 600, 200)).toBe(600); // already shown
		expect(scrollToShow(offsets, 1, 600, 200)).toBe(100); // above: its top at the top
		expect(scrollToShow(offsets, 8, 600, 200)).toBe(900); // below: its bottom at the bottom
		expect(scrollToShow(offsets, 2, 0, 200)).toBe(200); // taller than the view: its top
	});
});

describe('estimateHeight', () => {
	it('is the average measured height, or a default before any measurement', () => {
		expect(estimateHeight([])).toBe(defaultCardHeight);
		expect(estimateHeight([60, 100])).toBe(80);
	});
});
