/**
 * Cluster-wide leadership for work that must run on one instance at a time (the outbox relay,
 * the due-date scan): a PostgreSQL session advisory lock. If the holder dies its session ends
 * and the lock with it, so another instance takes over at its next attempt.
 *
 * The locks live on a client of their own with one connection (`leaderClient`), not on a
 * connection reserved from the main pool: postgres.js crashes the process when a reserved
 * connection's backend dies and a query is written to it (porsager/postgres#1208), while a pool
 * reconnects. A reconnect is a new session without the lock, so a held lock is confirmed in
 * pg_locks for the current session, never by the connection merely answering.
 */
import { createSql, type Sql } from '#lib/server/db/client.ts';

/**
 * The client every LeaderLock of an instance uses: one connection, never closed for idling or
 * age (postgres.js would otherwise recycle it every 30–60 minutes, dropping the locks).
 */
export function leaderClient(url: string): Sql {
	return createSql({
		url,
		max: 1,
		applicationName: 'taskflow-leader',
		idleTimeout: null,
		maxLifetime: null
	});
}

export class LeaderLock {
	readonly #sql: Sql;
	readonly #key: string;
	#held = false;

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
		if (this.#held) {
			try {
				if (await this.#stillHeld()) return true;
			} catch {
				// The session is gone, and the lock with it.
			}
			this.#held = false;
		}
		const [row] = await this.#sql<{ locked: boolean }[]>`
			select pg_try_advisory_lock(hashtext(${this.#key})) as locked`;
		this.#held = row?.locked === true;
		return this.#held;
	}

	/**
	 * Whether this very session holds the lock (a reconnect is a new session, possibly with a
	 * reused pid). A bigint advisory key shows in pg_locks as its high and low 32 bits.
	 */
	async #stillHeld(): Promise<boolean> {
		const [row] = await this.#sql<{ held: boolean }[]>`
			select exists (
				select 1 from pg_locks
				where locktype = 'advisory' and pid = pg_backend_pid() and granted and objsubid = 1
					and classid = ((hashtext(${this.#key})::bigint >> 32) & 4294967295)::oid
					and objid = (hashtext(${this.#key})::bigint & 4294967295)::oid
			) as held`;
		return row?.held === true;
	}

	async release(): Promise<void> {
		if (!this.#held) return;
		this.#held = false;
		await this.#sql`select pg_advisory_unlock(hashtext(${this.#key}))`.catch(() => {});
	}
}
