/**
 * Log row ids for API writes, reserved in blocks: each write needs its id before its change
 * runs (see `reserveUpdateIds`), and asking the database for one per request was a round trip
 * of its own on every write. Ids left over when the process stops are never used: the log
 * only needs them unique.
 */
import { reserveUpdateIds } from '#lib/server/board-documents.ts';
import type { Sql } from '#lib/server/db/client.ts';

export class UpdateIdPool {
	readonly #sql: Sql;
	readonly #blockSize: number;
	#free: number[] = [];
	#refill: Promise<void> | null = null;

	constructor(sql: Sql, blockSize = 64) {
		this.#sql = sql;
		this.#blockSize = blockSize;
	}

	async take(): Promise<number> {
		for (;;) {
			const id = this.#free.shift();
			if (id !== undefined) return id;
			this.#refill ??= reserveUpdateIds(this.#sql, this.#blockSize)
				.then((ids) => void this.#free.push(...ids))
				.finally(() => {
					this.#refill = null;
				});
			await this.#refill;
		}
	}
}
