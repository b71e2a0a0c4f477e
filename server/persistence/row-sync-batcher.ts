/**
 * Writes the rows of every board that clients changed, for the whole instance, in one
 * transaction per tick (a few, one after another, when many cards changed): the boards' locks
 * in one statement, their touched cards in one upsert.
 * Per board and tick this replaced a transaction of five round trips; at 50 busy boards that
 * was 500 statements a second for rows that nobody waits on.
 */
import { upsertTouchedTasks, type TouchedTasks } from '#lib/server/board-rows.ts';
import type { Sql } from '#lib/server/db/client.ts';
import type { BoardRowSync, Taken } from './row-sync.ts';

export interface RowSyncBatcherOptions {
	sql: Sql;
	/** A changed board's rows are written within about this long (ms). */
	delayMs: number;
	/**
	 * Sooner for a board whose title changed (ms; at most `delayMs`): pages of one board show
	 * its title from `boards`, and a rename is rare, so it need not wait out a long window.
	 */
	soonMs?: number;
	/** A batch failed; its boards are tried again after `delayMs` (`soonMs` with a new title). */
	onError(error: unknown): void;
	/** A batch succeeded. */
	onSuccess(): void;
	/** Cards projected per transaction at most (default `defaultMaxCards`). */
	maxCards?: number;
}

/**
 * Cards a batch projects at most (a board with more is a batch of its own). Taking them is one
 * synchronous stretch (`BoardRowSync.take`, under the locks), ~5 µs a card: a tick over a
 * thousand touched cards held the event loop for 5–10 ms, and every edit arriving meanwhile
 * waited; hundreds of busy boards would make it tens of milliseconds.
 */
const defaultMaxCards = 250;

export interface RowSyncStats {
	/** Transactions committed. */
	batches: number;
	/** Boards whose rows they wrote. */
	boards: number;
}

export class RowSyncBatcher {
	readonly stats: RowSyncStats = { batches: 0, boards: 0 };
	readonly #options: RowSyncBatcherOptions;
	readonly #marked = new Set<BoardRowSync>();
	/**
	 * Boards written one transaction each: a failed batch puts its boards here, so a board whose
	 * rows cannot be written (until someone fixes its data, or the database is back) never holds
	 * up the others; a board leaves once its own write succeeds.
	 */
	readonly #alone = new Set<BoardRowSync>();
	#timer: ReturnType<typeof setTimeout> | null = null;
	/** When the armed timer fires (`performance.now()` time). */
	#due = Infinity;
	#running: Promise<void> | null = null;
	/** Batches started so far (a flush waits for one that started after its call). */
	#started = 0;
	/** A timer tick is waiting for the batch under way to end. */
	#chained = false;
	#closed = false;

	constructor(options: RowSyncBatcherOptions) {
		this.#options = options;
	}

	/** The board has changes: written at the next tick (within `soonMs` if its title changed). */
	mark(board: BoardRowSync): void {
		this.#marked.add(board);
		this.#arm(board.titlePending);
	}

	/** A board leaving memory: its remaining rows are its own `sync()`'s business. */
	forget(board: BoardRowSync): void {
		this.#marked.delete(board);
		this.#alone.delete(board);
	}

	/**
	 * Writes the marked boards now instead of at the next tick, for a read over many boards
	 * (someone's cards across boards, the admin's board list): resolves once a batch that
	 * started after the call has ended (its own, or a tick's or another read's). Best effort,
	 * and never rejects: a board being written elsewhere at that moment (a store, a request) is
	 * skipped, as at a tick, and comes from that write or the next tick (waiting for it would
	 * hold every such read up behind a store of a big board); so is a board whose rows failed
	 * to write in a batch, which only ticks retry, one transaction each.
	 */
	async flush(): Promise<void> {
		const from = this.#started;
		while (!this.#closed) {
			const running = this.#running;
			if (!running) {
				// No await between the check and the tick: it starts its batch now, or has nothing.
				await this.#tick({ alone: false });
				return;
			}
			const seq = this.#started;
			await running.catch(() => {});
			// A batch that started after the call took every board ready then, as ours would.
			if (seq > from) return;
		}
	}

	/** Stops ticking (flushes waiting end too) and waits for the batch under way. */
	async close(): Promise<void> {
		this.#closed = true;
		if (this.#timer) clearTimeout(this.#timer);
		this.#timer = null;
		await this.#running?.catch(() => {});
	}

	/** Sets the tick timer, earlier if `soon` (a marked title) and it is set for later. */
	#arm(soon = false): void {
		// Called on every edit: a timer set is never later than a window from now.
		if (this.#closed || (this.#timer && !soon)) return;
		const { delayMs: window, soonMs = window } = this.#options;
		const delayMs = soon ? Math.min(soonMs, window) : window;
		const due = performance.now() + delayMs;
		if (this.#timer) {
			if (this.#due <= due) return;
			clearTimeout(this.#timer);
		}
		this.#due = due;
		this.#timer = setTimeout(() => {
			this.#timer = null;
			this.#due = Infinity;
			void this.#tick();
		}, delayMs);
		this.#timer.unref();
	}

	/**
	 * Writes the marked boards in one batch; boards that failed in a batch are written one
	 * transaction each (on ticks only, with `alone`: a read's flush must not retry them).
	 */
	async #tick({ alone = true } = {}): Promise<void> {
		if (this.#closed) return;
		if (this.#running) {
			// One batch at a time: a tick runs once the batch under way has ended, so flushes
			// running back to back neither delay a title nor starve the boards only ticks retry.
			if (alone && !this.#chained) {
				this.#chained = true;
				const again = () => {
					this.#chained = false;
					void this.#tick();
				};
				void this.#running.then(again, again);
			}
			return;
		}
		// A board a request wrote meanwhile has nothing left; one being written comes back later.
		for (const board of this.#marked) if (!board.dirty) this.#marked.delete(board);
		const ready = [...this.#marked].filter((board) => !board.busy);
		for (const board of ready) this.#marked.delete(board);
		const lone = ready.filter((board) => this.#alone.has(board));
		if (alone) for (const board of lone) void this.#writeAlone(board);
		else for (const board of lone) this.#marked.add(board);
		// Boards still being written by a request (and, after a flush, failed ones) come back at
		// the next tick.
		this.#rearm();
		const boards = ready.filter((board) => !this.#alone.has(board));
		if (boards.length === 0) return;
		const run = this.#writeInTurns(boards);
		this.#running = run;
		this.#started += 1;
		try {
			await run;
		} finally {
			this.#running = null;
		}
	}

	/**
	 * Writes `boards` one transaction after another, each projecting at most `maxCards` cards (a
	 * bigger board alone). A group is formed when its turn comes, from what its boards hold then:
	 * one a request wrote meanwhile is skipped, one being written is left marked for the next
	 * tick, one forgotten is dropped; so a board waits only for its own group's transaction.
	 * Never rejects: a failed group goes to the error handler.
	 */
	async #writeInTurns(boards: readonly BoardRowSync[]): Promise<void> {
		const maxCards = this.#options.maxCards ?? defaultMaxCards;
		let next = 0;
		while (next < boards.length) {
			const group: BoardRowSync[] = [];
			let cards = 0;
			for (; next < boards.length; next++) {
				const board = boards[next]!;
				if (board.disposed || !board.dirty) continue;
				if (board.busy) {
					this.mark(board);
					continue;
				}
				const { weight } = board;
				if (group.length > 0 && cards + weight > maxCards) break;
				group.push(board);
				cards += weight;
			}
			if (group.length === 0) return;
			const batch = this.#write(group);
			for (const board of group) board.joinBatch(batch);
			try {
				await batch;
				tell(this.#options.onSuccess);
			} catch (error) {
				this.#failed(group, error);
			}
		}
	}

	#failed(boards: BoardRowSync[], error: unknown): void {
		tell(() => this.#options.onError(error));
		// Which board failed is unknown: each is written alone from now on until it succeeds.
		// Boards the batch failed before taking still have their changes: marked again.
		for (const board of boards) {
			// One forgotten meanwhile (unloaded, or a stale copy) writes no rows any more.
			if (board.disposed) continue;
			this.#alone.add(board);
			if (board.dirty) this.#marked.add(board);
		}
		this.#rearm();
	}

	/** Sets the timer for the boards still marked, soon if one of them has a new title. */
	#rearm(): void {
		if (this.#marked.size === 0) return;
		this.#arm([...this.#marked].some((board) => board.titlePending));
	}

	async #writeAlone(board: BoardRowSync): Promise<void> {
		try {
			await board.sync();
			this.#alone.delete(board);
			// Ends a failure streak as a batch does ("recovered" is logged once).
			tell(this.#options.onSuccess);
		} catch (error) {
			// `sync` put its changes back and marked the board again.
			tell(() => this.#options.onError(error));
		}
	}

	async #write(boards: BoardRowSync[]): Promise<void> {
		const taken: [BoardRowSync, Taken][] = [];
		try {
			await this.#options.sql.begin(async (tx) => {
				// Sorted, so two batches (or a batch and a store) never wait on each other in a
				// cycle; a board locked by a store or a request is skipped and comes back later.
				const ids = boards.map((board) => board.boardId).sort();
				const locked = await tx<{ board_id: string }[]>`
					select board_id from board_documents where board_id = any(${ids}::uuid[])
					order by board_id for update skip locked`;
				const got = new Set(locked.map((row) => row.board_id));
				// From the locks to the projections without an await (see `BoardRowSync.take`).
				for (const board of boards) {
					// Forgotten while the locks were taken (unloaded, or a stale copy): no rows.
					if (board.disposed) continue;
					if (got.has(board.boardId)) taken.push([board, board.take()]);
					else this.mark(board);
				}
				const touched: TouchedTasks[] = [];
				for (const [board, t] of taken) {
					await board.write(tx, t);
					if (t.tasks) touched.push(t.tasks);
				}
				if (touched.length > 0) await upsertTouchedTasks(tx, touched);
			});
		} catch (error) {
			for (const [board, t] of taken) board.restore(t);
			throw error;
		}
		this.stats.batches += 1;
		this.stats.boards += taken.length;
		for (const [board, t] of taken) {
			// Committed whatever a callback does: every board must learn it.
			try {
				board.committed(t);
			} catch (error) {
				tell(() => this.#options.onError(error));
			}
		}
	}
}

/** Runs a callback whose fault must stop neither the groups after it nor make a flush reject. */
function tell(callback: () => void): void {
	try {
		callback();
	} catch {
		// The callbacks log; a logger that throws has nowhere to report to.
	}
}
