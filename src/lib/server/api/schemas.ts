/** Request bodies of /api/v1, validated with zod; one definition per body. */
import { z } from 'zod';
import { maxTitleLength } from '../../domain/board/schema.ts';
import { controlCharacters, hasVisibleText } from '../../domain/visible-text.ts';
import { boardRoles } from '../../domain/policy.ts';
import { maxPasswordLength, minPasswordLength, passwordProblem } from '../auth/password.ts';
import { isUuid } from '../boards.ts';
import { decodeCursor } from '../events/ids.ts';

const email = z
	.string({ error: 'Enter an email address.' })
	.trim()
	.max(254, 'Use at most 254 characters.')
	.pipe(z.email({ error: 'Enter a valid email address.' }));

// The board document's own title check (validateTitle) makes the same checks; checking here makes
// the refusal a field error before a board row or document exists.

export const boardTitle = z
	.string({ error: 'Enter a title.' })
	.trim()
	.min(1, 'Enter a title.')
	.refine(hasVisibleText, 'Enter a title.')
	// zod counts code points; the document's check (and `maxTitleLength`) counts UTF-16 units.
	.refine((title) => title.length <= maxTitleLength, `Use at most ${maxTitleLength} characters.`)
	.refine((title) => !controlCharacters.test(title), 'Use one line, without tabs.')
	.describe(`One line of at most ${maxTitleLength} characters (UTF-16 code units).`);

export const signupBody = z.strictObject({
	name: z
		.string({ error: 'Enter your name.' })
		.trim()
		.min(1, 'Enter your name.')
		.refine(hasVisibleText, 'Enter your name.')
		.refine((name) => name.length <= 100, 'Use at most 100 characters.'),
	email,
	password: z
		.string({ error: 'Enter a password.' })
		.superRefine((password, ctx) => {
			const problem = passwordProblem(password);
			if (problem) ctx.addIssue({ code: 'custom', message: problem });
		})
		.describe(
			`${minPasswordLength} to ${maxPasswordLength} characters; common passwords are refused.`
		)
});

export const loginBody = z.strictObject({
	email: z.string({ error: 'Enter your email.' }).trim().min(1, 'Enter your email.').max(254),
	password: z
		.string({ error: 'Enter your password.' })
		.min(1, 'Enter your password.')
		.max(maxPasswordLength)
});

export const createBoardBody = z.strictObject({ title: boardTitle });
export const updateBoardBody = z.strictObject({ title: boardTitle });
export const duplicateBoardBody = z.strictObject({
	title: boardTitle
		.optional()
		.describe('The copy’s title; by default the source’s, marked “(copy)”.')
});

/** `POST /boards/:id/versions`: the name of the board's current state. */
export const createVersionBody = z.strictObject({
	name: z
		.string({ error: 'Enter a name.' })
		.trim()
		.min(1, 'Enter a name.')
		.refine(hasVisibleText, 'Enter a name.')
		.refine((name) => name.length <= 100, 'Use at most 100 characters.')
		.refine((name) => !controlCharacters.test(name), 'Use one line, without tabs.')
});

const role = z.enum(boardRoles as [string, ...string[]], {
	error: `Choose one of ${boardRoles.join(', ')}.`
}) as unknown as z.ZodType<(typeof boardRoles)[number]>;

export const addMemberBody = z.strictObject({ email, role });
export const updateMemberBody = z.strictObject({ role });

export const adminUpdateUserBody = z
	.strictObject({
		disabled: z.boolean().optional().describe('true ends the account’s sessions at once.'),
		role: z.enum(['user', 'admin']).optional()
	})
	.refine((b) => b.disabled !== undefined || b.role !== undefined, 'Send disabled or role.');

export const defaultPageSize = 50;
export const maxPageSize = 200;
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

/** `?limit=&cursor=` of the lists paged by (created_at, id): boards, members, tokens. */
export const listPageQuery = z.strictObject({
	limit: eventPageQuery.shape.limit,
	cursor: eventPageQuery.shape.cursor.refine((cursor) => {
		const position = cursor ? decodeCursor(cursor) : null;
		return !position || isUuid(position.key);
	}, 'This cursor was not issued by this listing; start from the first page.')
});
export type ListPageQuery = z.infer<typeof listPageQuery>;

/** `?limit=&cursor=` of the lists with the task list's cursor (boards, members, columns). */
export const keysetPageQuery = z.strictObject({
	limit: eventPageQuery.shape.limit,
	cursor: z.string().min(1).max(2000).optional().describe('`nextCursor` of the previous page.')
});
export type KeysetPageQuery = z.infer<typeof keysetPageQuery>;
