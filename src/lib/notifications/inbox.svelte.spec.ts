import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { NotificationInbox, reopenStreamMs } from './inbox.svelte.ts';

/** Enough of EventSource for `connect`: listeners, readyState, close. */
class FakeEventSource {
	static readonly CONNECTING = 0;
	static readonly OPEN = 1;
	static readonly CLOSED = 2;
	static opened: FakeEventSource[] = [];
	readyState = FakeEventSource.CONNECTING;
	readonly #listeners = new Map<string, (() => void)[]>();
	readonly url: string;
	constructor(url: string) {
		this.url = url;
		FakeEventSource.opened.push(this);
	}
	addEventListener(type: string, listener: () => void) {
		this.#listeners.set(type, [...(this.#listeners.get(type) ?? []), listener]);
	}
	emit(type: string) {
		for (const listener of this.#listeners.get(type) ?? []) listener();
	}
	close() {
		this.readyState = FakeEventSource.CLOSED;
	}
}

/** What a HEAD of the stream answers (200: a stream would be taken). */
let headStatus = 200;

describe('NotificationInbox.connect', () => {
	beforeEach(() => {
		vi.useFakeTimers();
		FakeEventSource.opened = [];
		vi.stubGlobal('EventSource', FakeEventSource);
		headStatus = 200;
		vi.stubGlobal(
			'fetch',
			vi.fn(async (_path: string, init?: RequestInit) =>
				init?.method === 'HEAD'
					? new Response(null, { status: headStatus })
					: new Response('{}', { status: 503 })
			)
		);
	});
	afterEach(() => {
		vi.useRealTimers();
		vi.unstubAllGlobals();
	});

	it('opens the stream again a minute after the server refused it', async () => {
		const stop = new NotificationInbox(0).connect();
		const [first] = FakeEventSource.opened;
		expect(first!.url).toBe('/api/v1/notifications/stream');
		// A dropped connection that EventSource is retrying by itself: nothing to do.
		first!.emit('error');
		vi.advanceTimersByTime(reopenStreamMs);
		expect(FakeEventSource.opened).toHaveLength(1);
		// Refused (a 429): EventSource closed it for good.
		first!.readyState = FakeEventSource.CLOSED;
		first!.emit('error');
		await vi.advanceTimersByTimeAsync(reopenStreamMs - 1);
		expect(FakeEventSource.opened).toHaveLength(1);
		await vi.advanceTimersByTimeAsync(1);
		expect(FakeEventSource.opened).toHaveLength(2);
		stop();
		expect(FakeEventSource.opened[1]!.readyState).toBe(FakeEventSource.CLOSED);
	});

	it('stops asking once signed out (the HEAD answers 401)', async () => {
		const stop = new NotificationInbox(0).connect();
		const [first] = FakeEventSource.opened;
		first!.readyState = FakeEventSource.CLOSED;
		first!.emit('error');
		headStatus = 401;
		await vi.advanceTimersByTimeAsync(reopenStreamMs * 3);
		expect(FakeEventSource.opened).toHaveLength(1);
		expect(vi.mocked(fetch).mock.calls.filter(([, init]) => init?.method === 'HEAD')).toHaveLength(
			1
		);
		stop();
	});

	it('does not open again once stopped', () => {
		const stop = new NotificationInbox(0).connect();
		const [first] = FakeEventSource.opened;
		first!.readyState = FakeEventSource.CLOSED;
		first!.emit('error');
		stop();
		vi.advanceTimersByTime(reopenStreamMs * 2);
		expect(FakeEventSource.opened).toHaveLength(1);
	});
});
