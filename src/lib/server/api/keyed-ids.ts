/**
 * Ids for what an `Idempotency-Key` request creates, the same on every attempt of that request,
 * so an attempt can tell that an earlier one already made its cards or column: that attempt's
 * change was committed but its answer was lost (the database went away before the key's
 * response was stored, or the process died), and its reservation was released or lapsed.
 * Without them the retry would create everything a second time. They come from the key's random
 * seed (`idempotency_keys.seed`), not from the key: keys can be guessed, and a board's other
 * editors must not be able to place a card under an id a request will take.
 */
import { createHash } from 'node:crypto';
import type * as Y from 'yjs';
import { ApiError } from '../http/problem.ts';
import { AbortChange } from './board-writes.ts';

export interface KeyedIds {
	/** The next id, in the order the change asks for them (`OpContext.newId`). */
	newId(): string;
	/** The `n`th id the change asks for (0-based), whether or not it was asked yet. */
	nth(n: number): string;
}

/** `seed` is the key's (the same for every attempt of one request). */
export function keyedIds(seed: string): KeyedIds {
	let next = 0;
	const nth = (n: number) => uuidFrom(createHash('sha256').update(`${seed}\n${n}`).digest());
	return { nth, newId: () => nth(next++) };
}

/**
 * The ids of the `count` entries an earlier attempt created in `map` (tasks or columns), or null
 * when it created none. A change is one document transaction, so it made all or none; some but
 * not all (a version restored since took the others away) is answered with a 409.
 */
export function createdEarlier(
	ids: KeyedIds | null,
	map: Y.Map<unknown>,
	count = 1
): string[] | null {
	if (!ids || count === 0) return null;
	const made = Array.from({ length: count }, (_, n) => ids.nth(n));
	const found = made.filter((id) => map.has(id)).length;
	if (found === 0) return null;
	if (found === count) return made;
	throw new AbortChange(
		new ApiError(
			409,
			"Only some of what this request's first attempt created is still on the board; send it with a new Idempotency-Key."
		)
	);
}

/** An RFC 9562 version 8 (custom) UUID from the first 16 bytes of a hash. */
function uuidFrom(digest: Buffer): string {
	const bytes = Buffer.from(digest.subarray(0, 16));
	bytes[6] = (bytes[6]! & 0x0f) | 0x80;
	bytes[8] = (bytes[8]! & 0x3f) | 0x80;
	const hex = bytes.toString('hex');
	return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
