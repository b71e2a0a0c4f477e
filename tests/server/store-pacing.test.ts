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

/** A board with a client on it and an acknowledged edit its next store will cover. */
async function editedBoard(): Promise<{ name: string; client: TestProvider }> {
	const api = client(t.url);
	const owner = await signUp(api, 'Pat');
	const board = await createBoard(api, owner);
	const c = connect(t.url, board.id, { token: owner.token });
	expect(await c.ready).toBe(true);
	const column = readBoard(c.doc).columns[0]!.id;
	createTask(c.doc, { columnId: column, title: 'to store' }, { actorId: owner.id });
	await waitFor(() => c.provider.unsyncedChanges === 0, 5000, 'acknowledgement');
	return { name: `board:${board.id}`, client: c };
}

const storesOf = (names: string[]) => names.map((name) => starts.get(name) ?? []);

describe('store pacing', () => {
	it('spaces the stores of boards in use that are due at the same moment', async () => {
		const boards = [await editedBoard(), await editedBoard(), await editedBoard()];
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
		// 20 ms slots; a timer may fire up to a few ms "early" by performance.now().
		expect(started[1]! - started[0]!).toBeGreaterThanOrEqual(15);
		expect(started[2]! - started[0]!).toBeGreaterThanOrEqual(35);
		for (const b of boards) b.client.destroy();
	});

	it('does not hold back the store of a board whose last client left', async () => {
		const busy = await Promise.all(Array.from({ length: 5 }, () => editedBoard()));
		const leaving = await editedBoard();
		const names = [...busy, leaving].map((b) => b.name);
		const before = storesOf(names).map((times) => times.length);
		// Five boards in use take the next five slots (now … +80 ms)…
		const { debouncer } = t.app.runtime.collab.hocuspocus;
		for (const b of busy) void debouncer.executeNow(`onStoreDocument-${b.name}`);
		// …then the sixth board's client leaves: its store is its last, and does not queue.
		leaving.client.destroy();
		await waitFor(
			() => storesOf(names).every((times, i) => times.length > before[i]!),
			5000,
			'every board stored'
		);
		const started = storesOf(names).map((times, i) => times[before[i]!]!);
		const lastPaced = Math.max(...started.slice(0, busy.length));
		expect(lastPaced - Math.min(...started.slice(0, busy.length))).toBeGreaterThanOrEqual(75);
		// Queued, it would start after the fifth (+100 ms); its close reaches the server in a
		// few ms.
		expect(started.at(-1)!).toBeLessThan(lastPaced);
		for (const b of busy) b.client.destroy();
	});
});
