import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ExpiringConnections } from './expiring-connections.ts';

describe('ExpiringConnections', () => {
	beforeEach(() => {
		vi.useFakeTimers({ now: 1_000_000 });
	});
	afterEach(() => {
		vi.useRealTimers();
	});

	function setUp() {
		const due: string[][] = [];
		const watch = new ExpiringConnections<string>((connections) => due.push(connections));
		return { due, watch };
	}

	it('hands over each connection when its time comes, earliest first, with one timer', () => {
		const { due, watch } = setUp();
		watch.watch('late', Date.now() + 5000);
		watch.watch('soon', Date.now() + 1000);
		watch.watch('also soon', Date.now() + 1000);
		expect(vi.getTimerCount()).toBe(1);
		vi.advanceTimersByTime(999);
		expect(due).toEqual([]);
		vi.advanceTimersByTime(1);
		expect(due).toEqual([['soon', 'also soon']]);
		expect(watch.size).toBe(1);
		vi.advanceTimersByTime(4000);
		expect(due).toEqual([['soon', 'also soon'], ['late']]);
		expect(watch.size).toBe(0);
		expect(vi.getTimerCount()).toBe(0);
	});

	it('forgets a closed connection, and stops its timer when none is left', () => {
		const { due, watch } = setUp();
		watch.watch('closed', Date.now() + 1000);
		watch.watch('open', Date.now() + 2000);
		watch.forget('closed');
		vi.advanceTimersByTime(1500);
		expect(due).toEqual([]);
		watch.forget('open');
		expect(vi.getTimerCount()).toBe(0);
		vi.advanceTimersByTime(1000);
		expect(due).toEqual([]);
	});

	it('takes a later time for a connection watched again (a renewed session)', () => {
		const { due, watch } = setUp();
		watch.watch('session', Date.now() + 1000);
		vi.advanceTimersByTime(1000);
		expect(due).toEqual([['session']]);
		watch.watch('session', Date.now() + 3000);
		vi.advanceTimersByTime(2999);
		expect(due).toHaveLength(1);
		vi.advanceTimersByTime(1);
		expect(due).toEqual([['session'], ['session']]);
	});

	it('re-arms beyond the longest delay a timer keeps (30-day sessions)', () => {
		const { due, watch } = setUp();
		const thirtyDays = 30 * 24 * 3600 * 1000;
		watch.watch('session', Date.now() + thirtyDays);
		vi.advanceTimersByTime(2 ** 31 - 1);
		expect(due).toEqual([]);
		expect(vi.getTimerCount()).toBe(1);
		vi.advanceTimersByTime(thirtyDays - (2 ** 31 - 1));
		expect(due).toEqual([['session']]);
	});

	it('hands over at once a connection whose time has already passed', () => {
		const { due, watch } = setUp();
		watch.watch('expired', Date.now() - 1);
		vi.advanceTimersByTime(0);
		expect(due).toEqual([['expired']]);
	});
});
