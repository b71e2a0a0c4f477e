/**
 * One statement run with its prepared statement's generic plan, whatever the parameters.
 *
 * PostgreSQL plans a prepared statement's first five runs for their values, then keeps one
 * generic plan only if it costs no more than those custom plans did. A board bigger than the
 * workspace's average board is costed with its own statistics far below the generic plan (a
 * page's limit takes a smaller share of a bigger board), so its pages were planned on every
 * request: planning cost about twice what running the page did (docs/performance.md, REST
 * API, "Fourteenth pass"). `plan_cache_mode = force_generic_plan` keeps the one plan.
 *
 * Only statements whose generic plans a test checks may come here (the task pages: see
 * tests/server/task-list-order.test.ts), so the setting is scoped to this statement: `set
 * local` in a transaction of its own. The four statements (begin, set, the statement, commit)
 * leave in one write on a reserved connection, so this costs no extra round trip, the setting
 * cannot outlive the transaction on a pooled connection, and a transaction-mode pooler keeps
 * them on one server connection. A session's prepared statement keeps the generic plan it was
 * given between such transactions.
 *
 * postgres.js cannot end a pool while one of its connections is reserved: `end()` then waits
 * for an event the release never sends. So a pool's owner waits for `genericPlansSettled`
 * before ending it (server/runtime.ts), and ends it with a timeout besides.
 */
import type postgres from 'postgres';
import type { Queryable, Sql } from './client.ts';

type Row = Record<string, unknown>;

/** The runs in flight on each pool, for `genericPlansSettled`. */
const inFlight = new WeakMap<Sql, Set<Promise<unknown>>>();

/** Resolves once no `withGenericPlan` run is in flight on `sql`, so it may be ended. */
export async function genericPlansSettled(sql: Sql): Promise<void> {
	const running = inFlight.get(sql);
	while (running && running.size > 0) await Promise.allSettled([...running]);
}

/**
 * Runs the statement `build` returns on `q` with the generic plan. `build` must only create the
 * statement (not await it): it is sent between the transaction's statements. Inside a caller's
 * transaction (`q` is a `Tx`) the statement runs as it is: a `set local` there would last until
 * the caller's transaction ends.
 */
export async function withGenericPlan<T extends readonly Row[]>(
	q: Queryable,
	build: (sql: Sql) => postgres.PendingQuery<T>
): Promise<postgres.RowList<T>> {
	if (!('reserve' in q)) return build(q as unknown as Sql);
	let running = inFlight.get(q);
	if (!running) inFlight.set(q, (running = new Set()));
	const run = pipelined(q, build);
	running.add(run);
	try {
		return await run;
	} finally {
		running.delete(run);
	}
}

async function pipelined<T extends readonly Row[]>(
	q: Sql,
	build: (sql: Sql) => postgres.PendingQuery<T>
): Promise<postgres.RowList<T>> {
	const reserved = await q.reserve();
	try {
		const sql = reserved as unknown as Sql;
		// postgres.js sends a query when it is first awaited or executed; `execute()` sends these
		// in this order at once. An awaited query would be sent a microtask later, after `commit`.
		const begin = sql`begin`.execute();
		const set = sql`set local plan_cache_mode = force_generic_plan`.execute();
		const statement = build(sql).execute();
		const commit = sql`commit`.execute();
		// After a failed statement `commit` rolls back; it is awaited either way, so the connection
		// goes back to the pool outside any transaction.
		const [, , result] = await Promise.allSettled([begin, set, statement, commit]);
		await Promise.all([begin, set, commit]);
		if (result.status === 'rejected') throw result.reason;
		return result.value;
	} finally {
		reserved.release();
	}
}
