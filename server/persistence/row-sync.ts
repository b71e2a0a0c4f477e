/**
 * Keeps a loaded board's `tasks`/`board_columns` rows (and `boards.title`) close behind its
 * document between stores, and commits the log rows of API writes in the same transaction as
 * the rows they change. Only the cards that transactions touched are written (every row after a
 * column change, since a column's category is its cards' status).
 *
 * Two ways in: `sync()` (a request that must read its own write) runs one transaction for this
 * board at once; edits from clients only mark the board, and the shared `RowSyncBatcher` writes
 * every marked board of the instance in one transaction per tick.
 *
 * Ordering: every write takes the `board_documents` row lock that stores take and projects the
 * document only once it holds it, so row writes of one board (on any instance) happen one at a
 * time, each from a document at least as new as the rows it replaces on the same instance.
 */
import type * as Y from 'yjs';
import { projectBoard, projectTasks, type BoardProjection } from '#lib/domain/board/projection.ts';
import { boardMap, tasksMap } from '#lib/domain/board/schema.ts';
import { appendUpdates, type ReservedWalEntry } from '#lib/server/board-documents.ts';
import { syncBoardRows, upsertTouchedTasks, type TouchedTasks } from '#lib/server/board-rows.ts';
import { copyTitle, storableTitle } from '#lib/server/board-title.ts';
import type { Sql, Tx } from '#lib/server/db/client.ts';
import { touchedBy } from '../events/board-shadow.ts';
import type { SnapshotCompanion } from './board-store.ts';

export interface RowSyncOptions {
	sql: Sql;
	boardId: string;
	doc: Y.Doc;
	/** Where a board with changes waits for its rows to be written (sooner after a new title). */
	batcher: { mark(board: BoardRowSync): void };
	/** Log rows committed by a sync; their updates are in the document. */
	onLogged(ids: number[]): void;
	/**
	 * The board's held events. A sync that commits API log rows commits them too, so an API
	 * write's events are as durable as the write when it is acknowledged, and reach the event
	 * log in the order of the requests.
	 */
	events?: SnapshotCompanion;
	/**
	 * False while updates applied to the document may still fail to commit: held events wait
	 * then (see `take`). Default: always ready.
	 */
	eventsReady?: () => boolean;
}

interface Pending {
	writes: ReservedWalEntry[];
	tasks: Set<string>;
	all: boolean;
	/** The board map changed: `boards.title` follows the document's title. */
	title: boolean;
}

const nothingPending = (): Pending => ({ writes: [], tasks: new Set(), all: false, title: false });

/** What one write took from a board: its changes, projected under the lock, and its events. */
export interface Taken {
	pending: Pending;
	events: ReturnType<SnapshotCompanion['capture']>;
	title: string | null;
	/** The whole board, when every row must be compared. */
	board: BoardProjection | null;
	/** Otherwise the touched cards, which the caller upserts (with other boards' in a batch). */
	tasks: TouchedTasks | null;
}

const ignore = () => {};

/** Transactions of the persistence layer itself: loading, or a store folding stored state in. */
function fromPersistence(origin: unknown): boolean {
	return (origin as { context?: { persistence?: unknown } } | null)?.context?.persistence === true;
}

/** Locks a board's document row: every writer of its rows (and its snapshot) takes it first. */
async function lockBoard(tx: Tx, boardId: string): Promise<void> {
	await tx`select 1 from board_documents where board_id = ${boardId} for update`;
}

export class BoardRowSync {
	readonly #options: RowSyncOptions;
	#pending: Pending = nothingPending();
	/** Log rows taken by a write that has not committed (or failed) yet. */
	#inTransit = 0;
	#running: Promise<void> | null = null;
	#again: Promise<void> | null = null;
	#disposed = false;
	readonly #listener = (transaction: Y.Transaction) => {
		if (fromPersistence(transaction.origin)) return;
		const touched = touchedBy(this.#options.doc, transaction);
		// A column's category is its cards' status, and its deletion deletes them.
		if (touched.columns.size > 0) this.#pending.all = true;
		for (const id of touched.tasks) this.#pending.tasks.add(id);
		if (touched.board) this.#pending.title = true;
		if (touched.columns.size > 0 || touched.tasks.size > 0 || touched.board) this.#mark();
	};

	constructor(options: RowSyncOptions) {
		this.#options = options;
		options.doc.on('afterTransaction', this.#listener);
	}

	get boardId(): string {
		return this.#options.boardId;
	}

	/** Rows may lag the whole document (it replayed log rows on load): compare them all. */
	markAll(): void {
		this.#pending.all = true;
		this.#pending.title = true;
		this.#mark();
	}

	/**
	 * Queues the log row of an applied change (an API write, or an edit whose own append
	 * failed); the next write of this board commits it.
	 */
	log(entry: ReservedWalEntry): void {
		this.#pending.writes.push(entry);
		this.#mark();
	}

	/** Log rows queued or being written, and not yet committed. */
	get unlogged(): number {
		return this.#pending.writes.length + this.#inTransit;
	}

	/** Forgotten: this copy of the board writes no rows any more. */
	get disposed(): boolean {
		return this.#disposed;
	}

	/** The board's title changed and is not written yet (the batcher writes it soon). */
	get titlePending(): boolean {
		return this.#pending.title;
	}

	get dirty(): boolean {
		const p = this.#pending;
		return p.writes.length > 0 || p.all || p.tasks.size > 0 || p.title;
	}

	/** Cards the next write projects: every card when all rows are compared. */
	get weight(): number {
		const p = this.#pending;
		return p.all ? tasksMap(this.#options.doc).size : p.tasks.size;
	}

	/** True while a write of this board (its own or a batch's) is under way. */
	get busy(): boolean {
		return this.#running !== null;
	}

	/**
	 * Resolves once a write that started after this call has committed: the rows then hold every
	 * change applied before the call, and every queued log row is committed.
	 */
	sync(): Promise<void> {
		if (this.#running) {
			this.#again ??= this.#running.then(ignore, ignore).then(() => {
				this.#again = null;
				// A write started since then began after our caller too.
				return this.#running ?? this.#run(this.#writeAlone());
			});
			return this.#again;
		}
		if (!this.dirty) return Promise.resolve();
		return this.#run(this.#writeAlone());
	}

	dispose(): void {
		this.#disposed = true;
		this.#options.doc.off('afterTransaction', this.#listener);
	}

	/** For the batcher: this board is written by `batch` until it settles. */
	joinBatch(batch: Promise<unknown>): void {
		// The batcher reports the batch's failure; here it only ends the wait.
		void this.#run(batch.then(ignore, ignore));
	}

	/**
	 * Takes what is pending and projects it. The caller holds the board's lock and calls this
	 * with no await since taking it, so the rows are exactly the document as it is now, and the
	 * log rows cover every API change in it.
	 */
	take(): Taken {
		const { doc, boardId } = this.#options;
		const pending = this.#pending;
		const title = pending.title ? storableTitle(boardMap(doc).get('title')) : null;
		const board = pending.all ? projectBoard(doc) : null;
		const tasks = board
			? null
			: { boardId, tasks: projectTasks(doc, pending.tasks), taskIds: pending.tasks };
		// Held events go with the log rows only when every update they came from is committed or
		// in `pending.writes` (committed by this very transaction); otherwise the store takes them.
		// Captured before the changes are taken: what was captured and not committed stays held.
		const ready = this.#options.eventsReady?.() ?? true;
		const events =
			pending.writes.length > 0 && ready ? (this.#options.events?.capture() ?? null) : null;
		// Taken only once projected and captured: a throw above leaves the changes pending (the
		// log rows of API writes among them), where the caller's retry finds them.
		this.#pending = nothingPending();
		this.#inTransit += pending.writes.length;
		return { pending, events, title, board, tasks };
	}

	/** Writes what `take` took, except the touched cards (see `Taken.tasks`). */
	async write(tx: Tx, taken: Taken): Promise<void> {
		const { boardId } = this.#options;
		if (taken.pending.writes.length > 0) await appendUpdates(tx, taken.pending.writes);
		await taken.events?.write(tx);
		if (taken.board) await syncBoardRows(tx, boardId, taken.board);
		if (taken.title !== null) await copyTitle(tx, boardId, taken.title);
	}

	/** After the transaction holding `taken` committed. */
	committed(taken: Taken): void {
		const { writes } = taken.pending;
		this.#inTransit -= writes.length;
		if (writes.length > 0) this.#options.onLogged(writes.map((w) => w.id));
		taken.events?.committed();
	}

	/** After the transaction holding `taken` failed: back in the queue for the next write. */
	restore(taken: Taken): void {
		const lost = taken.pending;
		this.#inTransit -= lost.writes.length;
		this.#pending.writes.unshift(...lost.writes);
		for (const id of lost.tasks) this.#pending.tasks.add(id);
		this.#pending.all ||= lost.all;
		this.#pending.title ||= lost.title;
		this.#mark();
	}

	#mark(): void {
		if (!this.#disposed) this.#options.batcher.mark(this);
	}

	#run(write: Promise<void>): Promise<void> {
		const run = write.finally(() => {
			if (this.#running === run) this.#running = null;
		});
		this.#running = run;
		return run;
	}

	async #writeAlone(): Promise<void> {
		if (!this.dirty) return;
		const { sql, boardId } = this.#options;
		let taken = null as Taken | null;
		try {
			await sql.begin(async (tx) => {
				await lockBoard(tx, boardId);
				taken = this.take();
				await this.write(tx, taken);
				if (taken.tasks) await upsertTouchedTasks(tx, [taken.tasks]);
			});
		} catch (error) {
			if (taken) this.restore(taken);
			// Failed before taking anything: the changes are still pending, and must be retried.
			else if (this.dirty) this.#mark();
			throw error;
		}
		this.committed(taken!);
	}
}
