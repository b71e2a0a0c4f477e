/**
 * A simulated network of Yjs replicas for the convergence spec, in the spirit of Yjs's own
 * randomized tests: every local update is queued for every other replica, queues are drained in
 * random order (so updates arrive out of order and Yjs must hold some back as pending), and a
 * disconnected replica keeps its outgoing and incoming updates buffered until it reconnects,
 * when it also runs the state-vector handshake a provider would. Test-only.
 */
import { expect } from 'vitest';
import * as Y from 'yjs';
import type { OpContext } from './context.ts';
import { projectBoard } from './projection.ts';
import { compareRanked } from './rank.ts';
import { readBoard } from './read.ts';
import type { Random } from './testing.ts';

/** One peer: its document, how it calls operations, and whether it is connected. */
export interface Replica {
	index: number;
	doc: Y.Doc;
	ctx: OpContext;
	online: boolean;
}

const remote = Symbol('remote');

/** The replicas and the updates in flight between them. */
export class Network {
	readonly replicas: Replica[];
	/** queues[from][to]: updates produced by `from` not yet applied by `to`. */
	private readonly queues: Uint8Array[][][];
	private readonly random: Random;

	constructor(count: number, random: Random, clock: () => Date) {
		this.random = random;
		this.queues = Array.from({ length: count }, () => Array.from({ length: count }, () => []));
		this.replicas = Array.from({ length: count }, (_, index) => {
			const doc = new Y.Doc({ gc: true });
			// Fixed client ids keep conflict resolution, and so a failing seed, reproducible.
			doc.clientID = 1000 + index;
			let ids = 0;
			const ctx: OpContext = {
				actorId: `user-${index}`,
				now: clock,
				// A random prefix mixes the id order across replicas; the suffix keeps ids unique.
				newId: () => `${random.int(0xffff).toString(16).padStart(4, '0')}-r${index}n${++ids}`
			};
			doc.on('update', (update: Uint8Array, origin: unknown) => {
				if (origin === remote) return;
				for (let to = 0; to < count; to++) {
					if (to !== index) this.queue(index, to).push(update);
				}
			});
			return { index, doc, ctx, online: true };
		});
	}

	private queue(from: number, to: number): Uint8Array[] {
		return (this.queues[from] as Uint8Array[][])[to] as Uint8Array[];
	}

	/** Pairs (from, to) with updates waiting and both ends connected. */
	private deliverable(): [number, number][] {
		const pairs: [number, number][] = [];
		for (const from of this.replicas) {
			for (const to of this.replicas) {
				if (from.online && to.online && this.queue(from.index, to.index).length > 0) {
					pairs.push([from.index, to.index]);
				}
			}
		}
		return pairs;
	}

	/** Applies up to `count` waiting updates, each picked at random from a random queue. */
	deliver(count: number): void {
		let pairs = this.deliverable();
		for (let i = 0; i < count && pairs.length > 0; i++) {
			const [from, to] = this.random.pick(pairs);
			const queue = this.queue(from, to);
			const [update] = queue.splice(this.random.int(queue.length), 1);
			Y.applyUpdate((this.replicas[to] as Replica).doc, update as Uint8Array, remote);
			// Applying a remote update queues nothing new, so only an emptied queue changes the pairs.
			if (queue.length === 0) pairs = this.deliverable();
		}
	}

	disconnect(index: number): void {
		(this.replicas[index] as Replica).online = false;
	}

	/** Reconnects and, as a provider does, exchanges missing state with one connected peer. */
	reconnect(index: number): void {
		const replica = this.replicas[index] as Replica;
		replica.online = true;
		const peers = this.replicas.filter((peer) => peer.online && peer !== replica);
		if (peers.length > 0) this.handshake(replica, this.random.pick(peers));
	}

	private handshake(a: Replica, b: Replica): void {
		const forB = Y.encodeStateAsUpdate(a.doc, Y.encodeStateVector(b.doc));
		const forA = Y.encodeStateAsUpdate(b.doc, Y.encodeStateVector(a.doc));
		Y.applyUpdate(b.doc, forB, remote);
		Y.applyUpdate(a.doc, forA, remote);
	}

	/** Reconnects everyone, drains every queue in random order, then handshakes all pairs. */
	settle(): void {
		for (const replica of this.replicas) replica.online = true;
		this.deliver(Number.POSITIVE_INFINITY);
		for (const a of this.replicas) {
			for (const b of this.replicas) if (a.index < b.index) this.handshake(a, b);
		}
	}

	/** Whether every replica has integrated everything it received (nothing pending). */
	nothingPending(): boolean {
		return this.replicas.every(
			({ doc }) => doc.store.pendingStructs === null && doc.store.pendingDs === null
		);
	}
}

/**
 * Asserts that a settled network converged: equal state vectors, equal reads and projections,
 * each live card in exactly one column in (rank, id) order, and rows that match the view.
 */
export function expectConverged(network: Network): void {
	const [first, ...rest] = network.replicas as [Replica, ...Replica[]];
	expect(network.nothingPending()).toBe(true);
	const vector = Y.encodeStateVector(first.doc);
	const view = readBoard(first.doc);
	const rows = projectBoard(first.doc);
	for (const replica of rest) {
		expect(Y.encodeStateVector(replica.doc)).toEqual(vector);
		expect(readBoard(replica.doc)).toEqual(view);
		expect(projectBoard(replica.doc)).toEqual(rows);
	}
	const live = view.columns.flatMap((column) => column.tasks.map((task) => [task.id, column]));
	const liveIds = live.map(([id]) => id as string);
	const deletedIds = view.deletedTasks.map((task) => task.id);
	expect(new Set(liveIds).size).toBe(liveIds.length);
	expect(deletedIds.filter((id) => liveIds.includes(id))).toEqual([]);
	expect(new Set(view.columns.map((column) => column.id)).size).toBe(view.columns.length);
	for (const column of view.columns) {
		for (const [i, task] of column.tasks.entries()) {
			expect(task.columnId).toBe(column.id);
			const previous = column.tasks[i - 1];
			if (previous) expect(compareRanked(previous, task)).toBe(-1);
		}
	}
	// The projection is the same board as rows: same cards, same columns, same deletions.
	const rowsById = new Map(rows.tasks.map((row) => [row.id, row]));
	expect(rows.tasks).toHaveLength(liveIds.length + deletedIds.length);
	for (const column of view.columns) {
		expect(rows.columns.find((row) => row.id === column.id)?.deletedAt).toBeNull();
		for (const task of column.tasks) {
			expect(rowsById.get(task.id)).toMatchObject({
				columnId: column.id,
				rank: task.rank,
				status: column.category,
				deletedAt: null,
				description: task.description
			});
		}
	}
	for (const task of view.deletedTasks) {
		expect(rowsById.get(task.id)?.deletedAt).toBe(task.deletedAt);
	}
	const liveColumnRows = rows.columns.filter((row) => row.deletedAt === null);
	expect(liveColumnRows.map((row) => row.id)).toEqual(view.columns.map((column) => column.id));
}
