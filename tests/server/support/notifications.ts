/** Helpers for notification tests: reading a user's inbox and listening to their live stream. */
import type { Client, TestUser } from './http.ts';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export interface Inbox {
	items: { id: string; kind: string; text: string; [key: string]: any }[];
	nextCursor: string | null;
	unreadCount: number;
}

export async function inbox(api: Client, user: TestUser, query = ''): Promise<Inbox> {
	const res = await api.get(`/api/v1/notifications${query}`, { token: user.token });
	if (res.status !== 200) throw new Error(`inbox: ${res.status} ${JSON.stringify(res.body)}`);
	return res.body as Inbox;
}

/** Polls `read` until `done` accepts its value (or fails with the last value it saw). */
export async function eventually<T>(
	read: () => Promise<T>,
	done: (value: T) => boolean,
	what: string,
	timeoutMs = 10_000
): Promise<T> {
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		const value = await read();
		if (done(value)) return value;
		if (Date.now() > deadline) {
			throw new Error(`Timed out waiting for ${what}; last: ${JSON.stringify(value)}`);
		}
		await sleep(50);
	}
}

export interface EventStream {
	/** Event names received so far, in order. */
	events: string[];
	/** Resolves when the server ends the stream. */
	ended: Promise<void>;
	/** Resolves when an event of this name arrives after `from` (an index into `events`). */
	next(name: string, from?: number, timeoutMs?: number): Promise<void>;
	close(): void;
}

/** Opens `GET /api/v1/notifications/stream` as `user` and parses its events as they arrive. */
export async function openStream(baseUrl: string, user: TestUser): Promise<EventStream> {
	const controller = new AbortController();
	const response = await fetch(new URL('/api/v1/notifications/stream', baseUrl), {
		headers: { authorization: `Bearer ${user.token}`, accept: 'text/event-stream' },
		signal: controller.signal
	});
	if (response.status !== 200 || !response.body) throw new Error(`stream: ${response.status}`);
	const events: string[] = [];
	const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
	let buffer = '';
	let markEnded = () => {};
	const ended = new Promise<void>((resolve) => (markEnded = resolve));
	void (async () => {
		try {
			for (;;) {
				const { done, value } = await reader.read();
				if (done) {
					markEnded();
					return;
				}
				buffer += value;
				let end: number;
				while ((end = buffer.indexOf('\n\n')) >= 0) {
					const block = buffer.slice(0, end);
					buffer = buffer.slice(end + 2);
					const name = /^event: (.+)$/m.exec(block)?.[1];
					if (name) events.push(name);
				}
			}
		} catch {
			// Aborted by close().
		}
	})();
	return {
		events,
		ended,
		async next(name, from = 0, timeoutMs = 5000) {
			const deadline = Date.now() + timeoutMs;
			while (!events.slice(from).includes(name)) {
				if (Date.now() > deadline) {
					throw new Error(`no "${name}" event within ${timeoutMs} ms; got ${events.join(', ')}`);
				}
				await sleep(10);
			}
		},
		close: () => controller.abort()
	};
}
