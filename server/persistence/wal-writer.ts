/**
 * Group commit for the write-ahead log: a statement starts at most once per window, and the
 * appends that arrive meanwhile (or while a statement runs) go together in the next one, so
 * there is not one commit per keystroke. A quiet log commits an append at once (after the
 * appends of the same event-loop turn joined it); only a busy one waits for the window.
 *
 * A failed batch is tried again a few times within about a second before its appends fail: a
 * database blip (a terminated backend, a failover) costs the pool one reconnect, and the
 * clients waiting for an acknowledgement should get it rather than a closed connection.
 */
import { appendUpdates, type WalEntry } from '#lib/server/board-documents.ts';
import type { Sql } from '#lib/server/db/client.ts';

interface Pending extends WalEntry {
	resolve(): void;
	reject(error: unknown): void;
}

export interface WalStats {
	batches: number;
	entries: number;
	largestBatch: number;
	/** Batches written again after a failure. */
	retries: number;
}

/** Told of each committed batch: seconds it took (retries included) and its size. */
export type WalCommitObserver = (seconds: number, size: number) => void;

export class WalWriter {
	readonly stats: WalStats = { batches: 0, entries: 0, largestBatch: 0, retries: 0 };
	readonly #sql: Sql;
	readonly #maxBatch: number;
	#queue: Pending[] = [];
	#flushing: Promise<void> | null = null;
	/** When the last statement started (performance.now()). */
	#lastStart = -Infinity;

	readonly #retryDelaysMs: readonly number[];
	readonly #windowMs: number;
	readonly #onCommit: WalCommitObserver | undefined;

	constructor(
		sql: Sql,
		options: {
			maxBatch?: number;
			retryDelaysMs?: readonly number[];
			windowMs?: number;
			onCommit?: WalCommitObserver;
		} = {}
	) {
		this.#sql = sql;
		this.#maxBatch = options.maxBatch ?? 500;
		this.#retryDelaysMs = options.retryDelaysMs ?? [20, 100, 300, 600];
		this.#windowMs = options.windowMs ?? 40;
		this.#onCommit = options.onCommit;
	}

	/** Resolves once the row is committed. */
	append(entry: WalEntry): Promise<void> {
		return new Promise<void>((resolve, reject) => {
			this.#queue.push({ ...entry, resolve, reject });
			this.#flushing ??= this.#drain();
		});
	}

	/** Resolves once everything queued so far is committed (or failed). */
	async idle(): Promise<void> {
		while (this.#flushing) await this.#flushing;
	}

	async #drain(): Promise<void> {
		// The window paces statements rather than delaying the first: each costs PostgreSQL about
		// 0.13 ms of CPU whatever it holds (and a commit, an fsync) plus ~15 µs a row (tenth
		// pass; 0.2 ms and ~25 µs by an earlier, unprepared probe), so at a thousand edits a
		// second back-to-back statements of ~4 rows each were a quarter of its CPU. It delays
		// acknowledgements only: an update is applied and broadcast before it is logged.
		while (this.#queue.length > 0) {
			// A full batch waits for nothing.
			const wait =
				this.#queue.length >= this.#maxBatch
					? 0
					: this.#lastStart + this.#windowMs - performance.now();
			await new Promise((resolve) =>
				wait > 0 ? setTimeout(resolve, wait) : setImmediate(resolve)
			);
			const batch = this.#queue.splice(0, this.#maxBatch);
			const started = performance.now();
			this.#lastStart = started;
			try {
				await this.#append(batch);
				this.#onCommit?.((performance.now() - started) / 1000, batch.length);
				for (const p of batch) p.resolve();
				this.stats.batches += 1;
				this.stats.entries += batch.length;
				this.stats.largestBatch = Math.max(this.stats.largestBatch, batch.length);
			} catch (error) {
				for (const p of batch) p.reject(error);
			}
		}
		this.#flushing = null;
	}

	async #append(batch: Pending[]): Promise<void> {
		for (let attempt = 0; ; attempt++) {
			try {
				return await appendUpdates(this.#sql, batch);
			} catch (error) {
				const delay = this.#retryDelaysMs[attempt];
				if (delay === undefined) throw error;
				this.stats.retries += 1;
				await new Promise((resolve) => setTimeout(resolve, delay));
			}
		}
	}
}
