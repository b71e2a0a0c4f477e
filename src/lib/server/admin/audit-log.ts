/**
 * The workspace's audit log for admins (`GET /api/v1/admin/events`): the event log's own
 * filtered, newest-first query, as JSON pages or as a CSV export streamed in bounded batches.
 */
import type { RequestEvent } from '@sveltejs/kit';
import type { AdminEventsQuery } from '../api/admin-schemas.ts';
import { defaultPageSize } from '../api/schemas.ts';
import type { Sql } from '../db/client.ts';
import { eventDtos, eventPage, type EventPageDto } from '../events/feed.ts';
import type { EventQuery } from '../events/types.ts';
import { csvRow } from '../http/csv.ts';

/** Events per query while exporting: the memory an export holds at once. */
export const exportBatchSize = 500;

/** Log filters from the query string; null when the actor is an email nobody has (no events). */
export async function auditFilters(
	sql: Sql,
	query: AdminEventsQuery
): Promise<Omit<EventQuery, 'cursor' | 'limit'> | null> {
	let actorId: string | undefined;
	if (query.actor?.includes('@')) {
		const [row] = await sql<{ id: string }[]>`
			select id from users where lower(email) = lower(${query.actor})`;
		if (!row) return null;
		actorId = row.id;
	} else if (query.actor) {
		actorId = query.actor;
	}
	return {
		...(actorId ? { actorId } : {}),
		...(query.type ? { type: query.type } : {}),
		...(query.boardId ? { boardId: query.boardId } : {}),
		...(query.from ? { from: query.from } : {}),
		...(query.to ? { to: query.to } : {})
	};
}

export async function auditPage(
	event: RequestEvent,
	query: AdminEventsQuery
): Promise<EventPageDto> {
	const filters = await auditFilters(event.locals.ctx.sql, query);
	if (!filters) return { items: [], nextCursor: null };
	return eventPage(event, filters, {
		cursor: query.cursor || null,
		limit: query.limit ?? defaultPageSize
	});
}

export const csvColumns = [
	'createdAt',
	'id',
	'type',
	'actorId',
	'actorName',
	'entityType',
	'entityId',
	'boardId',
	'correlationId',
	'userAgent',
	'ipAddress',
	'sessionId',
	'instance',
	'payload'
] as const;

/**
 * The whole filtered log as CSV, one batch of the log per pull: a slow client holds back the
 * reads (backpressure) instead of the server buffering the export, and a cancelled download
 * stops them.
 */
export function auditCsv(
	event: RequestEvent,
	filters: Omit<EventQuery, 'cursor' | 'limit'> | null
): ReadableStream<Uint8Array> {
	const { ctx } = event.locals;
	const encoder = new TextEncoder();
	let cursor: string | null = null;
	let started = false;
	return new ReadableStream<Uint8Array>({
		async pull(controller) {
			if (!started) {
				started = true;
				controller.enqueue(encoder.encode(csvRow(csvColumns)));
				if (!filters) return controller.close();
			}
			try {
				const page = await ctx.events.query({ ...filters!, cursor, limit: exportBatchSize });
				const rows = await eventDtos(ctx.sql, page.items, true);
				const text = rows
					.map((e) =>
						csvRow([
							e.createdAt,
							e.id,
							e.type,
							e.actorId,
							e.actorName,
							e.entityType,
							e.entityId,
							e.boardId,
							e.correlationId,
							e.metadata?.userAgent ?? null,
							e.metadata?.ipAddress ?? null,
							e.metadata?.sessionId ?? null,
							e.metadata?.instance ?? null,
							JSON.stringify(e.payload)
						])
					)
					.join('');
				if (text) controller.enqueue(encoder.encode(text));
				cursor = page.nextCursor;
				if (!cursor) controller.close();
			} catch (error) {
				// Headers are sent: the only signal left is an aborted body (an incomplete file).
				ctx.log.error({ err: error }, 'audit log export failed');
				controller.error(error);
			}
		}
	});
}
