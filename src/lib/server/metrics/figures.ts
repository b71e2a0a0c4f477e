/**
 * Figures that live in the database, read for a scrape with one statement and kept for a few
 * seconds, so several scrapers (or a scraper and a dashboard) cost one query between them.
 * Each count runs on an index: `tasks_due_date_idx` (live cards with a due date),
 * `users_last_active_idx`, and `event_outbox_pending_idx`.
 */
import type { Sql } from '../db/client.ts';
import type { Logger } from '../log.ts';

export interface Figures {
	overdueTasks: number;
	dailyActiveUsers: number;
	weeklyActiveUsers: number;
	outboxDepth: number;
	relayLagSeconds: number;
}

export async function readFigures(sql: Sql): Promise<Figures> {
	const [row] = await sql<
		{ overdue: number; daily: number; weekly: number; depth: number; lag: number }[]
	>`
		select
			(select count(*)::int from tasks
				where deleted_at is null and due_date is not null and due_date < current_date
					and status <> 'done'
					and board_id not in (select id from boards where archived_at is not null)) as overdue,
			(select count(*)::int from users
				where last_active_at > now() - interval '1 day') as daily,
			(select count(*)::int from users
				where last_active_at > now() - interval '7 days') as weekly,
			(select count(*)::int from event_outbox where delivered_revision < revision) as depth,
			coalesce((
				select extract(epoch from now() - created_at)::float8 from event_outbox
				where delivered_revision < revision order by id limit 1
			), 0) as lag`;
	return {
		overdueTasks: row!.overdue,
		dailyActiveUsers: row!.daily,
		weeklyActiveUsers: row!.weekly,
		outboxDepth: row!.depth,
		relayLagSeconds: Math.max(0, row!.lag)
	};
}

/**
 * `read` behind a cache of `maxAgeMs`; concurrent callers share one query. A failed read keeps
 * the last figures (a scrape should not fail because the database blinked) and is logged once
 * per failure streak.
 */
export function cachedFigures(options: {
	read: () => Promise<Figures>;
	log: Logger;
	maxAgeMs?: number;
}): () => Promise<Figures | null> {
	const maxAgeMs = options.maxAgeMs ?? 5000;
	let last: Figures | null = null;
	let readAt = -Infinity;
	let inFlight: Promise<Figures | null> | null = null;
	let failing = false;
	return () => {
		if (performance.now() - readAt < maxAgeMs) return Promise.resolve(last);
		inFlight ??= options
			.read()
			.then(
				(figures) => {
					last = figures;
					readAt = performance.now();
					failing = false;
					return figures;
				},
				(error: unknown) => {
					if (!failing) options.log.warn({ err: error }, 'metrics: reading figures failed');
					failing = true;
					return last;
				}
			)
			.finally(() => {
				inFlight = null;
			});
		return inFlight;
	};
}
