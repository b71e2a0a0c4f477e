import * as Y from 'yjs';
import { describe, expect, it } from 'vitest';
import { pendingParts, pendingUpdates, samePending, waitingHolds } from './pending-parts.ts';

/** Two updates of one writer: the second's clocks follow the first's. */
function twoEdits(): [Uint8Array, Uint8Array, number] {
	const writer = new Y.Doc();
	const updates: Uint8Array[] = [];
	writer.on('update', (update: Uint8Array) => updates.push(update));
	writer.getMap('tasks').set('a', 1);
	writer.getMap('tasks').set('b', 2);
	return [updates[0]!, updates[1]!, writer.clientID];
}

describe('pending parts', () => {
	it('tells which clocks wait', () => {
		const [, second, client] = twoEdits();
		const doc = new Y.Doc();
		expect(waitingHolds(doc, [], [])).toBe(true);
		expect(waitingHolds(doc, [{ client, from: 1, to: 2 }], [])).toBe(false);
		Y.applyUpdate(doc, second);
		expect(doc.getMap('tasks').size).toBe(0);
		expect(waitingHolds(doc, [{ client, from: 1, to: 2 }], [])).toBe(true);
		expect(waitingHolds(doc, [{ client, from: 0, to: 2 }], [])).toBe(false);
		expect(waitingHolds(doc, [{ client: client + 1, from: 1, to: 2 }], [])).toBe(false);
	});

	it('gives what waits back as V1 updates, which wait again elsewhere', () => {
		const [first, second] = twoEdits();
		const doc = new Y.Doc();
		Y.applyUpdate(doc, second);
		Y.applyUpdate(doc, new Uint8Array([0, 1, 0xbf, 0x84, 0x3d, 1, 0, 1])); // a waiting deletion
		const updates = pendingUpdates(pendingParts(doc));
		expect(updates).toHaveLength(2);
		const elsewhere = new Y.Doc();
		for (const update of updates) Y.applyUpdate(elsewhere, update);
		expect(elsewhere.getMap('tasks').size).toBe(0);
		expect(samePending(pendingParts(elsewhere), pendingParts(doc))).toBe(true);
		Y.applyUpdate(elsewhere, first);
		expect(elsewhere.getMap('tasks').toJSON()).toEqual({ a: 1, b: 2 });
	});

	it('compares by content: waiting deletions are re-derived on every apply', () => {
		const doc = new Y.Doc();
		const deletion = new Uint8Array([0, 1, 0xbf, 0x84, 0x3d, 1, 0, 1]); // client 999,999
		Y.applyUpdate(doc, deletion);
		const before = pendingParts(doc);
		expect(before.ds).not.toBeNull();
		Y.applyUpdate(doc, deletion);
		const after = pendingParts(doc);
		expect(after.ds).not.toBe(before.ds);
		expect(samePending(before, after)).toBe(true);
		expect(waitingHolds(doc, [], [{ client: 999_999, from: 0, to: 1 }])).toBe(true);
		expect(waitingHolds(doc, [], [{ client: 999_999, from: 0, to: 2 }])).toBe(false);
		Y.applyUpdate(doc, new Uint8Array([0, 1, 0xbf, 0x84, 0x3d, 1, 5, 1]));
		expect(samePending(after, pendingParts(doc))).toBe(false);
	});
});
