/**
 * Group commit for the write-ahead log: appends that arrive while a batch is being written
 * wait and go together in the next statement, so throughput is not capped at one commit per
 * keystroke and a lone append pays no added delay.
 *
 * A failed batch is tried again a few times within about a second before its appends fail: a
 * database blip (a terminated backend, a failover) costs the pool one reconnect, and the
 * clients waiting for an acknowledgement should get it rather than a closed connection.
 */
import { appendUpdates, type WalEntry } from '#lib/server/board-documents.ts';
import type { Sql } from '#lib/server/db/client.ts';

interface Pending extends WalEntry {
	resolve(id: number): void;
	reject(error: unknown): void;
}

export interface WalStats {
	batches: number;
	entries: number;
	largestBatch: number;
	/** Batches written again after a failure. */
	retries: number;
}

export class WalWriter {
	readonly stats: WalStats = { batches: 0, entries: 0, largestBatch: 0, retries: 0 };
	readonly #sql: Sql;
	readonly #maxBatch: number;
	#queue: Pending[] = [];
	#flushing: Promise<void> | null = null;

	readonly #retryDelaysMs: readonly number[];

	constructor(sql: Sql, options: { maxBatch?: number; retryDelaysMs?: readonly number[] } = {}) {
		this.#sql = sql;
		this.#maxBatch = options.maxBatch ?? 500;
		this.#retryDelaysMs = options.retryDelaysMs ?? [20, 100, 300, 600];
	}

	/** Resolves with the log row id once the row is committed. */
	append(entry: WalEntry): Promise<number> {
		return new Promise<number>((resolve, reject) => {
			this.#queue.push({ ...entry, resolve, reject });
			this.#flushing ??= this.#drain();
		});
	}

	/** Resolves once everything queued so far is committed (or failed). */
	async idle(): Promise<void> {
		while (this.#flushing) await this.#flushing;
	}

	async #drain(): Promise<void> {
		// Yield once so appends made in the same tick join the first batch.
		await Promise.resolve();
		while (this.#queue.length > 0) {
			const batch = this.#queue.splice(0, this.#maxBatch);
			try {
				const ids = await this.#append(batch);
				batch.forEach((p, i) => p.resolve(ids[i]!));
				this.stats.batches += 1;
				this.stats.entries += batch.length;
				this.stats.largestBatch = Math.max(this.stats.largestBatch, batch.length);
			} catch (error) {
				for (const p of batch) p.reject(error);
			}
		}
		this.#flushing = null;
	}

	async #append(batch: Pending[]): Promise<number[]> {
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
