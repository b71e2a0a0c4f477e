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

export const transferOwnerBody = z.object({
	userId: z
		.string({ error: 'Name the new owner by user id.' })
		.refine(isUuid, 'Name the new owner by user id.')
		.describe('The account that becomes an owner; it must exist and not be disabled.')
});

/** The form of `/reset-password/[token]`: the same password rules as signing up. */
export const resetPasswordForm = z
	.object({ password: signupBody.shape.password, confirm: z.string() })
	.refine((form) => form.password === form.confirm, {
		message: 'The two passwords differ.',
		path: ['confirm']
	});
