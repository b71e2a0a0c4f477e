/**
 * Reading a whole paged API list from the browser: the API's lists answer `{ items, nextCursor }`
 * pages, and a page that shows the whole list (a board's members) follows the cursors to the end.
 */
export interface Page<T> {
	items: T[];
	nextCursor: string | null;
}

/** The largest page the API's lists serve. */
export const maxPageSize = 200;

/**
 * Every item of the list at `path` (no query string), page after page; null when a page fails
 * (the caller keeps what it showed).
 */
export async function readAllPages<T>(
	path: string,
	fetchPage: typeof fetch = fetch
): Promise<T[] | null> {
	const items: T[] = [];
	let cursor: string | null = null;
	do {
		const query = new URLSearchParams({ limit: String(maxPageSize) });
		if (cursor) query.set('cursor', cursor);
		const response = await fetchPage(`${path}?${query}`, {
			headers: { accept: 'application/json' }
		});
		if (!response.ok) return null;
		const page = (await response.json()) as Page<T>;
		items.push(...page.items);
		cursor = page.nextCursor;
	} while (cursor !== null);
	return items;
}
