/** Request bodies and query parameters of the notification and broadcast endpoints. */
import { z } from 'zod';
import { controlCharacters, hasVisibleText } from '../../domain/visible-text.ts';
import { isUuid } from '../boards.ts';
import { decodeCursor } from '../events/ids.ts';
import { eventPageQuery } from './schemas.ts';

/** `?limit=&cursor=&unread=` of the notification list. */
export const notificationPageQuery = eventPageQuery.extend({
	// Notification cursors end in a notification id; anything else was not issued here.
	cursor: eventPageQuery.shape.cursor.refine((cursor) => {
		const position = cursor ? decodeCursor(cursor) : null;
		return !position || isUuid(position.key);
	}, 'This cursor was not issued by this API; start from the first page.'),
	unread: z
		.enum(['true', 'false'], { error: 'Use unread=true or unread=false.' })
		.optional()
		.describe('`true` lists only unread notifications.')
});

export const markReadBody = z.union(
	[
		z.strictObject({
			ids: z
				.array(z.uuid({ error: 'Each id must be a notification id.' }))
				.min(1)
				.max(200)
		}),
		z.strictObject({ all: z.literal(true) })
	],
	{ error: 'Send {"ids": [...]} (1 to 200 notification ids) or {"all": true}.' }
);

export const broadcastBody = z.strictObject({
	title: z
		.string({ error: 'Give the message a title.' })
		.trim()
		.min(1, 'Give the message a title.')
		.refine(hasVisibleText, 'Give the message a title.')
		.refine((title) => title.length <= 200, 'Keep the title to 200 characters.')
		.refine((title) => !controlCharacters.test(title), 'Use one line, without tabs.'),
	body: z.string().trim().max(5000, 'Keep the message to 5,000 characters.').default('')
});
