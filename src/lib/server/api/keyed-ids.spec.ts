import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { z } from 'zod';
import { AbortChange } from './board-writes.ts';
import { createdEarlier, keyedIds } from './keyed-ids.ts';

describe('keyedIds', () => {
	it('gives every attempt with the same seed the same ids, in order', () => {
		const first = keyedIds('seed-a');
		const again = keyedIds('seed-a');
		const made = [first.newId(), first.newId(), first.newId()];
		expect([again.newId(), again.newId(), again.newId()]).toEqual(made);
		expect(made.map((_, n) => first.nth(n))).toEqual(made);
		expect(new Set(made).size).toBe(3);
	});

	it('gives other seeds other ids, as valid UUIDs', () => {
		const a = keyedIds('seed-a').nth(0);
		const b = keyedIds('seed-b').nth(0);
		expect(a).not.toBe(b);
		for (const id of [a, b]) {
			expect(z.uuid().safeParse(id).success).toBe(true);
			expect(id[14]).toBe('8');
		}
	});
});

describe('createdEarlier', () => {
	it('finds what an earlier attempt created, and nothing otherwise', () => {
		const doc = new Y.Doc();
		const map = doc.getMap<unknown>('tasks');
		const ids = keyedIds('seed');
		expect(createdEarlier(ids, map, 2)).toBeNull();
		expect(createdEarlier(null, map)).toBeNull();
		map.set(ids.newId(), new Y.Map());
		map.set(ids.newId(), new Y.Map());
		expect(createdEarlier(keyedIds('seed'), map, 2)).toEqual([ids.nth(0), ids.nth(1)]);
		expect(createdEarlier(keyedIds('another seed'), map, 2)).toBeNull();
		expect(createdEarlier(null, map)).toBeNull();
	});

	it('refuses when only some of them are still there', () => {
		const doc = new Y.Doc();
		const map = doc.getMap<unknown>('tasks');
		const ids = keyedIds('seed');
		map.set(ids.nth(1), new Y.Map());
		expect(() => createdEarlier(ids, map, 2)).toThrow(AbortChange);
		try {
			createdEarlier(ids, map, 2);
		} catch (error) {
			expect((error as AbortChange).error.status).toBe(409);
		}
	});
});
