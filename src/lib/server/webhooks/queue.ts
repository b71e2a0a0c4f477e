/**
 * The dispatcher's side of `webhook_deliveries`: which deliveries are due, and recording each
 * attempt. Only the oldest pending delivery of each hook and board is ever due, so a board's
 * events reach a hook in order even across retries.
 */
import type { Queryable, Sql } from '../db/client.ts';
import { insertNotifications } from '../notifications/store.ts';

export interface DueDelivery {
	id: string;
	webhookId: string;
	boardId: string | null;
	eventId: string;
	eventType: string;
	event: Record<string, unknown>;
	attempts: number;
	/** Null before the first attempt. */
	firstAttemptAt: Date | null;
	url: string;
	secret: string;
}

/** Due deliveries, skipping those being sent (`sending`: still pending until recorded). */
export async function dueDeliveries(
	sql: Queryable,
	limit: number,
	sending: readonly string[]
): Promise<DueDelivery[]> {
	return sql<DueDelivery[]>`
		select d.id::text as "id", d.webhook_id as "webhookId", d.board_id as "boardId",
			d.event_id as "eventId", d.event_type as "eventType", d.event, d.attempts,
			d.first_attempt_at as "firstAttemptAt", h.url, h.secret
		from (
			-- The oldest pending delivery of each hook and board: one pass over the pending rows
			-- in index order, not a probe for every row of a backlog behind a failing head.
			select distinct on (webhook_id, board_id) * from webhook_deliveries
			where state = 'pending'
			order by webhook_id, board_id, id
		) d
		join webhooks h on h.id = d.webhook_id and h.active
		where d.next_attempt_at <= now() and d.id <> all(${sending}::bigint[])
		order by d.next_attempt_at, d.id
		limit ${limit}`;
}

export interface Attempt {
	status: number | null;
	durationMs: number;
	error: string | null;
}

export async function recordSuccess(sql: Queryable, id: string, attempt: Attempt): Promise<void> {
	await sql`
		update webhook_deliveries set state = 'delivered', attempts = attempts + 1,
			first_attempt_at = coalesce(first_attempt_at, now()),
			response_status = ${attempt.status}, duration_ms = ${attempt.durationMs},
			last_error = null, finished_at = now()
		where id = ${id}::bigint`;
}

export async function recordRetry(
	sql: Queryable,
	id: string,
	attempt: Attempt,
	retryInMs: number
): Promise<void> {
	await sql`
		update webhook_deliveries set attempts = attempts + 1,
			first_attempt_at = coalesce(first_attempt_at, now()),
			response_status = ${attempt.status}, duration_ms = ${attempt.durationMs},
			last_error = ${attempt.error}, next_attempt_at = now() + ${retryInMs} * interval '1 millisecond'
		where id = ${id}::bigint`;
}

/**
 * The delivery failed for good: it is marked failed and its hook switched off, and the people
 * who manage the hook are told (a board's owners, or the workspace hook's creator). The hook's
 * other pending deliveries stay queued for when it is switched on again. Returns who was told.
 */
export async function recordGiveUp(
	sql: Sql,
	delivery: DueDelivery,
	attempt: Attempt
): Promise<string[]> {
	const reason = `Switched off after retrying a delivery for ${hoursSince(delivery.firstAttemptAt ?? new Date())} h: ${attempt.error ?? 'failed'}`;
	return sql.begin(async (tx) => {
		await tx`
			update webhook_deliveries set state = 'failed', attempts = attempts + 1,
				first_attempt_at = coalesce(first_attempt_at, now()),
				response_status = ${attempt.status}, duration_ms = ${attempt.durationMs},
				last_error = ${attempt.error}, finished_at = now()
			where id = ${delivery.id}::bigint`;
		const [hook] = await tx<{ board_id: string | null; created_by: string | null; url: string }[]>`
			update webhooks set active = false, disabled_reason = ${reason}, updated_at = now()
			where id = ${delivery.webhookId} and active
			returning board_id, created_by, url`;
		if (!hook) return [];
		return notifyHookManagers(tx, {
			webhookId: delivery.webhookId,
			boardId: hook.board_id,
			url: hook.url,
			reason,
			cause: 'failures',
			dedupeKey: `webhook_disabled:${delivery.webhookId}:${delivery.id}`
		});
	});
}

/**
 * Tells the people who manage a hook that it was switched off: a board's owners, or for a
 * workspace-wide hook every active admin (its creator may be gone). Returns who was told.
 */
export async function notifyHookManagers(
	tx: Queryable,
	hook: {
		webhookId: string;
		boardId: string | null;
		url: string;
		reason: string;
		/** Why, for the notification's sentence: failed deliveries, or its creator's lost access. */
		cause: 'failures' | 'access';
		dedupeKey: string;
	}
): Promise<string[]> {
	const recipients = (
		hook.boardId
			? await tx<{ user_id: string }[]>`
					select user_id from board_members where board_id = ${hook.boardId} and role = 'owner'`
			: await tx<{ user_id: string }[]>`
					select id as user_id from users where role = 'admin' and disabled_at is null`
	).map((r) => r.user_id);
	return insertNotifications(
		tx,
		recipients.map((userId) => ({
			userId,
			kind: 'webhook_disabled' as const,
			boardId: hook.boardId,
			taskId: null,
			actorId: null,
			payload: { url: hook.url, reason: hook.reason, cause: hook.cause },
			dedupeKey: hook.dedupeKey
		}))
	);
}

function hoursSince(date: Date): string {
	return ((Date.now() - date.getTime()) / 3_600_000).toFixed(1).replace(/\.0$/, '');
}

/** Drops finished deliveries older than the log keeps; bounded per call. */
export async function pruneDeliveries(sql: Queryable, olderThanDays: number): Promise<number> {
	const result = await sql`
		delete from webhook_deliveries where id in (
			select id from webhook_deliveries
			where state <> 'pending' and finished_at < now() - ${olderThanDays} * interval '1 day'
			limit 1000
		)`;
	return result.count;
}
