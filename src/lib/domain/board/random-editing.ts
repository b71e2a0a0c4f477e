/**
 * For tests: random concurrent editing of one board on three replicas (domain operations,
 * hostile raw writes, deliveries in pieces, disconnects), the driver the invariants over "every
 * transaction of random editing" share (live view, column tails, event shadow).
 */
import * as Y from 'yjs';
import { Network, type Replica } from './network-simulation.ts';
import { randomOperation, rawWrite, weighted } from './random-operations.ts';
import { createTask } from './tasks.ts';
import { createBoard, createRandom } from './testing.ts';

export interface RandomEditing {
	steps: number;
	/** Called for each replica once it holds the seeded board, before any change. */
	watch(replica: Replica): void;
	/** Called after every step (which may apply several transactions). */
	afterStep?(): void;
}

/** One seed's run: a board with six cards on every replica, `steps` random steps, then settled. */
export function randomEditing(seed: number, { steps, watch, afterStep }: RandomEditing): Network {
	const random = createRandom(seed);
	let time = Date.parse('2026-03-01T09:00:00.000Z');
	const network = new Network(3, random.fork(), () => new Date((time += 1000)));
	const [first] = network.replicas as [Replica];
	const seeded = createBoard(first.ctx);
	for (let i = 0; i < 6; i++) {
		createTask(seeded.doc, { columnId: random.pick(seeded.columnIds), title: `c${i}` }, first.ctx);
	}
	const update = Y.encodeStateAsUpdate(seeded.doc);
	for (const replica of network.replicas) {
		Y.applyUpdate(replica.doc, update);
		watch(replica);
	}
	for (let step = 0; step < steps; step++) {
		const replica = random.pick(network.replicas);
		weighted(random, [
			[6, () => randomOperation(random, replica)],
			[2, () => rawWrite(random, replica.doc)],
			[3, () => network.deliver(1 + random.int(4))],
			[0.5, () => network.disconnect(replica.index)],
			[0.5, () => network.reconnect(replica.index)]
		] as [number, () => void][])();
		afterStep?.();
	}
	network.settle();
	return network;
}
