/**
 * Event pages for the API (`GET /api/v1/boards/:id/events`, `GET /api/v1/tasks/:id/events`):
 * `?cursor=&limit=` parsing, the actor's display name for each event, and metadata (client
 * address, user agent) only for admins, since any board member may read a board's feed.
 */
import type { RequestEvent } from '@sveltejs/kit';
import { z } from 'zod';
import { isAdmin } from '../../domain/policy.ts';
import type { Sql } from '../db/client.ts';
import { readQuery } from '../http/body.ts';
import { ApiError } from '../http/problem.ts';
import { decodeCursor } from './ids.ts';
import type { AuditEvent, EventMetadata, EventQuery } from './types.ts';

export const defaultPageSize = 50;
export const maxPageSize = 200;

export interface EventDto extends Omit<AuditEvent, 'metadata' | 'revision'> {
	actorName: string | null;
	metadata: EventMetadata | null;
}

export interface EventPageDto {
	items: EventDto[];
	nextCursor: string | null;
}

const limitMessage = `Give a whole number from 1 to ${maxPageSize}.`;

/** `?limit=&cursor=` of the event feeds. */
export const eventPageQuery = z.object({
	limit: z
		.string()
		.regex(/^\d{1,4}$/, limitMessage)
		.transform(Number)
		.refine((n) => n >= 1 && n <= maxPageSize, limitMessage)
		.optional()
		.describe(`Page size, 1 to ${maxPageSize}; default ${defaultPageSize}.`),
	cursor: z
		.string()
		.refine(
			(cursor) => cursor === '' || decodeCursor(cursor) !== null,
			'This cursor was not issued by this API; start from the first page.'
		)
		.optional()
		.describe('`nextCursor` of the previous page.')
});

/** `limit` and `cursor` from the query string; 422 when either is not acceptable. */
export function pageParams(url: URL): Pick<EventQuery, 'cursor' | 'limit'> {
	const { limit, cursor } = readQuery(url, eventPageQuery);
	return { cursor: cursor || null, limit: limit ?? defaultPageSize };
}

/** Newest first; 503 when the event log cannot be read (events are kept, not lost). */
export async function eventPage(
	event: RequestEvent,
	query: Omit<EventQuery, 'cursor' | 'limit'>
): Promise<EventPageDto> {
	const { ctx, user } = event.locals;
	let page;
	try {
		page = await ctx.events.query({ ...query, ...pageParams(event.url) });
	} catch (error) {
		if (error instanceof ApiError) throw error;
		ctx.log.error({ err: error }, 'reading the event log failed');
		throw new ApiError(503, 'The activity log is unavailable right now. Try again shortly.');
	}
	const actorIds = [...new Set(page.items.flatMap((e) => (e.actorId ? [e.actorId] : [])))];
	const names = new Map<string, string>();
	if (actorIds.length > 0) {
		const rows = await ctx.sql<{ id: string; display_name: string }[]>`
			select id, display_name from users where id = any(${actorIds}::uuid[])`;
		for (const row of rows) names.set(row.id, row.display_name);
	}
	const admin = user !== null && isAdmin(user);
	return {
		items: page.items.map(({ metadata, revision: _revision, ...rest }) => ({
			...rest,
			actorName: rest.actorId ? (names.get(rest.actorId) ?? null) : null,
			metadata: admin ? metadata : null
		})),
		nextCursor: page.nextCursor
	};
}

/** Boards holding a card with this id (normally one), from the stored projection. */
export async function taskBoardIds(sql: Sql, taskId: string): Promise<string[]> {
	const rows = await sql<{ board_id: string }[]>`
		select board_id from tasks where id = ${taskId} order by board_id`;
	return rows.map((row) => row.board_id);
}
