import { describe, expect, it, vi } from 'vitest';
import type { Sql } from '#lib/server/db/client.ts';
import { RowSyncBatcher } from './row-sync-batcher.ts';
import type { BoardRowSync, Taken } from './row-sync.ts';

/**
 * A board as the batcher sees it: `dirty` until taken, `busy` while someone else writes it.
 * Its rows go nowhere (no tasks in what it hands over), so no SQL but the lock runs.
 */
class FakeBoard {
	dirty = true;
	/** Cards to project. */
	weight = 1;
	busy = false;
	titlePending = false;
	disposed = false;
	taken = 0;
	committedCount = 0;
	readonly boardId: string;
	constructor(boardId: string) {
		this.boardId = boardId;
	}
	joinBatch(): void {}
	take(): Taken {
		this.taken += 1;
		this.dirty = false;
		return { pending: { writes: [] }, events: null, tasks: null } as unknown as Taken;
	}
	async write(): Promise<void> {}
	restore(): void {
		this.dirty = true;
	}
	committed(): void {
		this.committedCount += 1;
	}
	synced = 0;
	async sync(): Promise<void> {
		this.synced += 1;
		this.dirty = false;
	}
}

/**
 * A `sql` whose transactions each wait for `release()` while `hold` is set (or fail with `fail`),
 * and whose row locks leave out the boards in `lockedElsewhere` (as `for update skip locked`
 * does).
 */
function fakeSql() {
	const state = {
		transactions: 0,
		hold: false,
		fail: null as Error | null,
		lockedElsewhere: new Set<string>(),
		waiting: [] as (() => void)[],
		release() {
			for (const go of state.waiting.splice(0)) go();
		}
	};
	const tx = (_strings: TemplateStringsArray, ids: string[]) =>
		Promise.resolve(
			ids.filter((id) => !state.lockedElsewhere.has(id)).map((id) => ({ board_id: id }))
		);
	const sql = {
		async begin(fn: (t: typeof tx) => Promise<void>) {
			state.transactions += 1;
			if (state.fail) throw state.fail;
			if (state.hold) await new Promise<void>((go) => state.waiting.push(go));
			await fn(tx);
		}
	};
	return { sql: sql as unknown as Sql, state };
}

function setUp(maxCards?: number) {
	const { sql, state } = fakeSql();
	const errors: unknown[] = [];
	// A window no test waits out: only flushes write.
	const batcher = new RowSyncBatcher({
		sql,
		maxCards,
		delayMs: 60_000,
		onError: (error) => errors.push(error),
		onSuccess: () => {}
	});
	const board = (id: string) => {
		const fake = new FakeBoard(id);
		batcher.mark(fake as unknown as BoardRowSync);
		return fake;
	};
	return { batcher, state, errors, board };
}

/** Lets the promise chains of a flush run up to their next real wait. */
const settle = () => new Promise<void>((resolve) => setImmediate(resolve));

describe('RowSyncBatcher.flush', () => {
	it('writes the marked boards in one transaction', async () => {
		const { batcher, state, board } = setUp();
		const a = board('a');
		const b = board('b');
		await batcher.flush();
		expect(state.transactions).toBe(1);
		expect([a.taken, b.taken, a.committedCount, b.committedCount]).toEqual([1, 1, 1, 1]);
		await batcher.close();
	});

	it('lets the reads that arrive during a batch share the next one', async () => {
		const { batcher, state, board } = setUp();
		board('a');
		state.hold = true;
		const first = batcher.flush();
		await settle();
		expect(state.transactions).toBe(1);
		// Edits and reads while the first batch runs: the reads wait for a batch that starts
		// after them (the running one may have missed their boards), and one is enough.
		const later = board('b');
		let resolved = 0;
		const reads = [batcher.flush(), batcher.flush(), batcher.flush()].map((read) =>
			read.then(() => void (resolved += 1))
		);
		await settle();
		expect(resolved).toBe(0);
		state.hold = false;
		state.release();
		await Promise.all([first, ...reads]);
		expect(state.transactions).toBe(2);
		expect(later.taken).toBe(1);
		await batcher.close();
	});

	it('skips a board that is being written elsewhere, without waiting for it', async () => {
		const { batcher, state, board } = setUp();
		const busy = board('busy');
		const locked = board('locked');
		const free = board('free');
		busy.busy = true;
		state.lockedElsewhere.add('locked');
		await batcher.flush();
		// One transaction: the free board's; the busy one was never offered, the locked one was
		// offered but not taken.
		expect(state.transactions).toBe(1);
		expect([busy.taken, locked.taken, free.taken]).toEqual([0, 0, 1]);
		// Both stay marked: once free, the next flush writes them.
		busy.busy = false;
		state.lockedElsewhere.clear();
		await batcher.flush();
		expect([busy.taken, locked.taken, free.taken]).toEqual([1, 1, 1]);
		await batcher.close();
	});

	it('never rejects: a failed batch goes to the error handler and its boards to ticks', async () => {
		vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'performance'] });
		try {
			const { batcher, state, errors, board } = setUp();
			const a = board('a');
			state.fail = new Error('database gone');
			await expect(batcher.flush()).resolves.toBeUndefined();
			expect(errors).toEqual([state.fail]);
			expect([a.taken, a.committedCount, a.synced]).toEqual([0, 0, 0]);
			// A read's flush does not retry it (a broken board would fail every read's batch)...
			state.fail = null;
			await batcher.flush();
			expect([a.taken, a.synced]).toEqual([0, 0]);
			// ...the next tick does, in a transaction of its own.
			await vi.advanceTimersByTimeAsync(60_000);
			expect(a.synced).toBe(1);
			await batcher.close();
		} finally {
			vi.useRealTimers();
		}
	});
});

describe('RowSyncBatcher: many cards', () => {
	it('writes one group per transaction, each once the one before has ended', async () => {
		const { batcher, state, board } = setUp(2);
		const boards = ['a', 'b', 'c', 'd', 'e'].map(board);
		state.hold = true;
		const flushed = batcher.flush();
		await settle();
		// The first group's transaction is open; nothing else has started.
		expect(state.transactions).toBe(1);
		state.release();
		await vi.waitFor(() => expect(state.transactions).toBe(2));
		expect(boards.map((b) => b.taken)).toEqual([1, 1, 0, 0, 0]);
		state.release();
		await vi.waitFor(() => expect(state.transactions).toBe(3));
		expect(boards.map((b) => b.taken)).toEqual([1, 1, 1, 1, 0]);
		state.hold = false;
		state.release();
		await flushed;
		expect(boards.map((b) => [b.taken, b.committedCount])).toEqual(boards.map(() => [1, 1]));
		expect(batcher.stats).toEqual({ batches: 3, boards: 5 });
		await batcher.close();
	});

	it('counts the cards each board holds when its turn comes, a bigger board alone', async () => {
		const { batcher, state, board } = setUp(2);
		const boards = ['a', 'b', 'c', 'd', 'e'].map(board);
		[3, 1, 1, 1, 1].forEach((weight, i) => (boards[i]!.weight = weight));
		const takenIn = new Map<string, number>();
		for (const b of boards) {
			const take = b.take.bind(b);
			b.take = () => {
				takenIn.set(b.boardId, state.transactions);
				return take();
			};
		}
		state.hold = true;
		const flushed = batcher.flush();
		await settle();
		// While the first group (a, 3 cards: alone) is written, c gains cards: its group is formed
		// from what it holds then.
		boards[2]!.weight = 2;
		state.hold = false;
		state.release();
		await flushed;
		expect(Object.fromEntries(takenIn)).toEqual({ a: 1, b: 2, c: 3, d: 4, e: 4 });
		await batcher.close();
	});

	it('skips a board a request wrote meanwhile and leaves one being written for the next tick', async () => {
		const { batcher, state, board } = setUp(1);
		const [a, b, c] = ['a', 'b', 'c'].map(board);
		state.hold = true;
		const flushed = batcher.flush();
		await settle();
		b!.dirty = false; // a request wrote it while a's group was being written
		c!.busy = true; // a request is writing it now
		state.hold = false;
		state.release();
		await flushed;
		expect([a!.taken, b!.taken, c!.taken]).toEqual([1, 0, 0]);
		expect(state.transactions).toBe(1);
		// c comes back with the next batch once its own write is over.
		c!.busy = false;
		await batcher.flush();
		expect(c!.taken).toBe(1);
		await batcher.close();
	});

	it('sends a failed group to the error handler and its boards to ticks; the others commit', async () => {
		vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'performance'] });
		try {
			const { batcher, state, errors, board } = setUp(1);
			const [a, b] = ['a', 'b'].map(board);
			state.hold = true;
			const flushed = batcher.flush();
			await vi.waitFor(() => expect(state.waiting).toHaveLength(1));
			// The first group's transaction is under way; the second's will fail at its start.
			state.fail = new Error('second group failed');
			state.release();
			await flushed;
			expect([a!.committedCount, b!.committedCount]).toEqual([1, 0]);
			expect(errors).toEqual([state.fail]);
			// b is written again at the next tick, in a transaction of its own.
			state.fail = null;
			state.hold = false;
			await vi.advanceTimersByTimeAsync(60_000);
			expect([a!.synced, b!.synced]).toEqual([0, 1]);
			await batcher.close();
		} finally {
			vi.useRealTimers();
		}
	});
});
