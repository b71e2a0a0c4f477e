/**
 * The event log in PostgreSQL (the default when MONGODB_URL is unset): `event_logs`, the
 * event's document in jsonb plus the columns queries filter on. By default it lives in the main
 * database (migration 005 creates it); pointed at another database it creates its own table.
 */
import type { Sql } from '../db/client.ts';
import { decodeCursor, encodeCursor } from './ids.ts';
import { storableJson } from './outbox.ts';
import type { AuditEvent, EventLog, EventPage, EventQuery } from './types.ts';

export interface PostgresEventLogOptions {
	sql: Sql;
	/** True when the pool is the adapter's own (a separate database): close ends it. */
	ownsPool: boolean;
	describe: string;
}

/** Undefined table: the target database was recreated empty since `prepare`. */
const undefinedTable = '42P01';

export class PostgresEventLog implements EventLog {
	readonly kind = 'postgres' as const;
	readonly describe: string;
	readonly expiresOnItsOwn = false;
	readonly #sql: Sql;
	readonly #ownsPool: boolean;

	constructor(options: PostgresEventLogOptions) {
		this.#sql = options.sql;
		this.#ownsPool = options.ownsPool;
		this.describe = options.describe;
	}

	async prepare(): Promise<void> {
		// Same definition as migrations/005 and 011 (a no-op there); needed for a separate
		// database, which the migration runner never sees. Migrations are history and cannot be
		// run here, so tests/server/event-log-schema.test.ts keeps the two equal.
		await this.#sql.begin(async (tx) => {
			await tx`select pg_advisory_xact_lock(hashtext('taskflow.event_logs'))`;
			await tx`create table if not exists event_logs (
				id uuid primary key, seq bigserial not null, board_id uuid, entity_id text,
				actor_id uuid, type text not null, created_at timestamptz not null,
				revision integer not null default 1, document jsonb not null)`;
			for (const column of ['board_id', 'entity_id', 'actor_id', 'type']) {
				await tx.unsafe(`create index if not exists event_logs_${column.replace('_id', '')}_idx
					on event_logs (${column}, created_at desc, seq desc)`);
			}
			// As migrations/011: retention deletes by age.
			await tx`create index if not exists event_logs_created_idx
				on event_logs (created_at desc, seq desc)`;
		});
	}

	async append(events: readonly AuditEvent[]): Promise<void> {
		if (events.length === 0) return;
		try {
			await this.#insert(events);
		} catch (error) {
			if ((error as { code?: string }).code !== undefinedTable) throw error;
			await this.prepare();
			await this.#insert(events);
		}
	}

	async #insert(events: readonly AuditEvent[]): Promise<void> {
		// In array order, so `seq` follows delivery order; a redelivered id keeps its first `seq`.
		await this.#sql`
			insert into event_logs (id, board_id, entity_id, actor_id, type, created_at, revision, document)
			select * from unnest(
				${events.map((e) => e.id)}::uuid[],
				${events.map((e) => e.boardId)}::uuid[],
				${events.map((e) => e.entityId)}::text[],
				${events.map((e) => e.actorId)}::uuid[],
				${events.map((e) => e.type)}::text[],
				${events.map((e) => e.createdAt)}::timestamptz[],
				${events.map((e) => e.revision)}::int[],
				${events.map((e) => storableJson(e))}::text[]::jsonb[]
			)
			on conflict (id) do update set
				document = excluded.document, revision = excluded.revision
			where event_logs.revision < excluded.revision`;
	}

	async query(query: EventQuery): Promise<EventPage> {
		const sql = this.#sql;
		const where = [sql`true`];
		if (query.boardId) where.push(sql`board_id = ${query.boardId}`);
		if (query.entityId) where.push(sql`entity_id = ${query.entityId}`);
		if (query.actorId) where.push(sql`actor_id = ${query.actorId}`);
		if (query.type) where.push(sql`type = ${query.type}`);
		if (query.from) where.push(sql`created_at >= ${query.from}`);
		if (query.to) where.push(sql`created_at < ${query.to}`);
		const after = query.cursor ? decodeCursor(query.cursor) : null;
		if (query.cursor && !after) throw new Error('invalid cursor');
		if (after && /^\d+$/.test(after.key)) {
			where.push(sql`(created_at, seq) < (${after.createdAt}::timestamptz, ${after.key}::bigint)`);
		}
		const condition = where.reduce((all, part) => sql`${all} and ${part}`);
		const rows = await sql<{ document: AuditEvent; seq: number }[]>`
			select document, seq from event_logs where ${condition}
			order by created_at desc, seq desc
			limit ${query.limit + 1}`;
		const page = rows.slice(0, query.limit);
		const last = page.at(-1);
		return {
			items: page.map((r) => r.document),
			nextCursor:
				rows.length > query.limit && last
					? encodeCursor({ createdAt: last.document.createdAt, key: String(last.seq) })
					: null
		};
	}

	async deleteBefore(cutoff: Date, limit: number): Promise<number> {
		// One bounded batch, found through event_logs_created_idx: a single delete of months of
		// events would hold its locks and bloat the WAL for as long as it runs.
		const deleted = await this.#sql`
			delete from event_logs where id in (
				select id from event_logs where created_at < ${cutoff}
				order by created_at, seq limit ${limit})`;
		return deleted.count;
	}

	async ping(): Promise<void> {
		await this.#sql`select 1 from event_logs limit 1`;
	}

	async close(): Promise<void> {
		if (this.#ownsPool) await this.#sql.end({ timeout: 2 });
	}
}
