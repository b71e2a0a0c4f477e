/**
 * Keyset paging of the admin listings: newest first by (created_at, id). The cursor carries the
 * last row's time as text with its microseconds (a JS Date would round them off, and rows
 * created in one statement share a time), so pages neither repeat nor skip rows.
 */
import type { Queryable } from '../db/client.ts';
import { decodeCursor, encodeCursor } from '../events/ids.ts';

/** SQL text of a `created_at` that keeps its microseconds and parses back exactly. */
export const cursorTime = (sql: Queryable, column: string) =>
	sql`to_char(${sql(column)} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;

/** `where` clause of the page after `cursor` (already checked by the query schema). */
export function afterCursor(sql: Queryable, table: string, cursor: string | undefined) {
	const position = cursor ? decodeCursor(cursor) : null;
	if (!position) return sql`true`;
	// `::text` first: a parameter the server types as timestamptz is serialised by the client
	// through a JS Date, which would drop the microseconds again.
	return sql`(${sql(table)}.created_at, ${sql(table)}.id) < (${position.createdAt}::text::timestamptz, ${position.key}::uuid)`;
}

/** A LIKE pattern matching `text` anywhere, with its wildcards taken literally. */
export function containsPattern(text: string): string {
	return `%${text.replace(/[\\%_]/g, '\\$&')}%`;
}

/** Splits the extra row fetched to learn whether another page follows. */
export function pageOf<R extends { cursor_time: string; id: string }, T>(
	rows: R[],
	limit: number,
	toDto: (row: R) => T
): { items: T[]; nextCursor: string | null } {
	const more = rows.length > limit;
	const page = more ? rows.slice(0, limit) : rows;
	const last = page.at(-1);
	return {
		items: page.map(toDto),
		nextCursor: more && last ? encodeCursor({ createdAt: last.cursor_time, key: last.id }) : null
	};
}
