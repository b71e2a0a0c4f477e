import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { firstScreenCards, type TaskView } from '$lib/domain/board';
import { defaultCardHeight } from './card-window';
import { CardWindow } from './card-window.svelte';

function tasks(count: number): TaskView[] {
	return Array.from({ length: count }, (_, index) => ({ id: `t${index}` }) as TaskView);
}

/** The parts of a scrolling list element the window uses, without a browser. */
class FakeList {
	scrollTop = 0;
	clientHeight = 400;
	readonly listeners = new Map<string, (event: unknown) => void>();
	addEventListener(type: string, listener: (event: unknown) => void) {
		this.listeners.set(type, listener);
	}
	removeEventListener() {}
}

/** Delivers measurements by hand, as the browser's ResizeObserver would after a layout. */
let observed: ((entries: ResizeObserverEntry[]) => void) | null = null;
/** What the observers were asked to watch and have not been told to stop watching. */
const watched = new Set<object>();
beforeEach(() => {
	Object.assign(globalThis, {
		ResizeObserver: class {
			constructor(callback: (entries: ResizeObserverEntry[]) => void) {
				observed = callback;
			}
			observe(target: object) {
				watched.add(target);
			}
			unobserve(target: object) {
				watched.delete(target);
			}
			disconnect() {
				watched.clear();
			}
		}
	});
});
afterEach(() => {
	observed = null;
	watched.clear();
});

function measured(target: object, height: number) {
	return { target, borderBoxSize: [{ blockSize: height }] } as unknown as ResizeObserverEntry;
}

describe('CardWindow', () => {
	it('renders the first cards until a list is attached, as server rendering does', () => {
		const source = { tasks: tasks(100), taskCount: 100 };
		const window = new CardWindow(() => source);
		expect(window.range).toMatchObject({ start: 0, end: firstScreenCards, before: 0 });
		expect(window.range.after).toBe((100 - firstScreenCards) * defaultCardHeight);
	});

	it('measures the cards rendered before the list is attached, as Svelte attaches them', () => {
		const window = new CardWindow(() => ({ tasks: tasks(10), taskCount: 10 }));
		const first = {};
		window.measure(first as HTMLElement, 't0');
		const list = new FakeList();
		window.attach(list as unknown as HTMLElement);
		expect(watched).toEqual(new Set([first, list]));
		observed?.([measured(first, 3 * defaultCardHeight)]);
		expect(window.offsets[1]).toBe(3 * defaultCardHeight);
	});

	it('leaves room for the cards a preview does not hold yet', () => {
		const window = new CardWindow(() => ({ tasks: tasks(5), taskCount: 50 }));
		expect(window.range).toEqual({ start: 0, end: 5, before: 0, after: 45 * defaultCardHeight });
	});

	it('follows the scroll position once attached and scrolls a card into view', () => {
		const window = new CardWindow(() => ({ tasks: tasks(1000), taskCount: 1000 }));
		const list = new FakeList();
		const detach = window.attach(list as unknown as HTMLElement);
		expect(window.range.start).toBe(0);
		window.reveal(500);
		// Its bottom at the bottom of the 400px view, by the estimated heights.
		expect(list.scrollTop).toBe(501 * defaultCardHeight - 400);
		expect(window.range.start).toBeLessThanOrEqual(500);
		expect(window.range.end).toBeGreaterThan(500);
		detach();
	});

	it('keeps the view where it is when cards above it turn out taller than estimated', () => {
		const window = new CardWindow(() => ({ tasks: tasks(1000), taskCount: 1000 }));
		const list = new FakeList();
		window.attach(list as unknown as HTMLElement);
		list.scrollTop = 100 * defaultCardHeight;
		// Card 0 is measured, twice the estimate; the estimate becomes its height too.
		const slot = {};
		window.measure(slot as HTMLElement, 't0');
		observed?.([measured(slot, 2 * defaultCardHeight)]);
		// Every card above card 100 is now estimated at the new height: card 100 stays on top.
		expect(list.scrollTop).toBe(window.offsets[100]);
		expect(window.offsets[100]).toBe(100 * 2 * defaultCardHeight);
	});

	it('keeps a card it brought into view shown while heights around it are measured', () => {
		const window = new CardWindow(() => ({ tasks: tasks(1000), taskCount: 1000 }));
		const list = new FakeList();
		window.attach(list as unknown as HTMLElement);
		window.reveal(500);
		// The cards rendered around it are measured smaller than estimated.
		const slots = [498, 499, 500, 501].map((index) => {
			const slot = {};
			window.measure(slot as HTMLElement, `t${index}`);
			return measured(slot, defaultCardHeight / 2);
		});
		observed?.(slots);
		const top = window.offsets[500] as number;
		const bottom = window.offsets[501] as number;
		expect(top).toBeGreaterThanOrEqual(list.scrollTop);
		expect(bottom).toBeLessThanOrEqual(list.scrollTop + list.clientHeight);
	});

	it('gives focus back to a card whose element the window removed, once it is rendered again', async () => {
		const window = new CardWindow(() => ({ tasks: tasks(1000), taskCount: 1000 }));
		const list = new FakeList();
		window.attach(list as unknown as HTMLElement);
		const body = {};
		Object.assign(globalThis, { document: { body, activeElement: body } });
		let focused = 0;
		const slot = {
			querySelector: () => ({ focus: () => focused++ })
		};
		const card = { closest: () => ({ dataset: { cardId: 't7' } }), isConnected: true };
		list.listeners.get('focusin')?.({ target: card });
		// Scrolled out of the window: the element goes and focus goes nowhere.
		list.listeners.get('focusout')?.({ target: card, relatedTarget: null });
		card.isConnected = false;
		await Promise.resolve();
		window.measure(slot as unknown as HTMLElement, 't8');
		expect(focused).toBe(0);
		window.measure(slot as unknown as HTMLElement, 't7');
		expect(focused).toBe(1);
		// Focus moved elsewhere while the element stays: forgotten.
		card.isConnected = true;
		list.listeners.get('focusin')?.({ target: card });
		list.listeners.get('focusout')?.({ target: card, relatedTarget: null });
		await Promise.resolve();
		window.measure(slot as unknown as HTMLElement, 't7');
		expect(focused).toBe(1);
		Reflect.deleteProperty(globalThis, 'document');
	});
});
