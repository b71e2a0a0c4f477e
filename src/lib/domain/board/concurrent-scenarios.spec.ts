/**
 * Hand-picked concurrent edits, spelled out: what users see when they collide. The randomized
 * convergence spec covers the same ground at scale.
 */
import { describe, expect, it } from 'vitest';
import { initBoard } from './board.ts';
import { createColumn, deleteColumn } from './columns.ts';
import { expectConverged, Network, type Replica } from './network-simulation.ts';
import { readBoard } from './read.ts';
import { createTask, moveTask, restoreTask } from './tasks.ts';
import { createRandom } from './testing.ts';

/** Two synced replicas of a board with one card, for the hand-written scenarios below. */
function pair() {
	const random = createRandom(7);
	const network = new Network(2, random, () => new Date('2026-03-01T00:00:00.000Z'));
	const [a, b] = network.replicas as [Replica, Replica];
	initBoard(a.doc, { title: 'Board' }, a.ctx);
	const [todo, doing, done] = readBoard(a.doc).columns.map((column) => column.id) as [
		string,
		string,
		string
	];
	const card = createTask(a.doc, { columnId: todo, title: 'Card' }, a.ctx);
	network.settle();
	return { network, a, b, todo, doing, done, card };
}

describe('concurrent scenarios', () => {
	it('a card moved to two columns at once ends up in exactly one', () => {
		const { network, a, b, doing, done, card } = pair();
		moveTask(a.doc, { taskId: card, columnId: doing }, a.ctx);
		moveTask(b.doc, { taskId: card, columnId: done }, b.ctx);
		network.settle();
		expectConverged(network);
		const holders = readBoard(a.doc).columns.filter((column) =>
			column.tasks.some((task) => task.id === card)
		);
		expect(holders).toHaveLength(1);
	});

	it('a card moved into a column being deleted is deleted with it, and can be restored', () => {
		const { network, a, b, todo, doing, card } = pair();
		deleteColumn(a.doc, { columnId: doing, moveTasksTo: todo }, a.ctx);
		moveTask(b.doc, { taskId: card, columnId: doing }, b.ctx);
		network.settle();
		expectConverged(network);
		expect(readBoard(a.doc).deletedTasks.map((task) => task.id)).toEqual([card]);
		restoreTask(b.doc, { taskId: card }, b.ctx);
		network.settle();
		expect(readBoard(a.doc).columns[0]?.tasks.map((task) => task.id)).toEqual([card]);
	});

	it('deleting the last two columns at once leaves none; adding one lets cards be restored', () => {
		const { network, a, b, todo, doing, done, card } = pair();
		deleteColumn(a.doc, { columnId: done }, a.ctx);
		network.settle();
		deleteColumn(a.doc, { columnId: todo }, a.ctx);
		deleteColumn(b.doc, { columnId: doing }, b.ctx);
		network.settle();
		expectConverged(network);
		expect(readBoard(a.doc).columns).toEqual([]);
		createColumn(a.doc, { title: 'Again' }, a.ctx);
		restoreTask(a.doc, { taskId: card }, a.ctx);
		network.settle();
		expect(readBoard(b.doc).columns[0]?.tasks.map((task) => task.id)).toEqual([card]);
	});

	it('cards inserted at the same spot at once are both kept, ordered by id', () => {
		const { network, a, b, todo, card } = pair();
		const x = createTask(a.doc, { columnId: todo, title: 'x', afterTaskId: card }, a.ctx);
		const y = createTask(b.doc, { columnId: todo, title: 'y', afterTaskId: card }, b.ctx);
		network.settle();
		expectConverged(network);
		const order = readBoard(a.doc).columns[0]?.tasks.map((task) => task.id);
		expect(order).toEqual([card, ...[x, y].sort()]);
	});
});
