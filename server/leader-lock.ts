/**
 * Cluster-wide leadership for work that must run on one instance at a time (the outbox relay,
 * the due-date scan): a PostgreSQL session advisory lock held on a reserved connection. If the
 * holder dies its session ends and the lock with it, so another instance takes over at its next
 * attempt.
 */
import type { Sql } from '#lib/server/db/client.ts';

/** How long a confirmed lock is trusted before the connection holding it is checked again. */
const recheckMs = 1000;

export class LeaderLock {
	readonly #sql: Sql;
	readonly #key: string;
	#held: Awaited<ReturnType<Sql['reserve']>> | null = null;
	#checkedAt = 0;

	constructor(sql: Sql, key: string) {
		this.#sql = sql;
		this.#key = key;
	}

	/** Holds (or takes) the lock; false while another instance holds it. */
	async acquire(): Promise<boolean> {
		if (this.#held) {
			if (Date.now() - this.#checkedAt < recheckMs) return true;
			try {
				// The lock lives as long as this session; a dead session means it is gone.
				await this.#held`select 1`;
				this.#checkedAt = Date.now();
				return true;
			} catch {
				this.#held.release();
				this.#held = null;
			}
		}
		const reserved = await this.#sql.reserve();
		try {
			const [row] = await reserved<{ locked: boolean }[]>`
				select pg_try_advisory_lock(hashtext(${this.#key})) as locked`;
			if (row?.locked) {
				this.#held = reserved;
				this.#checkedAt = Date.now();
				return true;
			}
		} catch (error) {
			reserved.release();
			throw error;
		}
		reserved.release();
		return false;
	}

	async release(): Promise<void> {
		if (!this.#held) return;
		await this.#held`select pg_advisory_unlock(hashtext(${this.#key}))`.catch(() => {});
		this.#held.release();
		this.#held = null;
	}
}
