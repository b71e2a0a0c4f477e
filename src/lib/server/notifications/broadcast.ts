/**
 * Sending a system message (the API's `POST /api/v1/admin/broadcasts` and the admin page): one
 * notification per active user, a live signal to every open tab, an audit event.
 */
import type { RequestEvent } from '@sveltejs/kit';
import type { Sql } from '../db/client.ts';
import { changeWithEvents, requestSource } from '../events/audit.ts';
import { insertBroadcast } from './store.ts';
import type { BroadcastDto } from './types.ts';

export async function sendBroadcast(
	event: RequestEvent,
	author: { id: string },
	message: { title: string; body: string }
): Promise<BroadcastDto> {
	const { ctx } = event.locals;
	const sent = await changeWithEvents(ctx, requestSource(event), async (tx) => {
		const sent = await insertBroadcast(tx, { authorId: author.id, ...message });
		const payload = { title: message.title, recipients: sent.recipients };
		return {
			result: sent,
			events: [{ type: 'system.broadcast', entityType: 'broadcast', entityId: sent.id, payload }]
		};
	});
	ctx.notifications.publish({ userIds: '*', reason: 'new' });
	return { ...sent, ...message };
}

/** The latest system messages, newest first, for the admin page. */
export async function recentBroadcasts(
	sql: Sql,
	limit = 10
): Promise<(BroadcastDto & { authorName: string | null })[]> {
	const rows = await sql<
		{
			id: string;
			title: string;
			body: string;
			recipients: number;
			created_at: Date;
			author_name: string | null;
		}[]
	>`
		select b.id, b.title, b.body, b.recipients, b.created_at, u.display_name as author_name
		from broadcasts b left join users u on u.id = b.author_id
		order by b.created_at desc, b.id desc
		limit ${limit}`;
	return rows.map((row) => ({
		id: row.id,
		title: row.title,
		body: row.body,
		recipients: row.recipients,
		createdAt: row.created_at.toISOString(),
		authorName: row.author_name
	}));
}
