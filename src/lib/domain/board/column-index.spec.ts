/**
 * The index's column tails (what adding a card at the end reads) must name exactly the card a
 * full read of the column puts last among its live cards, after every transaction of random
 * concurrent editing, hostile raw writes included.
 */
import { describe, expect, it, vi } from 'vitest';
import * as Y from 'yjs';
import { cardSiblings } from './lookup.ts';
import { Network, type Replica } from './network-simulation.ts';
import { randomOperation, rawWrite, weighted } from './random-operations.ts';
import { readColumnCards, readColumnSet, readColumnTail } from './records.ts';
import { tasksMap } from './schema.ts';
import { createTask } from './tasks.ts';
import { createBoard, createRandom } from './testing.ts';

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
			const random = createRandom(seed);
			let time = Date.parse('2026-03-01T09:00:00.000Z');
			const network = new Network(3, random.fork(), () => new Date((time += 1000)));
			const [first] = network.replicas as [Replica];
			const seeded = createBoard(first.ctx);
			for (let i = 0; i < 6; i++) {
				createTask(
					seeded.doc,
					{ columnId: random.pick(seeded.columnIds), title: `c${i}` },
					first.ctx
				);
			}
			const update = Y.encodeStateAsUpdate(seeded.doc);
			const failures: string[] = [];
			for (const replica of network.replicas) {
				Y.applyUpdate(replica.doc, update);
				// Asked before any change, so every later change must keep the tails right.
				mismatches(replica.doc);
				replica.doc.on('afterTransaction', () => {
					failures.push(...mismatches(replica.doc).map((id) => `seed ${seed}: ${id}`));
				});
			}
			for (let step = 0; step < 80; step++) {
				const replica = random.pick(network.replicas);
				weighted(random, [
					[6, () => randomOperation(random, replica)],
					[2, () => rawWrite(random, replica.doc)],
					[3, () => network.deliver(1 + random.int(4))],
					[0.5, () => network.disconnect(replica.index)],
					[0.5, () => network.reconnect(replica.index)]
				] as [number, () => void][])();
				expect(failures).toEqual([]);
			}
			network.settle();
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
});
