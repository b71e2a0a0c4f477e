/**
 * `withGenericPlan` on a real PostgreSQL: the statement runs with generic plans forced, the
 * setting ends with it, a failed statement leaves the connection outside any transaction (a
 * later write commits on its own), and many at once on a small pool each get their own
 * transaction.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Sql } from '../../src/lib/server/db/client.ts';
import { createSql } from '../../src/lib/server/db/client.ts';
import { genericPlansSettled, withGenericPlan } from '../../src/lib/server/db/generic-plan.ts';
import { createTestDatabase, type TestDatabase } from './support/database.ts';

let db: TestDatabase;
/** One connection, so every statement here shares the session a leak would show in. */
let single: Sql;
/** Another session, to see what `single` has committed. */
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

/** Whether a write on `single` commits on its own: it would not inside a transaction left open. */
async function writesCommit(n: number): Promise<boolean> {
	await single`insert into probe values (${n})`;
	const [row] = await other<{ seen: boolean }[]>`
		select exists (select from probe where n = ${n}) as seen`;
	return row!.seen;
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
		expect(await writesCommit(1)).toBe(true);
	});

	it('rejects with the statement’s error and rolls its transaction back', async () => {
		await expect(withGenericPlan(single, (sql) => sql`select 1 / 0 as x`)).rejects.toThrow(
			/division by zero/
		);
		expect(await mode(single)).toBe('auto');
		expect(await writesCommit(2)).toBe(true);
	});

	it('gives each of many statements at once its own transaction on a small pool', async () => {
		const pool = createSql({ url: db.url, max: 2 });
		try {
			const runs = await Promise.all(
				Array.from({ length: 20 }, (_, i) =>
					withGenericPlan(
						pool,
						(sql) => sql<{ mode: string; n: number }[]>`
							select current_setting('plan_cache_mode') as mode, ${i}::int as n`
					)
				)
			);
			expect(runs.map((rows) => rows[0])).toEqual(
				Array.from({ length: 20 }, (_, n) => ({ mode: 'force_generic_plan', n }))
			);
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

	it('lets a pool end once its runs in flight have settled', async () => {
		// postgres.js's `end` waits for good on a connection reserved when it is called, even after
		// its release: without the wait below, this test times out.
		const pool = createSql({ url: db.url, max: 3 });
		const runs = Array.from({ length: 6 }, () =>
			withGenericPlan(
				pool,
				(sql) => sql<{ done: boolean }[]>`select true as done from pg_sleep(0.05)`
			)
		);
		// Every run has asked for its connection; the first are on their way to PostgreSQL.
		await new Promise((resolve) => setImmediate(resolve));
		await genericPlansSettled(pool);
		await pool.end();
		const results = await Promise.all(runs);
		expect(results.map((rows) => rows[0]!.done)).toEqual(Array(6).fill(true));
	}, 10_000);
});
