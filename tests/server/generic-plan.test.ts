/**
 * `withGenericPlan` on a real PostgreSQL: the statement runs with generic plans forced in a
 * transaction of its own, the setting ends with it, a failed or unbuildable statement leaves the
 * connection outside any transaction (a later write commits on its own), a connection lost
 * mid-statement neither hangs the caller nor breaks the pool, and a pool drained of these runs
 * ends.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Sql } from '../../src/lib/server/db/client.ts';
import { createSql } from '../../src/lib/server/db/client.ts';
import { drainGenericPlans, withGenericPlan } from '../../src/lib/server/db/generic-plan.ts';
import { createTestDatabase, type TestDatabase } from './support/database.ts';

let db: TestDatabase;
/** One connection, so every statement here shares the session a leak would show in. */
let single: Sql;
/** Another session, to see what `single` has committed and to end its sessions. */
let other: Sql;

beforeAll(async () => {
	db = await createTestDatabase();
	single = createSql({ url: db.url, max: 1 });
	other = createSql({ url: db.url, max: 1 });
	await other`create table probe (n int)`;
});

afterAll(async () => {
	await single?.end();
	await other?.end();
	await db?.drop();
});

const mode = async (sql: Sql) =>
	(await sql<{ mode: string }[]>`select current_setting('plan_cache_mode') as mode`)[0]!.mode;

/** Whether a write on `sql` commits on its own: it would not inside a transaction left open. */
async function writesCommit(sql: Sql, n: number): Promise<boolean> {
	await sql`insert into probe values (${n})`;
	const [row] = await other<{ seen: boolean }[]>`
		select exists (select from probe where n = ${n}) as seen`;
	return row!.seen;
}

/** Ends the session running `select pg_sleep(…)` on this database, once it is running. */
async function endSleepingSession(): Promise<void> {
	for (;;) {
		const [ended] = await other<{ ended: boolean }[]>`
			select pg_terminate_backend(pid) as ended from pg_stat_activity
			where datname = current_database() and query like 'select pg_sleep%'
				and state = 'active' and pid <> pg_backend_pid()`;
		if (ended?.ended) return;
		await new Promise((resolve) => setTimeout(resolve, 10));
	}
}

describe('withGenericPlan', () => {
	it('runs the statement with generic plans forced, in a transaction of its own', async () => {
		// `set local` has no effect outside a transaction block, so this also shows the block.
		const [during] = await withGenericPlan(
			single,
			(sql) => sql<{ mode: string }[]>`select current_setting('plan_cache_mode') as mode`
		);
		expect(during!.mode).toBe('force_generic_plan');
		expect(await mode(single)).toBe('auto');
		expect(await writesCommit(single, 1)).toBe(true);
	});

	it('rejects with the statement’s error and leaves no transaction open', async () => {
		await expect(withGenericPlan(single, (sql) => sql`select 1 / 0 as x`)).rejects.toThrow(
			/division by zero/
		);
		expect(await mode(single)).toBe('auto');
		expect(await writesCommit(single, 2)).toBe(true);
	});

	it('sends nothing when the statement cannot be built', async () => {
		const broken = new Error('not a statement');
		await expect(
			withGenericPlan(single, () => {
				throw broken;
			})
		).rejects.toBe(broken);
		expect(await mode(single)).toBe('auto');
		expect(await writesCommit(single, 3)).toBe(true);
	});

	it('gives each of many statements at once its own transaction on a small pool', async () => {
		const pool = createSql({ url: db.url, max: 2 });
		try {
			const runs = await Promise.all(
				Array.from({ length: 20 }, () =>
					withGenericPlan(
						pool,
						(sql) => sql<{ mode: string; xid: string }[]>`
							select current_setting('plan_cache_mode') as mode, txid_current()::text as xid`
					)
				)
			);
			expect(new Set(runs.map((rows) => rows[0]!.mode))).toEqual(new Set(['force_generic_plan']));
			expect(new Set(runs.map((rows) => rows[0]!.xid)).size).toBe(20);
			expect(await Promise.all([mode(pool), mode(pool)])).toEqual(['auto', 'auto']);
		} finally {
			await pool.end();
		}
	});

	it('runs a statement inside a caller’s transaction as it is', async () => {
		const [inside] = await single.begin((tx) =>
			withGenericPlan(
				tx,
				(sql) => sql<{ mode: string }[]>`select current_setting('plan_cache_mode') as mode`
			)
		);
		expect(inside!.mode).toBe('auto');
	});

	it('rejects when the connection is lost mid-statement, and the pool carries on', async () => {
		const pool = createSql({ url: db.url, max: 1 });
		try {
			// The statement's first run on the connection (sent to be described first, with the
			// commit queued behind it), then a second run once it is prepared.
			for (const run of ['first', 'prepared']) {
				const lost = withGenericPlan(pool, (sql) => sql`select pg_sleep(${30}::float8) as slept`);
				const rejected = expect(lost, run).rejects.toThrow();
				await endSleepingSession();
				await rejected;
				// The pool reconnects; releasing the lost connection would have crashed this query.
				// postgres.js hands the server's goodbye, which arrived after the statement had been
				// failed, to the connection's next statement, as it does after a plain statement.
				await pool`select 1`.catch((error: Error) => {
					expect(error.message, run).toMatch(/terminating connection/);
				});
				expect(await mode(pool), run).toBe('auto');
				expect(await writesCommit(pool, run === 'first' ? 4 : 5), run).toBe(true);
			}
			await drainGenericPlans(pool);
		} finally {
			await pool.end({ timeout: 2 });
		}
	}, 20_000);

	it('lets a pool end once drained, and sends later statements plainly', async () => {
		// postgres.js's `end` waits for good on a connection reserved when it is called, even after
		// its release: without the drain below, this test times out.
		const pool = createSql({ url: db.url, max: 3 });
		const runs = Array.from({ length: 6 }, () =>
			withGenericPlan(
				pool,
				(sql) => sql<{ done: boolean }[]>`select true as done from pg_sleep(0.05)`
			)
		);
		// Every run has asked for its connection.
		await new Promise((resolve) => setImmediate(resolve));
		await drainGenericPlans(pool);
		await pool.end();
		const results = await Promise.all(runs);
		expect(results.map((rows) => rows[0]!.done)).toEqual(Array(6).fill(true));
		// A reservation on an ended pool would wait for good; a plain statement is refused.
		await expect(withGenericPlan(pool, (sql) => sql`select 1 as one`)).rejects.toThrow(
			/CONNECTION_ENDED/
		);
	}, 10_000);
});
