/**
 * The index's column tails (what adding a card at the end reads) must name exactly the card a
 * full read of the column puts last among its live cards, after every transaction of random
 * concurrent editing, hostile raw writes included.
 */
import { describe, expect, it, vi } from 'vitest';
import * as Y from 'yjs';
import { cardSiblings } from './lookup.ts';
import { randomEditing } from './random-editing.ts';
import { readColumnCards, readColumnSet, readColumnTail } from './records.ts';
import { storedColumnIndex } from './column-index.ts';
import { tasksMap } from './schema.ts';
import { createTask } from './tasks.ts';
import { createBoard } from './testing.ts';

/** Every column's tail against a full read of the column; the ids that disagree. */
function mismatches(doc: Y.Doc): string[] {
	const wrong: string[] = [];
	for (const column of readColumnSet(doc).columns) {
		const expected = cardSiblings(readColumnCards(doc, column.id).cards).at(-1);
		const last = readColumnTail(doc, column.id).last;
		if (column.deletedAt === null && last?.id !== expected?.id) wrong.push(column.id);
		if (column.deletedAt !== null && last !== null) wrong.push(column.id);
	}
	return wrong;
}

describe('column tails', () => {
	it('name the last live card of every column after every step of random editing', () => {
		for (let seed = 1; seed <= 40; seed++) {
			const failures: string[] = [];
			randomEditing(seed, {
				steps: 80,
				watch(replica) {
					// Asked before any change, so every later change must keep the tails right.
					mismatches(replica.doc);
					replica.doc.on('afterTransaction', () => {
						failures.push(...mismatches(replica.doc).map((id) => `seed ${seed}: ${id}`));
					});
				},
				afterStep: () => expect(failures).toEqual([])
			});
			expect(failures).toEqual([]);
		}
	});

	it('are current inside a running transaction', () => {
		const { doc, ctx, columnIds } = createBoard();
		const [todo] = columnIds as [string];
		const first = createTask(doc, { columnId: todo, title: 'A' }, ctx);
		doc.transact(() => {
			const second = createTask(doc, { columnId: todo, title: 'B' }, ctx);
			expect(readColumnTail(doc, todo).last?.id).toBe(second);
			(tasksMap(doc).get(second) as Y.Map<unknown>).set('deletedAt', '2026-03-01T00:00:00.000Z');
			expect(readColumnTail(doc, todo).last?.id).toBe(first);
		});
		expect(mismatches(doc)).toEqual([]);
	});

	it('make adding at the end of a long column read a few values, not the column', () => {
		const { doc, ctx, columnIds } = createBoard();
		const [todo] = columnIds as [string];
		for (let i = 0; i < 1000; i++) createTask(doc, { columnId: todo, title: `${i}` }, ctx);
		const get = vi.spyOn(Y.Map.prototype, 'get');
		const id = createTask(doc, { columnId: todo, title: 'Last' }, ctx);
		const reads = get.mock.calls.length;
		get.mockRestore();
		expect(reads).toBeLessThan(100);
		expect(cardSiblings(readColumnCards(doc, todo).cards).at(-1)?.id).toBe(id);
	});

	it('forgets a column id no card names any more', () => {
		const { doc, ctx, columnIds } = createBoard();
		const id = createTask(doc, { columnId: columnIds[0]!, title: 'A' }, ctx);
		const card = tasksMap(doc).get(id) as Y.Map<unknown>;
		storedColumnIndex(doc);
		// As a hostile client could: the card walks through many made-up column ids.
		for (let i = 0; i < 100; i++) card.set('placement', { columnId: `made-up-${i}`, rank: 'a' });
		card.set('placement', { columnId: columnIds[0]!, rank: 'a' });
		expect([...storedColumnIndex(doc).byColumn.keys()]).toEqual([columnIds[0]]);
	});
});
