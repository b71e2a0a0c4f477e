/**
 * Helpers shared by this folder's specs: a seeded random source, deterministic contexts and a
 * check that a refused operation left the document untouched. Not part of the domain API.
 */
import { expect } from 'vitest';
import * as Y from 'yjs';
import type { OpContext } from './context.ts';
import { DomainError, type DomainErrorCode } from './errors.ts';
import { initBoard } from './board.ts';
import { readBoard, type BoardView } from './read.ts';

/** A small seeded generator (xorshift32 with a multiplicative finish); plenty for tests. */
export interface Random {
	/** Uniform in [0, 1). */
	next(): number;
	/** Uniform integer in [0, n). */
	int(n: number): number;
	/** True with probability p. */
	chance(p: number): boolean;
	pick<T>(items: readonly T[]): T;
	/** A new generator derived from this one, so sub-streams stay independent. */
	fork(): Random;
}

export function createRandom(seed: number): Random {
	// Zero is a fixed point of xorshift; mix the seed so neighbouring seeds diverge at once.
	let state = (Math.imul(seed ^ 0x9e3779b9, 0x85ebca6b) ^ 0x27d4eb2f) >>> 0 || 1;
	const next = () => {
		state ^= state << 13;
		state ^= state >>> 17;
		state ^= state << 5;
		state >>>= 0;
		return (Math.imul(state, 0x2c1b3c6d) >>> 0) / 2 ** 32;
	};
	const random: Random = {
		next,
		int: (n) => Math.floor(next() * n),
		chance: (p) => next() < p,
		pick: (items) => {
			if (items.length === 0) throw new RangeError('pick from an empty list');
			return items[Math.floor(next() * items.length)] as (typeof items)[number];
		},
		fork: () => createRandom(Math.floor(next() * 2 ** 32))
	};
	return random;
}

/** A context with a ticking clock and readable sequential ids (`<prefix>-1`, …). */
export function testContext(overrides: Partial<OpContext> = {}, prefix = 'id'): OpContext {
	let ids = 0;
	let time = Date.parse('2026-03-01T09:00:00.000Z');
	return {
		actorId: 'user-1',
		now: () => new Date((time += 1000)),
		newId: () => `${prefix}-${String(++ids).padStart(4, '0')}`,
		...overrides
	};
}

/**
 * Ids shaped as the server accepts them (lower-case UUIDs), deterministic per `stream`: for
 * tests whose documents go through the server's update check.
 */
export function uuidSequence(stream = 0): () => string {
	let n = 0;
	const hex = (value: number, width: number) => value.toString(16).padStart(width, '0');
	return () => `${hex(stream, 8)}-0000-4000-8000-${hex(++n, 12)}`;
}

/** A fresh board with the default columns, and its first view. */
export function createBoard(ctx: OpContext = testContext()): {
	doc: Y.Doc;
	ctx: OpContext;
	view: BoardView;
	columnIds: string[];
} {
	const doc = new Y.Doc();
	initBoard(doc, { title: 'Launch' }, ctx);
	const view = readBoard(doc);
	return { doc, ctx, view, columnIds: view.columns.map((column) => column.id) };
}

/** Ids of the cards in each live column, in order. */
export function cardIds(doc: Y.Doc): string[][] {
	return readBoard(doc).columns.map((column) => column.tasks.map((task) => task.id));
}

/**
 * Runs an operation that must be refused with `code` (and `field`, when given) and checks that
 * the document's state is byte-for-byte what it was.
 */
export function expectRefused(
	doc: Y.Doc,
	operation: () => unknown,
	code: DomainErrorCode,
	field?: string | null
): DomainError {
	const before = Y.encodeStateAsUpdate(doc);
	let caught: unknown = null;
	try {
		operation();
	} catch (error) {
		caught = error;
	}
	expect(caught).toBeInstanceOf(DomainError);
	const error = caught as DomainError;
	expect(error.code).toBe(code);
	if (field !== undefined) expect(error.field).toBe(field);
	expect(Y.encodeStateAsUpdate(doc)).toEqual(before);
	return error;
}
