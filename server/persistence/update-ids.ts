/**
 * Log row ids, reserved in blocks: every change needs its id before it is applied (see
 * `reserveUpdateIds`), and asking the database for one per change would be a round trip of its
 * own on every edit. The next block is fetched while a quarter of the current one is left, so a
 * busy instance does not wait for it. Ids left over when the process stops are never used: the
 * log only needs them unique.
 */
import { reserveUpdateIds } from '#lib/server/board-documents.ts';
import type { Sql } from '#lib/server/db/client.ts';

export class UpdateIdPool {
	readonly #sql: Sql;
	readonly #blockSize: number;
	#free: number[] = [];
	#refill: Promise<void> | null = null;

	constructor(sql: Sql, blockSize = 256) {
		this.#sql = sql;
		this.#blockSize = blockSize;
	}

	async take(): Promise<number> {
		for (;;) {
			if (this.#free.length <= this.#blockSize / 4) this.#startRefill();
			const id = this.#free.shift();
			if (id !== undefined) return id;
			await this.#refill;
		}
	}

	#startRefill(): void {
		this.#refill ??= reserveUpdateIds(this.#sql, this.#blockSize)
			.then((ids) => void this.#free.push(...ids))
			.finally(() => {
				this.#refill = null;
			});
		// A prefetch nobody awaits yet must not be an unhandled rejection; `take` retries.
		this.#refill.catch(() => {});
	}
}
