/**
 * Cluster-wide leadership for work that must run on one instance at a time (the outbox relay,
 * the due-date scan): a PostgreSQL session advisory lock. If the holder dies its session ends
 * and the lock with it, so another instance takes over at its next attempt.
 *
 * The locks live on a client of their own with one connection (`leaderClient`), not on a
 * connection reserved from the main pool: postgres.js crashes the process when a reserved
 * connection's backend dies and a query is written to it (porsager/postgres#1208), while a pool
 * reconnects. A reconnect is a new session without the lock, so a held lock is confirmed by the
 * session's backend pid, never by the connection merely answering.
 */
import { createSql, type Sql } from '#lib/server/db/client.ts';

/** The client every LeaderLock of an instance uses (one connection, never closed for idling). */
export function leaderClient(url: string): Sql {
	return createSql({ url, max: 1, applicationName: 'taskflow-leader', idleTimeout: null });
}

export class LeaderLock {
	readonly #sql: Sql;
	readonly #key: string;
	/** The backend that holds the lock; null while not held. */
	#pid: number | null = null;

	constructor(sql: Sql, key: string) {
		this.#sql = sql;
		this.#key = key;
	}

	/**
	 * Holds (or takes) the lock; false while another instance holds it. Checked every time
	 * (one round trip on an idle connection): trusting an earlier answer for a while would let
	 * two instances work at once after the holder's session died.
	 */
	async acquire(): Promise<boolean> {
		if (this.#pid !== null) {
			try {
				const [row] = await this.#sql<{ pid: number }[]>`select pg_backend_pid() as pid`;
				if (row?.pid === this.#pid) return true;
			} catch {
				// The session is gone, and the lock with it.
			}
			this.#pid = null;
		}
		const [row] = await this.#sql<{ locked: boolean; pid: number }[]>`
			select pg_try_advisory_lock(hashtext(${this.#key})) as locked, pg_backend_pid() as pid`;
		if (!row?.locked) return false;
		this.#pid = row.pid;
		return true;
	}

	async release(): Promise<void> {
		if (this.#pid === null) return;
		this.#pid = null;
		await this.#sql`select pg_advisory_unlock(hashtext(${this.#key}))`.catch(() => {});
	}
}
