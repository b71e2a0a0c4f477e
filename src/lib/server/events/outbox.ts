/**
 * `event_outbox`: events committed in PostgreSQL and waiting for delivery to the event log.
 * A row is pending while `delivered_revision < revision`; it leaves the outbox once its latest
 * revision is delivered and it can no longer grow (`open_until` unset or past).
 */
import type { Sql, Tx } from '../db/client.ts';
import type { AuditEvent } from './types.ts';

type Queryable = Sql | Tx;

/**
 * JSON that jsonb accepts: without NUL characters, which PostgreSQL refuses and which clients
 * could otherwise smuggle into an event (a card title), making every later write fail.
 */
export function storableJson(value: unknown): string {
	return JSON.stringify(value, (_key, item: unknown) =>
		typeof item === 'string' && item.includes('\u0000') ? item.replaceAll('\u0000', '') : item
	);
}

export interface OutboxEntry {
	event: AuditEvent;
	/** Until then the event may still absorb edits (an open burst); null when final. */
	openUntil: Date | null;
}

export interface OutboxRow {
	id: number;
	event: AuditEvent;
}

/**
 * Queues events in one statement, in the given order (ids follow it). An event already queued
 * is replaced only by a higher revision, so deriving the same events twice queues them once.
 */
export async function enqueueEvents(sql: Queryable, all: readonly OutboxEntry[]): Promise<void> {
	// One statement cannot upsert a row twice: keep each event's highest revision.
	const byId = new Map<string, OutboxEntry>();
	for (const entry of all) {
		const seen = byId.get(entry.event.id);
		if (!seen || seen.event.revision < entry.event.revision) byId.set(entry.event.id, entry);
	}
	const entries = [...byId.values()];
	if (entries.length === 0) return;
	await sql`
		insert into event_outbox (event_id, board_id, event, revision, open_until)
		select * from unnest(
			${entries.map((e) => e.event.id)}::uuid[],
			${entries.map((e) => e.event.boardId)}::uuid[],
			${entries.map((e) => storableJson(e.event))}::text[]::jsonb[],
			${entries.map((e) => e.event.revision)}::int[],
			${entries.map((e) => e.openUntil?.toISOString() ?? null)}::timestamptz[]
		)
		on conflict (event_id) do update set
			event = excluded.event, revision = excluded.revision, open_until = excluded.open_until
		where event_outbox.revision < excluded.revision`;
}

/** The oldest pending rows, in the order they were queued. */
export async function readOutbox(sql: Queryable, limit: number): Promise<OutboxRow[]> {
	return sql<OutboxRow[]>`
		select id, event from event_outbox
		where delivered_revision < revision
		order by id
		limit ${limit}`;
}

/**
 * Records that these rows' events were stored at the revisions read, then drops rows that are
 * delivered and closed. A row whose revision grew meanwhile stays pending. Returns how many
 * webhook deliveries the retired events queued.
 */
export async function acknowledgeOutbox(sql: Sql, rows: readonly OutboxRow[]): Promise<number> {
	if (rows.length === 0) return 0;
	return sql.begin(async (tx) => {
		await tx`
			update event_outbox o set delivered_revision = d.revision
			from unnest(${rows.map((r) => r.id)}::bigint[], ${rows.map((r) => r.event.revision)}::int[])
				as d(id, revision)
			where o.id = d.id and o.delivered_revision < d.revision`;
		const queued = await tx`
			with retired as (
				delete from event_outbox
				where id = any(${rows.map((r) => r.id)}::bigint[])
					and delivered_revision >= revision
					and (open_until is null or open_until <= now())
				returning id, board_id, event, revision, webhook_revision
			),
			-- Bursts still open on the same boards, older than what retires now: handed to the
			-- webhooks first, so a board's events reach them in the order they were recorded.
			early as (
				update event_outbox o set webhook_revision = o.revision
				from (
					select board_id, max(id) as upto from retired
					where board_id is not null group by board_id
				) r
				where o.board_id = r.board_id and o.id < r.upto
					and o.open_until > now() and o.webhook_revision < o.revision
				returning o.id, o.board_id, o.event
			),
			handed as (
				select id, board_id, event from early
				union all
				select id, board_id, event from retired where revision > webhook_revision
			)
			${queueDeliveries(tx)}`;
		return queued.count;
	});
}

/**
 * Hands events to the webhooks that ask for them, in the statement that retires them from the
 * outbox (`handed`), so no event can leave it without its deliveries. An event is handed when
 * it is final; a burst of typing still open when a later event of its board retires is handed
 * then, and again (a higher `revision` of the same event) if it grew before it ended.
 * The pattern rule is `matchesEventPatterns` (webhooks/event-types.ts).
 */
function queueDeliveries(tx: Queryable) {
	return tx`
		insert into webhook_deliveries (webhook_id, board_id, event_id, event_type, event)
		select h.id, r.board_id, r.id_of_event, r.type, r.event
		from (
			select id, board_id, event, (event->>'id')::uuid as id_of_event, event->>'type' as type
			from handed
		) r
		join webhooks h on h.active
			and (h.board_id = r.board_id or (h.board_id is null and r.board_id is not null))
		where exists (
			select 1 from unnest(h.event_types) p
			where p = r.type or (p like '%.*' and starts_with(r.type, left(p, -1)))
		)
		order by r.id, h.id`;
}

/**
 * Drops delivered rows whose window has closed since they were delivered; says how many, and
 * how many webhook deliveries they queued.
 */
export async function sweepOutbox(sql: Queryable): Promise<{ retired: number; queued: number }> {
	const [row] = await sql<{ retired: number; queued: number }[]>`
		with retired as (
			delete from event_outbox
			where open_until is not null and open_until <= now() and delivered_revision >= revision
			returning id, board_id, event, revision, webhook_revision
		),
		handed as (select id, board_id, event from retired where revision > webhook_revision),
		queued as (${queueDeliveries(sql)} returning 1)
		select (select count(*)::int from retired) as retired,
			(select count(*)::int from queued) as queued`;
	return { retired: row?.retired ?? 0, queued: row?.queued ?? 0 };
}

export async function outboxDepth(sql: Queryable): Promise<number> {
	const [row] = await sql<{ depth: number }[]>`
		select count(*)::int as depth from event_outbox where delivered_revision < revision`;
	return row?.depth ?? 0;
}

/** Events of a board that may still grow, to continue them when the board's log is replayed. */
export async function openEvents(sql: Queryable, boardId: string): Promise<OutboxEntry[]> {
	const rows = await sql<{ event: AuditEvent; open_until: Date }[]>`
		select event, open_until from event_outbox
		where board_id = ${boardId} and open_until is not null and open_until > now()
		order by id`;
	return rows.map((r) => ({ event: r.event, openUntil: r.open_until }));
}
