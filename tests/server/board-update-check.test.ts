/**
 * The contract check never refuses what the domain operations write: three replicas make random
 * operations (syncing now and then, so edits build on each other's), and every update they emit
 * is checked against the server's copy before it is applied there, as the Guard extension does.
 * Only the random operations' deliberate raw writes may be refused. No server is needed: the
 * check is a pure function of the update and the document.
 */
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { randomOperation } from '../../src/lib/domain/board/random-operations.ts';
import {
	createBoard,
	createRandom,
	testContext,
	uuidSequence
} from '../../src/lib/domain/board/testing.ts';
import { RefusedUpdate } from '../../server/board-guard/refusal.ts';
import { BoardUpdateCheck } from '../../server/board-guard/update-check.ts';
import { checkUpdateShape } from '../../server/board-guard/update-shape.ts';

describe('board update check against random domain operations', () => {
	it('accepts every update of 40 seeds × 150 operations on three replicas', () => {
		let checked = 0;
		let tampersRefused = 0;
		for (let seed = 1; seed <= 40; seed++) {
			const random = createRandom(seed);
			const server = new Y.Doc();
			Y.applyUpdate(server, Y.encodeStateAsUpdate(createBoard().doc));
			const check = new BoardUpdateCheck(server, { maxCards: 10_000, maxColumns: 200 });
			const stale = new Set<Replica>();
			type Replica = { doc: Y.Doc; ctx: ReturnType<typeof testContext> };
			/** A replica restarted from the server's state (after its raw write was refused). */
			const fresh = (replica: Replica) => {
				replica.doc = new Y.Doc();
				Y.applyUpdate(replica.doc, Y.encodeStateAsUpdate(server), 'sync');
				replica.doc.on('update', (update: Uint8Array, origin: unknown) => {
					if (origin === 'sync') return;
					checked++;
					try {
						checkUpdateShape(update);
						check.check(update);
					} catch (error) {
						expect(error, `seed ${seed}: ${String(error)}`).toBeInstanceOf(RefusedUpdate);
						expect(origin, `seed ${seed}: refused ${String(error)}`).toBe('tamper');
						tampersRefused++;
						stale.add(replica);
						return;
					}
					Y.applyUpdate(server, update, 'client');
				});
			};
			const replicas: Replica[] = [0, 1, 2].map((n) => ({
				doc: new Y.Doc(),
				ctx: testContext({ actorId: `user-${n}`, newId: uuidSequence(seed * 10 + n) })
			}));
			replicas.forEach(fresh);
			for (let step = 0; step < 150; step++) {
				for (const replica of stale) fresh(replica);
				stale.clear();
				randomOperation(random, random.pick(replicas));
				if (random.chance(0.3)) {
					const replica = random.pick(replicas);
					const missing = Y.encodeStateAsUpdate(server, Y.encodeStateVector(replica.doc));
					Y.applyUpdate(replica.doc, missing, 'sync');
				}
			}
		}
		expect(checked).toBeGreaterThan(4000);
		// A placement replaced by null is one of the raw writes; it breaks the contract.
		expect(tampersRefused).toBeGreaterThan(0);
	});
});
