/**
 * What a Yjs store holds back: structs whose predecessors it has not seen, and deletions of
 * content it does not have (both kept as V2 updates until what they need arrives). An incoming
 * update that leaves something waiting is not all in its transaction's update, so the log must
 * take the waiting part too; an update that neither integrated nor waits did not apply.
 */
import * as Y from 'yjs';
import { sameBytes } from '../same-bytes.ts';
import type { ClockRange } from './update-coverage.ts';

export interface PendingParts {
	structs: Uint8Array | null;
	ds: Uint8Array | null;
}

/** The store's waiting parts now. Yjs replaces these arrays, it never changes one in place. */
export function pendingParts({ store }: Y.Doc): PendingParts {
	return { structs: store.pendingStructs?.update ?? null, ds: store.pendingDs };
}

/** The waiting parts as V1 updates (what the log and the socket speak). */
export function pendingUpdates(parts: PendingParts): Uint8Array[] {
	return [parts.structs, parts.ds]
		.filter((part): part is Uint8Array => part !== null)
		.map((part) => Y.convertUpdateFormatV2ToV1(part));
}

/**
 * Whether two readings hold the same parts. By content: Yjs re-derives the waiting deletions on
 * every apply while any wait, and re-merges the waiting structs with any that wait again, so an
 * array that is new need not hold anything new.
 */
export const samePending = (a: PendingParts, b: PendingParts) =>
	sameBytes(a.structs, b.structs) && sameBytes(a.ds, b.ds);

/** Clock spans per client, in order. */
type Spans = Map<number, [number, number][]>;

function addSpan(spans: Spans, client: number, from: number, to: number): void {
	let list = spans.get(client);
	if (!list) spans.set(client, (list = []));
	list.push([from, to]);
}

/** Whether `spans` cover every range (each client's spans sorted by start). */
const covers = (spans: Spans, ranges: readonly ClockRange[]) =>
	ranges.every(({ client, from, to }) => {
		let covered = from;
		for (const [start, end] of spans.get(client) ?? []) {
			if (start > covered) break;
			covered = Math.max(covered, end);
		}
		return covered >= to;
	});

const sorted = (spans: Spans) => {
	for (const list of spans.values()) list.sort((a, b) => a[0] - b[0]);
	return spans;
};

/**
 * Whether the store's waiting parts hold every struct and deletion range given. Decodes them:
 * in proportion to what waits, which Yjs itself merges or re-derives on every apply while
 * anything does.
 */
export function waitingHolds(
	doc: Y.Doc,
	structs: readonly ClockRange[],
	deletions: readonly ClockRange[]
): boolean {
	const { pendingStructs, pendingDs } = doc.store;
	if (structs.length > 0) {
		if (!pendingStructs) return false;
		const spans: Spans = new Map();
		for (const struct of Y.decodeUpdateV2(pendingStructs.update).structs) {
			if (struct instanceof Y.Skip) continue;
			addSpan(spans, struct.id.client, struct.id.clock, struct.id.clock + struct.length);
		}
		if (!covers(sorted(spans), structs)) return false;
	}
	if (deletions.length > 0) {
		if (!pendingDs) return false;
		const spans: Spans = new Map();
		for (const [client, ranges] of Y.decodeUpdateV2(pendingDs).ds.clients) {
			for (const { clock, len } of ranges) addSpan(spans, client, clock, clock + len);
		}
		if (!covers(sorted(spans), deletions)) return false;
	}
	return true;
}
