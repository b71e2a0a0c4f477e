/** Finding cards by title for the board's "Find card" field. Pure: reads only the view. */
import type { ColumnView } from '$lib/domain/board';

/** A card whose title matches, with the column it is in. */
export interface CardMatch {
	id: string;
	title: string;
	columnTitle: string;
}

/** How many matches the list offers: enough to choose from, few enough to read out. */
export const matchLimit = 20;

/**
 * Cards whose title contains `query` (ignoring case and surrounding spaces): exact titles
 * first, then titles that start with it, then the rest, each in board order.
 */
export function matchCards(
	columns: readonly ColumnView[],
	query: string,
	limit = matchLimit
): CardMatch[] {
	const needle = query.trim().toLocaleLowerCase();
	if (needle === '') return [];
	const ranked: CardMatch[][] = [[], [], []];
	for (const column of columns) {
		for (const task of column.tasks) {
			const title = task.title.toLocaleLowerCase();
			const at = title.indexOf(needle);
			if (at < 0) continue;
			const rank = title === needle ? 0 : at === 0 ? 1 : 2;
			const bucket = ranked[rank] as CardMatch[];
			// Later buckets only fill what the earlier ones leave, so they can stop early.
			if (bucket.length < limit) {
				bucket.push({ id: task.id, title: task.title, columnTitle: column.title });
			}
		}
	}
	return ranked.flat().slice(0, limit);
}
