/**
 * The event shadow must hold every card exactly as a fresh read of the document gives it (the
 * domain's one card reader, which rows and pages use too) after every transaction of random
 * concurrent editing, hostile raw writes included: a stale card would make a later event
 * describe a change nobody made, or miss one.
 */
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { randomEditing } from '#lib/domain/board/random-editing.ts';
import { readColumnSet } from '#lib/domain/board/records.ts';
import { tasksMap } from '#lib/domain/board/schema.ts';
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
			const failures: string[] = [];
			let transactions = 0;
			randomEditing(seed, {
				steps: 80,
				watch(replica) {
					const shadow = new BoardShadow(replica.doc, 'board');
					replica.doc.on('afterTransaction', (transaction: Y.Transaction) => {
						shadow.apply(transaction);
						transactions++;
						const held = new Map(shadow.cards());
						for (const [id, state] of freshRead(replica.doc)) {
							if (JSON.stringify(held.get(id)) !== JSON.stringify(state)) {
								failures.push(`seed ${seed}: card ${id} held ${JSON.stringify(held.get(id))}`);
							}
							held.delete(id);
						}
						for (const id of held.keys()) failures.push(`seed ${seed}: card ${id} is gone`);
					});
				},
				afterStep: () => expect(failures).toEqual([])
			});
			expect(failures).toEqual([]);
			expect(transactions).toBeGreaterThan(80);
		}
	});
});
