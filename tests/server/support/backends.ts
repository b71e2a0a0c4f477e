/** Ends database sessions from outside, as a restart or failover does to an app. */
import type { Sql } from '../../../src/lib/server/db/client.ts';

/**
 * Terminates every backend on `admin`'s database except `admin`'s own and those of
 * `spare` (its application name); returns how many it terminated.
 */
export async function terminateAppBackends(admin: Sql, spare: string): Promise<number> {
	// Chosen first, terminated after: in one WHERE clause PostgreSQL may call
	// pg_terminate_backend before the database filter, killing other test files' sessions.
	const killed = await admin<{ pid: number }[]>`
		with app as materialized (
			select pid from pg_stat_activity
			where datname = current_database() and pid <> pg_backend_pid()
				and application_name <> ${spare})
		select pid from app where pg_terminate_backend(pid)`;
	return killed.length;
}
