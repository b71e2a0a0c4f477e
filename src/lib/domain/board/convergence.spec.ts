/**
 * Randomized convergence: replicas apply random operations concurrently, updates travel out of
 * order, replicas drop off and come back; once everything is delivered, all replicas must hold
 * the same state and show the same, well-formed board. `CONVERGENCE_SEEDS=N` runs more seeds.
 */
import { describe, it } from 'vitest';
import { deleteColumn } from './columns.ts';
import { initBoard } from './board.ts';
import { expectConverged, Network, type Replica } from './network-simulation.ts';
import { attempt, liveTasks, randomOperation, words } from './random-operations.ts';
import { readBoard } from './read.ts';
import { createTask, editDescription, moveTask, setDescription } from './tasks.ts';
import { createRandom, type Random } from './testing.ts';

const seeds = Number(process.env.CONVERGENCE_SEEDS ?? 200);

/** Several replicas act on the same card or column before hearing from each other. */
function conflict(random: Random, network: Network): void {
	const actors = network.replicas.filter(() => random.chance(0.7));
	const view = readBoard(random.pick(network.replicas).doc);
	const cards = liveTasks(view);
	if (cards.length === 0 || view.columns.length < 2) return;
	const card = random.pick(cards);
	const kind = random.int(4);
	for (const { doc, ctx } of actors) {
		const mine = readBoard(doc);
		attempt(() => {
			if (kind === 0)
				moveTask(doc, { taskId: card.id, columnId: random.pick(mine.columns).id }, ctx);
			else if (kind === 1) {
				// One deletes the card's column while the others move cards into it.
				if (random.chance(0.4)) deleteColumn(doc, { columnId: card.columnId }, ctx);
				else
					moveTask(doc, { taskId: random.pick(liveTasks(mine)).id, columnId: card.columnId }, ctx);
			} else if (kind === 2) {
				createTask(doc, { columnId: card.columnId, title: 'same spot', afterTaskId: card.id }, ctx);
			} else {
				const insert = random.pick(words);
				editDescription(doc, { taskId: card.id, index: 0, deleteCount: 0, insert }, ctx);
				setDescription(doc, { taskId: card.id, text: `${insert} and more` }, ctx);
			}
		});
	}
}

function run(seed: number): void {
	const random = createRandom(seed);
	let time = Date.parse('2026-03-01T00:00:00.000Z');
	const network = new Network(3 + random.int(3), random.fork(), () => new Date((time += 1000)));
	const founder = network.replicas[0] as Replica;
	initBoard(founder.doc, { title: 'Board' }, founder.ctx);
	network.settle();
	const steps = 50 + random.int(70);
	for (let step = 0; step < steps; step++) {
		const roll = random.next();
		const replica = random.pick(network.replicas);
		if (roll < 0.55) randomOperation(random, replica);
		else if (roll < 0.8) network.deliver(1 + random.int(6));
		else if (roll < 0.9) conflict(random, network);
		else if (replica.online) network.disconnect(replica.index);
		else network.reconnect(replica.index);
	}
	network.settle();
	expectConverged(network);
}

describe('convergence', () => {
	it(
		`converges under random concurrent operations (${seeds} seeds)`,
		() => {
			for (let seed = 1; seed <= seeds; seed++) {
				try {
					run(seed);
				} catch (error) {
					const message = error instanceof Error ? error.message : String(error);
					throw new Error(`Convergence failed for seed ${seed}: ${message}`, { cause: error });
				}
			}
		},
		Math.max(60_000, seeds * 500)
	);
});
