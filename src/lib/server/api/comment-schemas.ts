/** Request bodies and query parameters of the comment endpoints. */
import { z } from 'zod';
import { maxCommentLength } from '../../api/comments.ts';
import { hasVisibleText } from '../../domain/visible-text.ts';
import { decodeCursor } from '../events/ids.ts';
import { eventPageQuery } from './schemas.ts';

export const commentBody = z.strictObject({
	body: z
		.string({ error: 'Write the comment as text in `body`.' })
		.refine(hasVisibleText, 'Write something before posting the comment.')
		.refine(
			(body) => body.length <= maxCommentLength,
			`Keep a comment to ${maxCommentLength.toLocaleString('en')} characters.`
		)
		.describe(`Markdown (a safe subset), 1 to ${maxCommentLength} characters.`)
});

/** `?limit=&cursor=` of a card's comments (oldest first). */
export const commentPageQuery = eventPageQuery.extend({
	// Comment cursors end in a comment's sequence number; anything else was not issued here.
	cursor: eventPageQuery.shape.cursor.refine((cursor) => {
		const position = cursor ? decodeCursor(cursor) : null;
		return !position || /^\d{1,18}$/.test(position.key);
	}, 'This cursor was not issued by this API; start from the first page.')
});
