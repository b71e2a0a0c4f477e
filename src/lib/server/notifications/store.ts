/**
 * The `notifications` table: storing drafts (deduplicated, only for recipients who may see the
 * board), pages for the API, the unread count, marking read, system messages and due-date
 * reminders.
 */
import { transaction, type Queryable, type Sql } from '../db/client.ts';
import { decodeCursor, encodeCursor } from '../events/ids.ts';
import { storableJson } from '../events/outbox.ts';
import { isUuid } from '../boards.ts';
import { notificationText } from './text.ts';
import type {
	NotificationDraft,
	NotificationDto,
	NotificationKind,
	NotificationPageDto
} from './types.ts';

/**
 * Stores drafts and returns who got a new notification. Ids come from documents that clients
 * write, so anything that is not a uuid is dropped here rather than failing the store that
 * carries these drafts; recipients must be active members of the board (an assignee id naming
 * someone outside it must not leak the card's title to them).
 */
export async function insertNotifications(
	sql: Queryable,
	drafts: readonly NotificationDraft[]
): Promise<string[]> {
	const rows = drafts.filter(
		(d) =>
			isUuid(d.userId) &&
			(d.boardId === null || isUuid(d.boardId)) &&
			(d.actorId === null || isUuid(d.actorId))
	);
	if (rows.length === 0) return [];
	const inserted = await sql<{ user_id: string }[]>`
		insert into notifications (user_id, kind, board_id, task_id, actor_id, payload, dedupe_key)
		select d.user_id, d.kind, d.board_id, d.task_id, d.actor_id,
			-- The board's title as it is now: later renames must not reach someone who has left.
			d.payload || jsonb_build_object('boardTitle', b.title), d.dedupe_key
		from unnest(
			${rows.map((d) => d.userId)}::uuid[],
			${rows.map((d) => d.kind)}::text[],
			${rows.map((d) => d.boardId)}::uuid[],
			${rows.map((d) => (d.taskId !== null && isUuid(d.taskId) ? d.taskId : null))}::uuid[],
			${rows.map((d) => d.actorId)}::uuid[],
			${rows.map((d) => storableJson(d.payload))}::text[]::jsonb[],
			${rows.map((d) => d.dedupeKey.slice(0, 300))}::text[]
		) as d(user_id, kind, board_id, task_id, actor_id, payload, dedupe_key)
		join users u on u.id = d.user_id and u.disabled_at is null
		left join boards b on b.id = d.board_id
		where d.board_id is null or exists (
			select 1 from board_members m where m.board_id = d.board_id and m.user_id = d.user_id
		)
		on conflict (user_id, dedupe_key) do nothing
		returning user_id`;
	return [...new Set(inserted.map((row) => row.user_id))];
}

/**
 * Reminders for cards whose due date is today (due within the day, in the database's time
 * zone, UTC by default) or past, once per assignee and due date: moving the date makes a new
 * reminder, scanning again does not. Returns the recipient of each reminder stored.
 */
export async function insertDueReminders(sql: Queryable): Promise<string[]> {
	const inserted = await sql<{ user_id: string }[]>`
		insert into notifications (user_id, kind, board_id, task_id, payload, dedupe_key)
		select t.assignee_id,
			case when t.due_date < current_date then 'overdue' else 'due_soon' end,
			t.board_id, t.id,
			jsonb_build_object('taskTitle', t.title, 'dueDate', t.due_date::text, 'boardTitle', b.title),
			-- Card ids are unique per board only (clients choose them).
			'due:' || t.board_id || ':' || t.id || ':' || t.due_date::text
		from tasks t
		join boards b on b.id = t.board_id and b.archived_at is null
		join board_members m on m.board_id = t.board_id and m.user_id = t.assignee_id
		join users u on u.id = t.assignee_id and u.disabled_at is null
		where t.deleted_at is null and t.status <> 'done' and t.due_date <= current_date
			-- Overdue cards stay overdue: skip the ones reminded already instead of re-inserting.
			and not exists (
				select 1 from notifications n
				where n.user_id = t.assignee_id
					and n.dedupe_key = 'due:' || t.board_id || ':' || t.id || ':' || t.due_date::text
			)
		on conflict (user_id, dedupe_key) do nothing
		returning user_id`;
	return inserted.map((row) => row.user_id);
}

/** A system message to every active user; returns its id and how many received it. */
export async function insertBroadcast(
	sql: Queryable,
	message: { authorId: string; title: string; body: string }
): Promise<{ id: string; recipients: number; createdAt: string }> {
	return transaction(sql, async (tx) => {
		const [broadcast] = await tx<{ id: string; created_at: Date }[]>`
			insert into broadcasts (author_id, title, body, recipients)
			values (${message.authorId}, ${message.title}, ${message.body}, 0)
			returning id, created_at`;
		const { id, created_at } = broadcast!;
		const payload = storableJson({ title: message.title, body: message.body });
		const inserted = await tx`
			insert into notifications (user_id, kind, actor_id, payload, dedupe_key)
			select u.id, 'system', ${message.authorId}, ${payload}::text::jsonb, ${'broadcast:' + id}
			from users u where u.disabled_at is null
			on conflict (user_id, dedupe_key) do nothing`;
		await tx`update broadcasts set recipients = ${inserted.count} where id = ${id}`;
		return { id, recipients: inserted.count, createdAt: created_at.toISOString() };
	});
}

interface NotificationRow {
	id: string;
	kind: NotificationKind;
	board_id: string | null;
	board_title: string | null;
	task_id: string | null;
	actor_id: string | null;
	actor_name: string | null;
	payload: Record<string, unknown>;
	created_at: Date;
	read_at: Date | null;
}

function boardLink(kind: NotificationKind, boardId: string, taskId: string | null): string {
	if (kind === 'webhook_disabled') return `/boards/${boardId}/webhooks`;
	return `/boards/${boardId}${taskId ? `?card=${taskId}` : ''}`;
}

const text = (value: unknown): string | null => (typeof value === 'string' ? value : null);

function toDto(row: NotificationRow): NotificationDto {
	const taskTitle = text(row.payload.taskTitle);
	const board = row.board_id ? { id: row.board_id, title: row.board_title ?? '' } : null;
	const task = row.task_id ? { id: row.task_id, title: taskTitle ?? '' } : null;
	return {
		id: row.id,
		kind: row.kind,
		text: notificationText({
			kind: row.kind,
			actorName: row.actor_name,
			taskTitle,
			boardTitle: row.board_title,
			title: text(row.payload.title),
			url: text(row.payload.url),
			cause: text(row.payload.cause)
		}),
		body:
			row.kind === 'system'
				? (text(row.payload.body) ?? '')
				: row.kind === 'webhook_disabled'
					? text(row.payload.reason)
					: null,
		board,
		task,
		actor: row.actor_id ? { id: row.actor_id, name: row.actor_name ?? 'Someone' } : null,
		dueDate: text(row.payload.dueDate),
		link: board ? boardLink(row.kind, board.id, task?.id ?? null) : null,
		createdAt: row.created_at.toISOString(),
		readAt: row.read_at?.toISOString() ?? null
	};
}

export async function unreadCount(sql: Queryable, userId: string): Promise<number> {
	const [row] = await sql<{ count: number }[]>`
		select count(*)::int as count from notifications where user_id = ${userId} and read_at is null`;
	return row?.count ?? 0;
}

/** Newest first. `cursor` must have been checked with `decodeCursor` by the caller. */
export async function notificationPage(
	sql: Sql,
	userId: string,
	options: { limit: number; cursor: string | null; unreadOnly: boolean }
): Promise<NotificationPageDto> {
	const after = options.cursor ? decodeCursor(options.cursor) : null;
	const rows = await sql<NotificationRow[]>`
		select n.id, n.kind, n.board_id, n.payload->>'boardTitle' as board_title, n.task_id,
			n.actor_id, a.display_name as actor_name, n.payload, n.created_at, n.read_at
		from notifications n
		left join users a on a.id = n.actor_id
		where n.user_id = ${userId}
			${options.unreadOnly ? sql`and n.read_at is null` : sql``}
			${after ? sql`and (n.created_at, n.id) < (${after.createdAt}::timestamptz, ${after.key}::uuid)` : sql``}
		order by n.created_at desc, n.id desc
		limit ${options.limit + 1}`;
	const items = rows.slice(0, options.limit).map(toDto);
	const last = items.at(-1);
	return {
		items,
		nextCursor:
			rows.length > options.limit && last
				? encodeCursor({ createdAt: last.createdAt, key: last.id })
				: null,
		unreadCount: await unreadCount(sql, userId)
	};
}

/** Marks the user's own notifications read (others' ids are ignored); returns the unread count. */
export async function markRead(
	sql: Sql,
	userId: string,
	which: { ids: readonly string[] } | 'all'
): Promise<{ updated: number; unreadCount: number }> {
	const ids = which === 'all' ? null : which.ids.filter(isUuid);
	if (ids && ids.length === 0) return { updated: 0, unreadCount: await unreadCount(sql, userId) };
	const result = await sql`
		update notifications set read_at = now()
		where user_id = ${userId} and read_at is null
			${ids ? sql`and id = any(${ids}::uuid[])` : sql``}`;
	return { updated: result.count, unreadCount: await unreadCount(sql, userId) };
}
