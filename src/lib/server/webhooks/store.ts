/**
 * The `webhooks` and `webhook_deliveries` tables: hooks and their management, the delivery log,
 * manual redelivery, and the queue the dispatcher works from. Deliveries are created by the
 * outbox when it retires an event (`queueDeliveries`), in that same transaction.
 */
import type { Queryable } from '../db/client.ts';
import { cursorTime, pageOf } from '../admin/paging.ts';
import { decodeCursor, encodeCursor } from '../events/ids.ts';
import type {
	DeliveryState,
	WebhookDeliveryDto,
	WebhookDto,
	WebhookWithSecretDto
} from '../../api/webhooks.ts';
import { newWebhookSecret } from './signature.ts';

interface HookRow {
	id: string;
	board_id: string | null;
	created_by: string | null;
	url: string;
	event_types: string[];
	secret: string;
	active: boolean;
	disabled_reason: string | null;
	created_at: Date;
	updated_at: Date;
}

export type StoredHook = HookRow;

export function webhookDto(row: HookRow): WebhookDto {
	return {
		id: row.id,
		boardId: row.board_id,
		url: row.url,
		events: row.event_types,
		active: row.active,
		disabledReason: row.disabled_reason,
		createdAt: row.created_at.toISOString(),
		updatedAt: row.updated_at.toISOString()
	};
}

const withSecret = (row: HookRow): WebhookWithSecretDto => ({
	...webhookDto(row),
	secret: row.secret
});

/**
 * Whether `userId` may manage a hook of `board` (a uuid, or null for a workspace hook) as the
 * rows stand when the statement runs: an enabled admin, or an owner of the hook's board. The
 * rule `switchOffOrphanedHooks` (access.ts) applies after a change of role.
 */
function manages(sql: Queryable, userId: string, board: () => ReturnType<Queryable>) {
	return sql`exists (
		select 1 from users u
		where u.id = ${userId} and u.disabled_at is null
			and (u.role = 'admin' or (${board()} is not null and exists (
				select 1 from board_members m
				where m.board_id = ${board()} and m.user_id = u.id and m.role = 'owner'))))`;
}

/**
 * Registers a hook in `createdBy`'s name, only if they may manage it as the rows stand then
 * (null otherwise): a demotion committed after the caller's check must not leave a new hook
 * active in a demoted user's name, since the switch-off at the demotion ran before it existed.
 */
export async function createHook(
	sql: Queryable,
	input: { boardId: string | null; createdBy: string; url: string; events: string[] }
): Promise<WebhookWithSecretDto | null> {
	const [row] = await sql<HookRow[]>`
		insert into webhooks (board_id, created_by, url, event_types, secret)
		select ${input.boardId}::uuid, ${input.createdBy}::uuid, ${input.url}, ${input.events}::text[],
			${newWebhookSecret()}
		where ${manages(sql, input.createdBy, () => sql`${input.boardId}::uuid`)}
		returning *`;
	return row ? withSecret(row) : null;
}

/** Per board, and for the workspace: enough for integrations, not for a queue per user. */
export const maxHooksPerScope = 20;

export async function hookCount(sql: Queryable, boardId: string | null): Promise<number> {
	const [row] = await sql<{ n: number }[]>`
		select count(*)::int as n from webhooks
		where ${boardId === null ? sql`board_id is null` : sql`board_id = ${boardId}`}`;
	return row?.n ?? 0;
}

export async function getHook(sql: Queryable, id: string): Promise<StoredHook | null> {
	const [row] = await sql<HookRow[]>`select * from webhooks where id = ${id}`;
	return row ?? null;
}

export interface HookChange {
	url?: string;
	events?: string[];
	active?: boolean;
	rotateSecret?: boolean;
	/**
	 * Who makes the change. Pointing the hook at a URL or switching it back on makes them its
	 * creator: the hook then stops when they lose the right to manage it (webhooks/access.ts),
	 * not when whoever first registered it does. The change is made only if they still may
	 * manage it as the rows stand when it runs (null otherwise), so a demotion committed after
	 * the caller's check cannot leave the hook active in a demoted user's name.
	 */
	by?: string;
}

/**
 * Applies a change; the secret is in the answer only when it was rotated. Null when the hook is
 * gone, or `change.by` may no longer manage it (see `HookChange.by`).
 */
export async function updateHook(
	sql: Queryable,
	id: string,
	change: HookChange
): Promise<WebhookDto | WebhookWithSecretDto | null> {
	const secret = change.rotateSecret ? newWebhookSecret() : null;
	const [row] = await sql<HookRow[]>`
		update webhooks set
			url = coalesce(${change.url ?? null}, url),
			event_types = coalesce(${change.events ?? null}::text[], event_types),
			secret = coalesce(${secret}, secret),
			created_by = case
				when ${change.url ?? null}::text is not null
					or (${change.active ?? null}::boolean and not active)
				then coalesce(${change.by ?? null}::uuid, created_by)
				else created_by end,
			active = coalesce(${change.active ?? null}::boolean, active),
			-- Switching on again (or off by hand) clears the automatic reason.
			disabled_reason = case when ${change.active ?? null}::boolean is null then disabled_reason end,
			updated_at = now()
		where id = ${id}
			${change.by ? sql`and ${manages(sql, change.by, () => sql`webhooks.board_id`)}` : sql``}
		returning *`;
	if (!row) return null;
	return secret ? withSecret(row) : webhookDto(row);
}

export async function deleteHook(sql: Queryable, id: string): Promise<boolean> {
	const result = await sql`delete from webhooks where id = ${id}`;
	return result.count > 0;
}

const maxBigint = 9_223_372_036_854_775_807n;

/** A delivery id as the table holds it (a positive bigint), or null. */
export function deliveryIdOf(value: string): string | null {
	return /^\d{1,19}$/.test(value) && BigInt(value) <= maxBigint ? value : null;
}

export interface Page<T> {
	items: T[];
	nextCursor: string | null;
}

/** A board's hooks, or the workspace-wide ones (`boardId` null), oldest first. */
export async function listHooks(
	sql: Queryable,
	boardId: string | null,
	limit: number,
	cursor: string | null
): Promise<Page<WebhookDto>> {
	// Checked by `hookPageQuery`: the key is a hook id.
	const after = cursor ? decodeCursor(cursor) : null;
	// The cursor's time is `cursorTime` text, compared as `::text::timestamptz` (see
	// `afterCursor`, which pages newest first): through a JS Date it lost its microseconds, and
	// the last hook of a page came back as the first of every next one.
	const rows = await sql<(HookRow & { cursor_time: string })[]>`
		select *, ${cursorTime(sql, 'created_at')} as cursor_time from webhooks
		where ${boardId === null ? sql`board_id is null` : sql`board_id = ${boardId}`}
			${after ? sql`and (created_at, id) > (${after.createdAt}::text::timestamptz, ${after.key}::uuid)` : sql``}
		order by created_at, id
		limit ${limit + 1}`;
	return pageOf(rows, limit, webhookDto);
}

interface DeliveryRow {
	id: string;
	event_id: string;
	event_type: string;
	state: DeliveryState;
	attempts: number;
	response_status: number | null;
	duration_ms: number | null;
	last_error: string | null;
	next_attempt_at: Date;
	redelivery_of: string | null;
	created_at: Date;
	finished_at: Date | null;
}

function deliveryDto(row: DeliveryRow): WebhookDeliveryDto {
	return {
		id: String(row.id),
		eventId: row.event_id,
		eventType: row.event_type,
		state: row.state,
		attempts: row.attempts,
		responseStatus: row.response_status,
		durationMs: row.duration_ms,
		error: row.last_error,
		nextAttemptAt: row.state === 'pending' ? row.next_attempt_at.toISOString() : null,
		redeliveryOf: row.redelivery_of === null ? null : String(row.redelivery_of),
		createdAt: row.created_at.toISOString(),
		finishedAt: row.finished_at?.toISOString() ?? null
	};
}

const deliveryColumns = (sql: Queryable) => sql`
	id::text, event_id, event_type, state, attempts, response_status, duration_ms, last_error,
	next_attempt_at, redelivery_of::text, created_at, finished_at`;

/** A hook's delivery log, newest first; the cursor carries the last id. */
export async function deliveryPage(
	sql: Queryable,
	webhookId: string,
	limit: number,
	cursor: string | null
): Promise<Page<WebhookDeliveryDto>> {
	const after = cursor ? decodeCursor(cursor) : null;
	const before = after ? deliveryIdOf(after.key) : null;
	// Ordered by the table's bigint id, as the `where` compares: a bare `id` here would name the
	// `id::text` output column, and text order ("99" > "114") repeated and skipped deliveries.
	const rows = await sql<DeliveryRow[]>`
		select ${deliveryColumns(sql)} from webhook_deliveries
		where webhook_id = ${webhookId} ${before ? sql`and id < ${before}::bigint` : sql``}
		order by webhook_deliveries.id desc
		limit ${limit + 1}`;
	const items = rows.slice(0, limit);
	const last = items.at(-1);
	return {
		items: items.map(deliveryDto),
		nextCursor:
			rows.length > limit && last
				? encodeCursor({ createdAt: last.created_at.toISOString(), key: String(last.id) })
				: null
	};
}

/** Queues the event of one delivery again, behind what the hook already has queued. */
export async function redeliver(
	sql: Queryable,
	webhookId: string,
	deliveryId: string
): Promise<WebhookDeliveryDto | null> {
	if (!deliveryIdOf(deliveryId)) return null;
	const [row] = await sql<DeliveryRow[]>`
		insert into webhook_deliveries (webhook_id, board_id, event_id, event_type, event, redelivery_of)
		select webhook_id, board_id, event_id, event_type, event, id
		from webhook_deliveries where id = ${deliveryId}::bigint and webhook_id = ${webhookId}
		returning ${deliveryColumns(sql)}`;
	return row ? deliveryDto(row) : null;
}
