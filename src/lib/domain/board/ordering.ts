/**
 * Placing an item at a position in a ranked list. Usually only the new item gets a rank, but
 * neighbours can leave no room: concurrent inserts may share a rank, and a hostile client may
 * write malformed ranks. Then the fewest neighbours around the position are re-ranked as well.
 */
import { DomainError } from './errors.ts';
import { canRankBetween, rankBetween } from './rank.ts';

/** The rank for a new item plus any neighbours that must move to make room for it. */
export interface InsertPlan {
	rank: string;
	/** Indexes into the list given to `planInsert`, with their new ranks. */
	reranked: { index: number; rank: string }[];
}

/** `count` ascending ranks strictly between `low` and `high` (which must leave room). */
export function ranksBetween(low: string | null, high: string | null, count: number): string[] {
	if (count <= 0) return [];
	const middle = rankBetween(low, high);
	const before = Math.floor((count - 1) / 2);
	return [
		...ranksBetween(low, middle, before),
		middle,
		...ranksBetween(middle, high, count - 1 - before)
	];
}

/**
 * Where to rank an item inserted at `index` of `ranks` (sorted ascending, the item itself not
 * among them), widening the re-ranked window until its bounds leave room.
 */
export function planInsert(ranks: readonly string[], index: number): InsertPlan {
	let start = index;
	let end = index;
	const bound = (i: number) => (i >= 0 && i < ranks.length ? (ranks[i] as string) : null);
	while (!canRankBetween(bound(start - 1), bound(end))) {
		const low = bound(start - 1);
		const high = bound(end);
		if (low !== null && !canRankBetween(low, null)) start--;
		else if (high !== null && !canRankBetween(null, high) && !canRankBetween(high, null)) end++;
		else if (end < ranks.length) end++;
		else start--;
	}
	const fresh = ranksBetween(bound(start - 1), bound(end), end - start + 1);
	const offset = index - start;
	const reranked = [];
	for (let i = start; i < end; i++) {
		const slot = i < index ? i - start : i - start + 1;
		reranked.push({ index: i, rank: fresh[slot] as string });
	}
	return { rank: fresh[offset] as string, reranked };
}

/** Names of the two anchor fields, used to point an error at the right input. */
export interface AnchorFields {
	after: string;
	before: string;
}

/**
 * The insertion index for "after `after`" and/or "before `before`" among `ids` (which excludes
 * the item being placed). With neither anchor the item goes last; with both they must be
 * neighbours, so a stale view is refused rather than guessed at.
 */
export function anchorIndex(
	ids: readonly string[],
	after: string | null | undefined,
	before: string | null | undefined,
	fields: AnchorFields
): number {
	const afterIndex = anchor(ids, after, fields.after);
	const beforeIndex = anchor(ids, before, fields.before);
	if (afterIndex === null && beforeIndex === null) return ids.length;
	if (afterIndex === null) return beforeIndex as number;
	if (beforeIndex !== null && beforeIndex !== afterIndex + 1) {
		throw new DomainError(
			'invalid_position',
			'The two neighbours are not next to each other.',
			fields.before
		);
	}
	return afterIndex + 1;
}

function anchor(ids: readonly string[], id: unknown, field: string): number | null {
	if (id === undefined || id === null) return null;
	const index = typeof id === 'string' ? ids.indexOf(id) : -1;
	if (index < 0) {
		throw new DomainError('invalid_position', 'That neighbour is not in this list.', field);
	}
	return index;
}
