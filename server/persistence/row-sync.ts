/**
 * Keeps a loaded board's `tasks`/`board_columns` rows close behind its document between full
 * stores, and commits the log rows of API writes in the same transaction as the rows they change.
 * A full store costs a snapshot and a comparison of every row; this writes only the cards that
 * transactions touched (all rows after a column change), so the REST reads that follow an edit
 * see it without waiting for the debounced store.
 *
 * Ordering: every sync takes the `board_documents` row lock that full stores take, and projects
 * the document only once it holds it. Row writes of one board (syncs, full stores, on any
 * instance) therefore happen one at a time, each from a document at least as new as the rows it
 * replaces on the same instance.
 */
import type * as Y from 'yjs';
import { projectBoard, projectTasks } from '#lib/domain/board/projection.ts';
import { appendReservedUpdates, type ReservedWalEntry } from '#lib/server/board-documents.ts';
import { syncBoardRows, syncTaskRows } from '#lib/server/board-rows.ts';
import { copyTitle, storableTitle } from '#lib/server/board-title.ts';
import { boardMap } from '#lib/domain/board/schema.ts';
import type { Sql } from '#lib/server/db/client.ts';
import { touchedBy } from '../events/board-shadow.ts';
import type { SnapshotCompanion } from './board-store.ts';

export interface RowSyncOptions {
	sql: Sql;
	boardId: string;
	doc: Y.Doc;
	/** After a change, rows are synced within this long even if nobody asks (ms). */
	delayMs: number;
	/** Log rows committed by a sync; their updates are in the document. */
	onLogged(ids: number[]): void;
	/** A sync nobody awaited failed; it is retried after `delayMs`. */
	onError(error: unknown): void;
	/** A sync nobody awaited succeeded. */
	onSuccess(): void;
	/**
	 * The board's held events. A sync that commits API log rows commits them too, so an API
	 * write's events are as durable as the write when it is acknowledged, and reach the event
	 * log in the order of the requests.
	 */
	events?: SnapshotCompanion;
}

interface Pending {
	writes: ReservedWalEntry[];
	tasks: Set<string>;
	all: boolean;
	/** The board map changed: `boards.title` follows the document's title. */
	title: boolean;
}

const nothingPending = (): Pending => ({ writes: [], tasks: new Set(), all: false, title: false });

/** What one sync took: the changes it writes and the events it commits with them. */
interface Taken {
	pending: Pending;
	events: ReturnType<SnapshotCompanion['capture']>;
}

const ignore = () => {};

/** Transactions of the persistence layer itself: loading, or a store folding stored state in. */
function fromPersistence(origin: unknown): boolean {
	return (origin as { context?: { persistence?: unknown } } | null)?.context?.persistence === true;
}

export class BoardRowSync {
	readonly #options: RowSyncOptions;
	#pending: Pending = nothingPending();
	#running: Promise<void> | null = null;
	#again: Promise<void> | null = null;
	#timer: ReturnType<typeof setTimeout> | null = null;
	#disposed = false;
	readonly #listener = (transaction: Y.Transaction) => {
		if (fromPersistence(transaction.origin)) return;
		const touched = touchedBy(this.#options.doc, transaction);
		// A column's category is its cards' status, and its deletion deletes them.
		if (touched.columns.size > 0) this.#pending.all = true;
		for (const id of touched.tasks) this.#pending.tasks.add(id);
		if (touched.board) this.#pending.title = true;
		if (touched.columns.size > 0 || touched.tasks.size > 0 || touched.board) this.#arm();
	};

	constructor(options: RowSyncOptions) {
		this.#options = options;
		options.doc.on('afterTransaction', this.#listener);
	}

	/** Rows may lag the whole document (it replayed log rows on load): compare them all. */
	markAll(): void {
		this.#pending.all = true;
		this.#pending.title = true;
		this.#arm();
	}

	/** Queues an applied API change's log row; the next sync commits it. */
	log(entry: ReservedWalEntry): void {
		this.#pending.writes.push(entry);
	}

	/** Log rows queued and not yet committed. */
	get unlogged(): number {
		return this.#pending.writes.length;
	}

	get #dirty(): boolean {
		const p = this.#pending;
		return p.writes.length > 0 || p.all || p.tasks.size > 0 || p.title;
	}

	/**
	 * Resolves once a sync that started after this call has committed: the rows then hold every
	 * change applied before the call, and every queued log row is committed.
	 */
	sync(): Promise<void> {
		if (this.#running) {
			this.#again ??= this.#running.then(ignore, ignore).then(() => {
				this.#again = null;
				// A sync started since then began after our caller too.
				return this.#running ?? this.#start();
			});
			return this.#again;
		}
		if (!this.#dirty) return Promise.resolve();
		return this.#start();
	}

	dispose(): void {
		this.#disposed = true;
		if (this.#timer) clearTimeout(this.#timer);
		this.#timer = null;
		this.#options.doc.off('afterTransaction', this.#listener);
	}

	#start(): Promise<void> {
		const run = this.#write().finally(() => {
			this.#running = null;
		});
		this.#running = run;
		return run;
	}

	#arm(): void {
		if (this.#timer || this.#disposed) return;
		this.#timer = setTimeout(() => {
			this.#timer = null;
			this.sync().then(
				() => this.#options.onSuccess(),
				(error: unknown) => {
					this.#options.onError(error);
					this.#arm();
				}
			);
		}, this.#options.delayMs);
		this.#timer.unref();
	}

	async #write(): Promise<void> {
		if (!this.#dirty) return;
		const { sql, boardId, doc } = this.#options;
		let taken: Taken | null = null;
		try {
			taken = await sql.begin(async (tx) => {
				await tx`select 1 from board_documents where board_id = ${boardId} for update`;
				// From the lock to the projection without an await: the rows written below are
				// exactly the document as it is now, and the log rows cover every API change in it.
				const pending = this.#pending;
				this.#pending = nothingPending();
				const title = pending.title ? storableTitle(boardMap(doc).get('title')) : null;
				const board = pending.all ? projectBoard(doc) : null;
				const tasks = board ? [] : projectTasks(doc, pending.tasks);
				// Every held event's update is in the log by now or in `pending.writes` (browser
				// updates are logged before they are applied).
				const events = pending.writes.length > 0 ? (this.#options.events?.capture() ?? null) : null;
				taken = { pending, events };
				if (pending.writes.length > 0) await appendReservedUpdates(tx, pending.writes);
				await events?.write(tx);
				if (board) await syncBoardRows(tx, boardId, board);
				else await syncTaskRows(tx, { boardId, tasks, taskIds: pending.tasks });
				if (title !== null) await copyTitle(tx, boardId, title);
				return taken;
			});
		} catch (error) {
			const lost = (taken as Taken | null)?.pending;
			if (lost) {
				// Back in the queue, so the next sync (a retry) writes them.
				this.#pending.writes.unshift(...lost.writes);
				for (const id of lost.tasks) this.#pending.tasks.add(id);
				this.#pending.all ||= lost.all;
				this.#pending.title ||= lost.title;
				this.#arm();
			}
			throw error;
		}
		const { writes } = taken.pending;
		if (writes.length > 0) this.#options.onLogged(writes.map((w) => w.id));
		taken.events?.committed();
	}
}
