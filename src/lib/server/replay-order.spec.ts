import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { randomOperation } from '../domain/board/random-operations.ts';
import { createBoard, createRandom, testContext } from '../domain/board/testing.ts';
import { replayOrder } from './replay-order.ts';

interface Row {
	id: number;
	update: Uint8Array;
}

const none = new Map<number, number>();

/** Records each transaction of `doc` as one row. */
function recorder(doc: Y.Doc): Uint8Array[] {
	const updates: Uint8Array[] = [];
	doc.on('update', (update: Uint8Array) => updates.push(update));
	return updates;
}

/** Whether applying `rows` in order into `doc` applies each completely (nothing left pending). */
function appliesCleanly(doc: Y.Doc, rows: Row[]): boolean {
	for (const row of rows) {
		Y.applyUpdate(doc, row.update);
		if (doc.store.pendingStructs !== null || doc.store.pendingDs !== null) return false;
	}
	return true;
}

const ids = (rows: Row[]) => rows.map((r) => r.id);

describe('replayOrder', () => {
	it('puts one client’s updates back in clock order whatever their ids', () => {
		const doc = new Y.Doc();
		const updates = recorder(doc);
		doc.getMap('tasks').set('a', 1);
		doc.getMap('tasks').set('b', 2);
		const rows = [
			{ id: 7, update: updates[1]! },
			{ id: 8, update: updates[0]! }
		];
		expect(appliesCleanly(new Y.Doc(), rows)).toBe(false);
		expect(ids(replayOrder(rows, none))).toEqual([8, 7]);
		expect(appliesCleanly(new Y.Doc(), replayOrder(rows, none))).toBe(true);
	});

	it('puts an edit after the card it edits, and a deletion after what it deletes', () => {
		const browser = new Y.Doc();
		const server = new Y.Doc();
		const fromBrowser = recorder(browser);
		const fromServer = recorder(server);
		const card = new Y.Map<unknown>();
		browser.getMap('tasks').set('card', card);
		card.set('description', new Y.Text('hello'));
		Y.applyUpdate(server, Y.encodeStateAsUpdate(browser));
		fromServer.length = 0;
		(server.getMap('tasks').get('card') as Y.Map<unknown>).set('title', 'From the API');
		((server.getMap('tasks').get('card') as Y.Map<unknown>).get('description') as Y.Text).delete(
			0,
			2
		);
		const rows = [
			...fromServer.map((update, i) => ({ id: 1 + i, update })),
			...fromBrowser.map((update, i) => ({ id: 10 + i, update }))
		];
		const ordered = replayOrder(rows, none);
		expect(ids(ordered)).toEqual([10, 1, 11, 2]);
		const replayed = new Y.Doc();
		expect(appliesCleanly(replayed, ordered)).toBe(true);
		expect((replayed.getMap('tasks').get('card') as Y.Map<unknown>).toJSON()).toEqual({
			description: 'llo',
			title: 'From the API'
		});
	});

	it('keeps id order where the document already holds what a row needs', () => {
		const doc = new Y.Doc();
		const updates = recorder(doc);
		doc.getMap('tasks').set('a', 1);
		const base = new Y.Doc();
		Y.applyUpdate(base, updates[0]!);
		doc.getMap('tasks').set('b', 2);
		doc.getMap('other').set('c', 3);
		const rows = [
			{ id: 1, update: updates[2]! },
			{ id: 2, update: updates[1]! },
			{ id: 3, update: new Uint8Array([1, 2, 3]) }
		];
		const present = Y.decodeStateVector(Y.encodeStateVector(base));
		// Row 1 builds on row 2 (same client, later clocks); the malformed row keeps its place.
		expect(ids(replayOrder(rows, present))).toEqual([2, 1, 3]);
		const unrelated = [
			{ id: 4, update: Y.encodeStateAsUpdate(new Y.Doc()) },
			{ id: 5, update: updates[1]! }
		];
		expect(ids(replayOrder(unrelated, present))).toEqual([4, 5]);
	});

	it('orders rows that overlap (an update logged again) and stays fast on large rows', () => {
		const doc = new Y.Doc();
		const updates = recorder(doc);
		const tasks = doc.getMap('tasks');
		for (let frame = 0; frame < 4; frame++) {
			doc.transact(() => {
				for (let i = 0; i < 3000; i++) tasks.set(`t${frame}-${i}`, new Y.Map());
			});
		}
		// The whole state resent after a reconnect, logged again between the originals.
		const rows = [
			{ id: 1, update: updates[3]! },
			{ id: 2, update: Y.encodeStateAsUpdate(doc) },
			{ id: 3, update: updates[1]! },
			{ id: 4, update: updates[0]! },
			{ id: 5, update: updates[2]! }
		];
		const started = performance.now();
		const ordered = replayOrder(rows, none);
		// Quadratic ordering took minutes here; linear takes milliseconds.
		expect(performance.now() - started).toBeLessThan(2000);
		expect(appliesCleanly(new Y.Doc(), ordered)).toBe(true);
		expect(ids(ordered)[0]).toBe(2);
	});

	it('applies every row completely after random edits on three replicas, ids shuffled', () => {
		let misordered = 0;
		for (let seed = 1; seed <= 25; seed++) {
			const random = createRandom(seed);
			const start = createBoard();
			const replicas = [0, 1, 2].map((n) => {
				const doc = new Y.Doc();
				Y.applyUpdate(doc, Y.encodeStateAsUpdate(start.doc));
				return { doc, ctx: testContext({ actorId: `user-${n}` }, `r${n}`) };
			});
			const log: Uint8Array[] = [];
			for (const replica of replicas) {
				replica.doc.on('update', (update: Uint8Array, origin: unknown) => {
					if (origin !== 'sync') log.push(update);
				});
			}
			for (let step = 0; step < 80; step++) {
				randomOperation(random, random.pick(replicas));
				// Replicas sync now and then, so later edits build on other replicas' edits.
				if (random.chance(0.3)) {
					const [a, b] = [random.pick(replicas), random.pick(replicas)];
					Y.applyUpdate(b.doc, Y.encodeStateAsUpdate(a.doc, Y.encodeStateVector(b.doc)), 'sync');
				}
			}
			// Ids in an order unrelated to causality.
			const rows = log.map((update) => ({ id: random.next(), update }));
			rows.sort((a, b) => a.id - b.id);
			const base = new Y.Doc();
			Y.applyUpdate(base, Y.encodeStateAsUpdate(start.doc));
			const byId = new Y.Doc();
			Y.applyUpdate(byId, Y.encodeStateAsUpdate(start.doc));
			if (!appliesCleanly(byId, rows)) misordered++;
			const present = Y.decodeStateVector(Y.encodeStateVector(base));
			expect(appliesCleanly(base, replayOrder(rows, present)), `seed ${seed}`).toBe(true);
			const expected = new Y.Doc();
			for (const replica of replicas) Y.applyUpdate(expected, Y.encodeStateAsUpdate(replica.doc));
			expect(base.getMap('tasks').toJSON(), `seed ${seed}`).toEqual(
				expected.getMap('tasks').toJSON()
			);
		}
		// Replayed by id, most of these logs would leave rows pending.
		expect(misordered).toBeGreaterThan(10);
	});
});
