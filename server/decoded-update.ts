/**
 * One decode per incoming update. The board guard checks an update's structs and deletions,
 * and persistence asks whether it adds anything: both read the same message in the same
 * `beforeSync` round (Hocuspocus hands every extension the same payload object), so the
 * decoded form is kept for that object and read-only everywhere.
 */
import * as Y from 'yjs';

export type DecodedUpdate = ReturnType<typeof Y.decodeUpdate>;

const decoded = new WeakMap<Uint8Array, DecodedUpdate>();

/** Throws what `Y.decodeUpdate` throws for bytes that do not decode. */
export function decodeUpdateOnce(update: Uint8Array): DecodedUpdate {
	let result = decoded.get(update);
	if (!result) {
		result = Y.decodeUpdate(update);
		decoded.set(update, result);
	}
	return result;
}
