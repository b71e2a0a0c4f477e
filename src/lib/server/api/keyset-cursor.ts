/**
 * The keyset cursor of the task and column lists: the last item's sort key as text (so
 * timestamps keep their microseconds), bound to the sort it was made for and to the board whose
 * list it pages (`of`), base64url JSON. Without the board, a cursor of one board's list was
 * taken by another's, whose pages then silently skipped cards.
 */
import { ApiError } from '../http/problem.ts';
import type { SortKey } from './task-list-query.ts';

/** What each key type's text looks like, so a tampered cursor is refused rather than failing. */
const keyFormats: Record<SortKey['type'], { test(value: string): boolean }> = {
	// Any text but NUL, which PostgreSQL text cannot hold.
	text: { test: (value: string) => value.length <= 1100 && !value.includes('\u0000') },
	timestamptz: /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}(\.\d{1,6})?[+-]\d{2}(:\d{2})?$/,
	date: /^(\d{4}-\d{2}-\d{2}|infinity)$/,
	int: /^-?\d{1,9}$/,
	uuid: /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i
};

interface Cursor {
	sort: string;
	key: string[];
	/** The board whose list this pages, for lists of one board. */
	of?: string;
}

export function encodeCursor(cursor: Cursor): string {
	return Buffer.from(JSON.stringify(cursor)).toString('base64url');
}

export function decodeCursor(
	raw: string,
	sort: string,
	keys: Pick<SortKey, 'type'>[],
	of?: string
): string[] {
	try {
		const value = JSON.parse(Buffer.from(raw, 'base64url').toString('utf8')) as Cursor;
		if (
			value.sort === sort &&
			value.of === of &&
			Array.isArray(value.key) &&
			value.key.length === keys.length &&
			value.key.every((part, i) => typeof part === 'string' && keyFormats[keys[i]!.type].test(part))
		) {
			return value.key;
		}
	} catch {
		// fall through
	}
	const message = 'This cursor does not belong to this listing; start from the first page.';
	throw new ApiError(422, message, { errors: { cursor: message } });
}
