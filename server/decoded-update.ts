/**
 * One decode per incoming update. The board guard checks an update's structs and deletions
 * before it is applied, and persistence checks after the apply that all of it is in: both read
 * the payload object Hocuspocus hands every extension's `beforeSync`, so the decoded form is
 * kept for that object and read-only everywhere.
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
