import postgres from 'postgres';

export type Sql = postgres.Sql<Record<string, never>>;
/** The client inside `sql.begin(...)`; functions that must run in a transaction take this. */
export type Tx = postgres.TransactionSql<Record<string, never>>;

/** Either; functions that write several rows take this and make their own transaction. */
export type Queryable = Sql | Tx;

/** PostgreSQL's type oid of `text`. */
const textOid = 25;

/**
 * A value as JSON text, for a statement that casts it (`${jsonParameter(q, rows)}::json`, read
 * back with `json_to_recordset`). Not `sql.json`, which declares `jsonb`: PostgreSQL would
 * parse a whole batch into jsonb, whose containers stop at 256 MB. Not a `json`-typed
 * parameter either: postgres.js keeps a parameter's serialized form and serializes it again
 * when it retries a statement (after "prepared statement does not exist"), which would turn
 * the JSON into one JSON string; text goes through unchanged.
 */
export function jsonParameter(q: Queryable, value: unknown): postgres.Parameter<string> {
	return q.typed(JSON.stringify(value), textOid);
}

/**
 * Runs `fn` in a transaction: a new one on a pool, a savepoint inside the caller's, so a
 * function can be atomic on its own and also part of a larger change (with its audit events).
 */
export function transaction<T>(q: Queryable, fn: (tx: Tx) => Promise<T>): Promise<T> {
	return ('savepoint' in q ? q.savepoint(fn) : q.begin(fn)) as Promise<T>;
}

export interface ClientOptions {
	url: string;
	/** Pool size; the embedded socket server takes one connection only. */
	max?: number;
	applicationName?: string;
	/** Seconds before an idle connection closes (default 30); null keeps it open. */
	idleTimeout?: number | null;
	/** Seconds a connection lives at most (postgres.js default: 30–60 min); null for ever. */
	maxLifetime?: number | null;
}

/** The one place a `postgres` client is built, so every pool has the same settings. */
export function createSql({
	url,
	max = 10,
	applicationName = 'taskflow',
	idleTimeout = 30,
	maxLifetime
}: ClientOptions): Sql {
	return postgres(url, {
		max,
		idle_timeout: idleTimeout ?? undefined,
		...(maxLifetime === undefined ? {} : { max_lifetime: maxLifetime }),
		connect_timeout: 10,
		onnotice: () => {},
		connection: { application_name: applicationName },
		// bigint counters (sequence numbers) fit in a JS number for our lifetimes. Read only: a
		// custom serializer would cost every statement a describe before its first run on each
		// connection (postgres.js 4 sends plain values without one), and numbers need none.
		types: {
			bigint: {
				from: [20],
				parse: (x: string) => Number(x)
			}
		}
	}) as unknown as Sql;
}
