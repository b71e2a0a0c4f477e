/**
 * Writes the rows of every board that clients changed, for the whole instance, in one
 * transaction per tick: the boards' locks in one statement, their touched cards in one upsert.
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
	/** A batch failed; its boards are tried again after `delayMs`. */
	onError(error: unknown): void;
	/** A batch succeeded. */
	onSuccess(): void;
}

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
	#running: Promise<unknown> | null = null;
	#closed = false;

	constructor(options: RowSyncBatcherOptions) {
		this.#options = options;
	}

	/** The board has changes: written at the next tick. */
	mark(board: BoardRowSync): void {
		this.#marked.add(board);
		this.#arm();
	}

	/** A board leaving memory: its remaining rows are its own `sync()`'s business. */
	forget(board: BoardRowSync): void {
		this.#marked.delete(board);
		this.#alone.delete(board);
	}

	/**
	 * Writes every marked board now instead of at the next tick, for a read over many boards
	 * (a board list, someone's cards across boards). Resolves once each board's rows hold the
	 * changes applied before the call, or its write failed: a board whose rows cannot be
	 * written must not fail a read of the others (the failure is reported, as at a tick).
	 */
	async flush(): Promise<void> {
		if (this.#closed) return;
		// A batch under way may have taken its boards before the caller's changes.
		while (this.#running) await this.#running.catch(() => {});
		// Every board with changes not yet written is marked (or written alone after a failure).
		const wanted = [...this.#marked, ...this.#alone];
		if (this.#timer) clearTimeout(this.#timer);
		this.#timer = null;
		const written = await this.#tick();
		// What the batch did not write: boards a request is writing, boards locked elsewhere,
		// boards written alone. Boards changed again since the batch took them are not waited
		// for: under load that would be a transaction per board for every read.
		const left = wanted.filter((board) => !written.has(board) && (board.dirty || board.busy));
		const results = await Promise.allSettled(left.map((board) => board.sync()));
		for (const result of results) {
			if (result.status === 'rejected') this.#options.onError(result.reason);
		}
	}

	/** Stops ticking and waits for the batch under way. */
	async close(): Promise<void> {
		this.#closed = true;
		if (this.#timer) clearTimeout(this.#timer);
		this.#timer = null;
		await this.#running?.catch(() => {});
	}

	#arm(): void {
		if (this.#timer || this.#closed) return;
		this.#timer = setTimeout(() => {
			this.#timer = null;
			void this.#tick();
		}, this.#options.delayMs);
		this.#timer.unref();
	}

	/** Writes the marked boards; returns those the batch committed. */
	async #tick(): Promise<Set<BoardRowSync>> {
		const written = new Set<BoardRowSync>();
		if (this.#running) {
			// One batch at a time; the next tick takes what came meanwhile.
			this.#arm();
			return written;
		}
		// A board a request wrote meanwhile has nothing left; one being written comes back later.
		for (const board of this.#marked) if (!board.dirty) this.#marked.delete(board);
		const ready = [...this.#marked].filter((board) => !board.busy);
		for (const board of ready) this.#marked.delete(board);
		// Boards still being written by a request come back at the next tick.
		if (this.#marked.size > 0) this.#arm();
		for (const board of ready.filter((b) => this.#alone.has(b))) void this.#writeAlone(board);
		const boards = ready.filter((board) => !this.#alone.has(board));
		if (boards.length === 0) return written;
		const batch = this.#write(boards);
		this.#running = batch;
		for (const board of boards) board.joinBatch(batch);
		try {
			for (const board of await batch) written.add(board);
			this.#options.onSuccess();
		} catch (error) {
			this.#options.onError(error);
			// Which board failed is unknown: each is written alone from now on until it succeeds.
			for (const board of boards) this.#alone.add(board);
		} finally {
			this.#running = null;
		}
		return written;
	}

	async #writeAlone(board: BoardRowSync): Promise<void> {
		try {
			await board.sync();
			this.#alone.delete(board);
		} catch (error) {
			// `sync` put its changes back and marked the board again.
			this.#options.onError(error);
		}
	}

	/** One transaction for `boards`; returns those it wrote (a board locked elsewhere waits). */
	async #write(boards: BoardRowSync[]): Promise<BoardRowSync[]> {
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
				this.#options.onError(error);
			}
		}
		return taken.map(([board]) => board);
	}
}
