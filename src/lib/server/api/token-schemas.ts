import { z } from 'zod';
import { controlCharacters, hasVisibleText } from '../../domain/visible-text.ts';
import { tokenScopes, type TokenScope } from '../auth/api-tokens.ts';

export const createTokenBody = z.strictObject({
	name: z
		.string({ error: 'Name the token.' })
		.trim()
		.min(1, 'Name the token.')
		.max(100, 'Use at most 100 characters.')
		// Shown in lists and the audit log on one line, as other names are.
		.refine(hasVisibleText, 'Name the token.')
		.refine((name) => !controlCharacters.test(name), 'Use one line, without tabs.'),
	scope: z.enum(tokenScopes as [TokenScope, ...TokenScope[]], {
		error: `Choose ${tokenScopes.join(' or ')}.`
	}),
	expiresAt: z.iso
		.datetime({ offset: true, error: 'Use an ISO 8601 date-time, e.g. 2027-01-31T00:00:00Z.' })
		.refine((v) => Date.parse(v) > Date.now(), 'The expiry must be in the future.')
		.nullable()
		.optional()
		.describe('When the token stops working; null or absent: never.')
});
