/** Query strings and bodies of the admin console's endpoints (`/api/v1/admin/*`). */
import { z } from 'zod';
import { isUuid } from '../boards.ts';
import { decodeCursor } from '../events/ids.ts';
import { eventPageQuery, signupBody } from './schemas.ts';

const foreignCursor = 'This cursor was not issued by this listing; start from the first page.';

/** `?q=&limit=&cursor=` of the admin user and board listings (newest first). */
export const adminListQuery = eventPageQuery.extend({
	// Admin listings page by (created_at, id); any other cursor was not issued here.
	cursor: eventPageQuery.shape.cursor.refine((cursor) => {
		const position = cursor ? decodeCursor(cursor) : null;
		return !position || isUuid(position.key);
	}, foreignCursor),
	q: z
		.string()
		.trim()
		.max(200, 'Search for at most 200 characters.')
		.optional()
		.describe('Case-insensitive search: part of a name or email (users), of a title (boards).')
});
export type AdminListQuery = z.infer<typeof adminListQuery>;

export const transferOwnerBody = z
	.strictObject({
		userId: z
			.string()
			.refine(isUuid, 'Name the new owner by user id.')
			.optional()
			.describe('The account that becomes an owner; it must exist and not be disabled.'),
		email: z
			.string()
			.trim()
			.max(255, 'An email address is at most 255 characters.')
			.optional()
			.describe('Or the account, by its email address (case-insensitive).')
	})
	.refine((body) => (body.userId === undefined) !== (body.email === undefined), {
		message: 'Name the new owner by user id or by email address (one of the two).',
		path: ['userId']
	});

/** The form of `/reset-password/[token]`: the same password rules as signing up. */
export const resetPasswordForm = z
	.object({ password: signupBody.shape.password, confirm: z.string() })
	.refine((form) => form.password === form.confirm, {
		message: 'The two passwords differ.',
		path: ['confirm']
	});

const day = /^\d{4}-\d{2}-\d{2}$/;
const instantMessage = 'Give a date (2026-01-31) or an ISO 8601 time with a zone.';
/**
 * Years 1 to 9998: PostgreSQL has no year 0, and a `to` of 9999-12-31 would become year 10000,
 * whose ISO form (+010000-…) also sorts before every other as text.
 */
function inRange(ms: number): boolean {
	if (!Number.isFinite(ms)) return false;
	const year = new Date(ms).getUTCFullYear();
	return year >= 1 && year <= 9998;
}

/** A bare date is a whole UTC day: `from` its start, `to` its end (the next day's start). */
const instant = (edge: 'from' | 'to') =>
	z
		.string()
		.trim()
		.refine(
			(text) =>
				(day.test(text) || /[zZ]|[+-]\d{2}:?\d{2}$/.test(text)) && inRange(Date.parse(text)),
			instantMessage
		)
		.transform((text) => {
			const at = new Date(Date.parse(text));
			if (day.test(text) && edge === 'to') at.setUTCDate(at.getUTCDate() + 1);
			return at.toISOString();
		})
		.optional();

/**
 * `GET /api/v1/admin/events`: filters of the workspace's audit log, newest first. Unknown
 * parameters are refused: a misspelt filter (`board=` for `boardId=`) answered the whole
 * unfiltered log, which looks like a filtered one.
 */
export const adminEventsQuery = z
	.strictObject({
		...eventPageQuery.shape,
		actor: z
			.string()
			.trim()
			.max(254, 'Name the actor by user id or email (at most 254 characters).')
			.refine(
				(text) => text === '' || isUuid(text) || text.includes('@'),
				'Name the actor by user id or email.'
			)
			.optional()
			.describe('The user who acted: a user id, or an email address (case-insensitive).'),
		type: z
			.string()
			.trim()
			.regex(/^[a-z_]+\.[a-z_]+$/, 'Event types look like `task.created`.')
			.optional()
			.describe('One event type, e.g. `user.logged_in`, `token.created`.'),
		boardId: z
			.string()
			.trim()
			.refine(isUuid, 'Give a board id.')
			.optional()
			.describe('Only events of this board.'),
		from: instant('from').describe(
			'Events at or after this time; a date alone means from the start of that day (UTC).'
		),
		to: instant('to').describe(
			'Events before this time; a date alone includes that whole day (UTC).'
		)
	})
	.refine((q) => !q.from || !q.to || q.from < q.to, {
		message: 'The end of the period must be after its start.',
		path: ['to']
	});
export type AdminEventsQuery = z.infer<typeof adminEventsQuery>;
