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
 * leave in one write on a reserved connection, so once the statement is prepared on that
 * connection this costs no extra round trip (its first run there takes one more, for the
 * commit), the setting cannot outlive the transaction on a pooled connection, and a
 * transaction-mode pooler keeps them on one server connection (one that keeps prepared
 * statements, as postgres.js needs anyway). A session's prepared statement keeps the generic
 * plan it was given between such transactions.
 *
 * postgres.js 3.4's reserved connections need care, each covered by tests/server/generic-plan:
 * - a reserved connection that closed must not be released: the pool has already taken it
 *   back, and releasing it would hand the next query a connection without a socket (an
 *   uncaught TypeError);
 * - when a statement's first run on a connection is lost with it, the commit queued behind it
 *   is never sent nor rejected, so it is not awaited then;
 * - `end()` waits for good on a connection reserved when it is called, even after the
 *   release, so a pool's owner drains these runs first (`drainGenericPlans`, server/runtime.ts)
 *   and ends it with a timeout besides.
 */
import postgres from 'postgres';
import type { Queryable, Sql } from './client.ts';

type Row = Record<string, unknown>;

interface PoolRuns {
	running: Set<Promise<unknown>>;
	/** Set by `drainGenericPlans`: later runs go to the pool as plain statements. */
	draining: boolean;
}

const runs = new WeakMap<Sql, PoolRuns>();

/**
 * Resolves once no run is in flight on `sql`; later runs are sent as plain statements, which
 * an ended pool refuses at once (a reservation would wait for good).
 */
export async function drainGenericPlans(sql: Sql): Promise<void> {
	const pool = runsOf(sql);
	pool.draining = true;
	while (pool.running.size > 0) await Promise.allSettled([...pool.running]);
}

/**
 * Runs the SELECT `build` returns with the generic plan. `build` must only create the statement
 * (not await it). Inside a caller's transaction (`q` is a `Tx`) the statement runs as
 * it is: a `set local` there would last until the caller's transaction ends.
 */
export async function withGenericPlan<T extends readonly Row[]>(
	q: Queryable,
	build: (sql: Sql) => postgres.PendingQuery<T>
): Promise<postgres.RowList<T>> {
	if (!('reserve' in q)) return build(q as unknown as Sql);
	const pool = runsOf(q);
	if (pool.draining) return build(q);
	const run = pipelined(q, build);
	pool.running.add(run);
	try {
		return await run;
	} finally {
		pool.running.delete(run);
	}
}

function runsOf(sql: Sql): PoolRuns {
	let pool = runs.get(sql);
	if (!pool) runs.set(sql, (pool = { running: new Set(), draining: false }));
	return pool;
}

async function pipelined<T extends readonly Row[]>(
	q: Sql,
	build: (sql: Sql) => postgres.PendingQuery<T>
): Promise<postgres.RowList<T>> {
	const reserved = await q.reserve();
	let lost = false;
	try {
		const sql = reserved as unknown as Sql;
		// Built before anything is sent, so a statement that cannot be built leaves nothing behind.
		const page = build(sql);
		// postgres.js sends a query when it is first awaited or executed; `execute()` sends these
		// in this order at once. An awaited query would be sent a microtask later, after `commit`.
		const begin = sql`begin`.execute();
		const set = sql`set local plan_cache_mode = force_generic_plan`.execute();
		const statement = page.execute();
		const commit = sql`commit`.execute();
		const settled = await Promise.allSettled([begin, set, statement]);
		lost = settled.some((one) => one.status === 'rejected' && connectionLost(one.reason));
		if (lost) {
			commit.catch(() => {});
		} else {
			// After a failed statement `commit` rolls back; it is awaited either way, so the
			// connection goes back to the pool outside any transaction.
			const [committed] = await Promise.allSettled([commit]);
			lost = committed.status === 'rejected' && connectionLost(committed.reason);
			if (committed.status === 'rejected' && !lost) throw committed.reason;
		}
		for (const one of settled) if (one.status === 'rejected') throw one.reason;
		const result = (settled[2] as PromiseFulfilledResult<postgres.RowList<T>>).value;
		// A statement postgres.js re-sent after the server forgot it comes back behind `commit`,
		// and the replies no longer match the queries (prepared statements must not vanish).
		if (result.command !== 'SELECT') throw new Error(`expected SELECT, got ${result.command}`);
		return result;
	} finally {
		if (!lost) reserved.release();
	}
}

/** The connection is gone (a socket error, or the server ended the session): not a SQL error. */
function connectionLost(error: unknown): boolean {
	if (error instanceof postgres.PostgresError) {
		return error.severity === 'FATAL' || error.severity === 'PANIC';
	}
	return typeof error === 'object' && error !== null && 'errno' in error;
}
