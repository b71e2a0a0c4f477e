/**
 * Board stores take turns (StorePacing): boards in use that are due together start their
 * stores 20 ms apart, while the store of a board leaving memory does not wait. Observed where
 * the store does its work (Persistence.onStoreDocument), on the real server.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTask, readBoard } from '../../src/lib/domain/board/index.ts';
import { startTestApp, type TestApp } from './support/app.ts';
import { connect, waitFor, type TestProvider } from './support/collab.ts';
import { client, createBoard, signUp } from './support/http.ts';

let t: TestApp;
const starts = new Map<string, number[]>();
beforeAll(async () => {
	t = await startTestApp();
	const persistence = t.app.runtime.persistence;
	const store = persistence.onStoreDocument.bind(persistence);
	persistence.onStoreDocument = (payload) => {
		const times = starts.get(payload.documentName) ?? [];
		times.push(performance.now());
		starts.set(payload.documentName, times);
		return store(payload);
	};
});
afterAll(async () => {
	await t?.stop();
});

/** Boards with a client on each, opened first (sign-ups are slow), then edited together. */
async function editedBoards(count: number): Promise<{ name: string; client: TestProvider }[]> {
	const api = client(t.url);
	const owner = await signUp(api, 'Pat');
	const boards: { name: string; client: TestProvider }[] = [];
	for (let i = 0; i < count; i++) {
		const board = await createBoard(api, owner);
		const c = connect(t.url, board.id, { token: owner.token });
		expect(await c.ready).toBe(true);
		boards.push({ name: `board:${board.id}`, client: c });
	}
	// Edited within a few ms of each other, so no board's 2 s store timer has run before the
	// test triggers the stores itself.
	for (const { client: c } of boards) {
		const column = readBoard(c.doc).columns[0]!.id;
		createTask(c.doc, { columnId: column, title: 'to store' }, { actorId: owner.id });
	}
	await waitFor(
		() => boards.every((b) => b.client.provider.unsyncedChanges === 0),
		5000,
		'acknowledgements'
	);
	return boards;
}

const storesOf = (names: string[]) => names.map((name) => starts.get(name) ?? []);

describe('store pacing', () => {
	it('spaces the stores of boards in use that are due at the same moment', async () => {
		const boards = await editedBoards(3);
		try {
			const names = boards.map((b) => b.name);
			const before = storesOf(names).map((times) => times.length);
			// What maxDebounce does to boards edited together: every pending store runs now.
			t.app.runtime.collab.hocuspocus.flushPendingStores();
			await waitFor(
				() => storesOf(names).every((times, i) => times.length > before[i]!),
				5000,
				'every board stored'
			);
			const started = storesOf(names)
				.map((times, i) => times[before[i]!]!)
				.sort((a, b) => a - b);
			// 20 ms slots; a timer may fire a ms or two "early" by performance.now().
			expect(started[1]! - started[0]!).toBeGreaterThanOrEqual(15);
			expect(started[2]! - started[0]!).toBeGreaterThanOrEqual(35);
		} finally {
			for (const b of boards) b.client.destroy();
		}
	});

	it('does not hold back the store of a board whose last client left', async () => {
		const boards = await editedBoards(9);
		const busy = boards.slice(0, 8);
		const leaving = boards[8]!;
		try {
			const names = boards.map((b) => b.name);
			const before = storesOf(names).map((times) => times.length);
			// Eight boards in use take the next eight slots (now … +140 ms)… (The debounce key is
			// Hocuspocus's own; were it renamed, this test would time out, not pass.)
			const { debouncer } = t.app.runtime.collab.hocuspocus;
			for (const b of busy) void debouncer.executeNow(`onStoreDocument-${b.name}`);
			// …then the ninth board's client leaves: its store is its last, and does not queue.
			leaving.client.destroy();
			await waitFor(
				() => storesOf(names).every((times, i) => times.length > before[i]!),
				5000,
				'every board stored'
			);
			const started = storesOf(names).map((times, i) => times[before[i]!]!);
			const paced = started.slice(0, busy.length);
			const lastPaced = Math.max(...paced);
			expect(lastPaced - Math.min(...paced)).toBeGreaterThanOrEqual(135);
			// Queued, it would start after the eighth (+160 ms); its close reaches the server in
			// a few ms.
			expect(started.at(-1)!).toBeLessThan(lastPaced);
		} finally {
			for (const b of boards) b.client.destroy();
		}
	});
});
