/**
 * The event shadow must hold every card exactly as a fresh read of the document gives it (the
 * domain's one card reader, which rows and pages use too) after every transaction of random
 * concurrent editing, hostile raw writes included: a stale card would make a later event
 * describe a change nobody made, or miss one.
 */
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { Network, type Replica } from '#lib/domain/board/network-simulation.ts';
import { randomOperation, rawWrite, weighted } from '#lib/domain/board/random-operations.ts';
import { readColumnSet } from '#lib/domain/board/records.ts';
import { tasksMap } from '#lib/domain/board/schema.ts';
import { createTask } from '#lib/domain/board/tasks.ts';
import { createBoard, createRandom } from '#lib/domain/board/testing.ts';
import { BoardShadow } from './board-changes.ts';
import { readTaskState, type TaskState } from './board-shadow.ts';

function freshRead(doc: Y.Doc): Map<string, TaskState> {
	const columns = readColumnSet(doc);
	const cards = new Map<string, TaskState>();
	for (const [id, value] of tasksMap(doc)) {
		const state = readTaskState(columns, id, value);
		if (state) cards.set(id, state);
	}
	return cards;
}

describe('BoardShadow', () => {
	it('holds every card as a fresh read does after every step of random editing', () => {
		for (let seed = 1; seed <= 30; seed++) {
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
			let transactions = 0;
			for (const replica of network.replicas) {
				Y.applyUpdate(replica.doc, update);
				const shadow = new BoardShadow(replica.doc, 'board');
				replica.doc.on('afterTransaction', (transaction: Y.Transaction) => {
					shadow.apply(transaction);
					transactions++;
					const expected = freshRead(replica.doc);
					const held = new Map(shadow.cards());
					for (const [id, state] of expected) {
						if (JSON.stringify(held.get(id)) !== JSON.stringify(state)) {
							failures.push(`seed ${seed}: card ${id} held ${JSON.stringify(held.get(id))}`);
						}
						held.delete(id);
					}
					for (const id of held.keys()) failures.push(`seed ${seed}: card ${id} is gone`);
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
			expect(transactions).toBeGreaterThan(80);
		}
	});
});
