import * as Y from 'yjs';
import { describe, expect, it } from 'vitest';
import { nothingPending, pendingParts, pendingUpdates, samePending } from './pending-parts.ts';

/** Two updates of one writer: the second depends on the first (its clocks follow them). */
function twoEdits(): [Uint8Array, Uint8Array] {
	const writer = new Y.Doc();
	const updates: Uint8Array[] = [];
	writer.on('update', (update: Uint8Array) => updates.push(update));
	writer.getMap('tasks').set('a', 1);
	writer.getMap('tasks').set('b', 2);
	return [updates[0]!, updates[1]!];
}

describe('pending parts', () => {
	it('reads what waits, and gives it back as updates that wait again elsewhere', () => {
		const [first, second] = twoEdits();
		const doc = new Y.Doc();
		expect(nothingPending(pendingParts(doc))).toBe(true);
		Y.applyUpdate(doc, second);
		const parts = pendingParts(doc);
		expect(nothingPending(parts)).toBe(false);
		expect(doc.getMap('tasks').size).toBe(0);

		const elsewhere = new Y.Doc();
		for (const update of pendingUpdates(parts)) Y.applyUpdate(elsewhere, update);
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
		Y.applyUpdate(doc, new Uint8Array([0, 1, 0xbf, 0x84, 0x3d, 1, 5, 1]));
		expect(samePending(after, pendingParts(doc))).toBe(false);
	});
});
