/**
 * Event pages for the API (`GET /api/v1/boards/:id/events`, `GET /api/v1/tasks/:id/events`):
 * `?cursor=&limit=` parsing, the actor's display name for each event, and metadata (client
 * address, user agent) only for admins, since any board member may read a board's feed.
 */
import type { RequestEvent } from '@sveltejs/kit';
import { isAdmin } from '../../domain/policy.ts';
import type { Sql } from '../db/client.ts';
import type { EventDto, EventPageDto } from '../../api/events.ts';
import { defaultPageSize, eventPageQuery } from '../api/schemas.ts';
import { readQuery } from '../http/body.ts';
import { ApiError } from '../http/problem.ts';
import type { AuditEvent, EventQuery } from './types.ts';

export type { EventDto, EventPageDto };

/** `limit` and `cursor` from the query string; 422 when either is not acceptable. */
export function pageParams(url: URL): Pick<EventQuery, 'cursor' | 'limit'> {
	const { limit, cursor } = readQuery(url, eventPageQuery);
	return { cursor: cursor || null, limit: limit ?? defaultPageSize };
}

/** Newest first; 503 when the event log cannot be read (events are kept, not lost). */
export async function eventPage(
	event: RequestEvent,
	query: Omit<EventQuery, 'cursor' | 'limit'>,
	page: Pick<EventQuery, 'cursor' | 'limit'> = pageParams(event.url)
): Promise<EventPageDto> {
	const { ctx, user } = event.locals;
	let found;
	try {
		found = await ctx.events.query({ ...query, ...page });
	} catch (error) {
		if (error instanceof ApiError) throw error;
		ctx.log.error({ err: error }, 'reading the event log failed');
		throw new ApiError(503, 'The activity log is unavailable right now. Try again shortly.');
	}
	return {
		items: await eventDtos(ctx.sql, found.items, user !== null && isAdmin(user)),
		nextCursor: found.nextCursor
	};
}

/** The events with their actors' display names; metadata only when `withMetadata`. */
export async function eventDtos(
	sql: Sql,
	events: readonly AuditEvent[],
	withMetadata: boolean
): Promise<EventDto[]> {
	const actorIds = [...new Set(events.flatMap((e) => (e.actorId ? [e.actorId] : [])))];
	const names = new Map<string, string>();
	if (actorIds.length > 0) {
		const rows = await sql<{ id: string; display_name: string }[]>`
			select id, display_name from users where id = any(${actorIds}::uuid[])`;
		for (const row of rows) names.set(row.id, row.display_name);
	}
	return events.map(({ metadata, revision: _revision, ...rest }) => ({
		...rest,
		actorName: rest.actorId ? (names.get(rest.actorId) ?? null) : null,
		metadata: withMetadata ? metadata : null
	}));
}
