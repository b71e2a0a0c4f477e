/**
 * What a Yjs store holds back: structs whose predecessors it has not seen, and deletions of
 * content it does not have (both kept as V2 updates until what they need arrives). An incoming
 * update that leaves something waiting is not all in its transaction's update, so the log must
 * take the waiting parts too; an update that neither integrated nor waits did not apply.
 */
import * as Y from 'yjs';

export interface PendingParts {
	structs: Uint8Array | null;
	ds: Uint8Array | null;
}

/** The store's waiting parts now. Yjs replaces these arrays, it never changes one in place. */
export function pendingParts({ store }: Y.Doc): PendingParts {
	return { structs: store.pendingStructs?.update ?? null, ds: store.pendingDs };
}

export const nothingPending = (parts: PendingParts) => parts.structs === null && parts.ds === null;

const sameBytes = (a: Uint8Array | null, b: Uint8Array | null) =>
	a === b ||
	(a !== null && b !== null && a.length === b.length && a.every((byte, i) => byte === b[i]));

/**
 * Whether two readings hold the same parts. By content: Yjs re-derives the waiting deletions on
 * every apply while any wait, so an array that is new need not hold anything new.
 */
export const samePending = (a: PendingParts, b: PendingParts) =>
	sameBytes(a.structs, b.structs) && sameBytes(a.ds, b.ds);

/** The waiting parts as V1 updates (what the log and the socket speak). */
export function pendingUpdates(parts: PendingParts): Uint8Array[] {
	return [parts.structs, parts.ds]
		.filter((part): part is Uint8Array => part !== null)
		.map((part) => Y.convertUpdateFormatV2ToV1(part));
}
