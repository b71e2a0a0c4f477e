/**
 * What of an update a document does not hold. Persistence asks it after Hocuspocus applied an
 * incoming update, which Hocuspocus acknowledges even when the apply threw halfway (see
 * `messageChange` in message-change.ts). It reads only what the update names (its structs and
 * delete ranges, each looked up by binary search), so it costs in proportion to the message,
 * not the board.
 */
import * as Y from 'yjs';
import { decodeUpdateOnce, type DecodedUpdate } from '../decoded-update.ts';

/** Clocks `[from, to)` of one client's structs. */
export interface ClockRange {
	client: number;
	from: number;
	to: number;
}

export interface Lacking {
	/** Struct clocks past what the document holds. */
	structs: ClockRange[];
	/** Deleted clocks past what the document holds (content it does not have). */
	deletions: ClockRange[];
	/** Whether some content it deletes is in the document and not deleted there. */
	undeleted: boolean;
}

/** What of `update` `doc` lacks; null when the update does not decode. */
export function lacking(doc: Y.Doc, update: Uint8Array): Lacking | null {
	let decoded: DecodedUpdate;
	try {
		decoded = decodeUpdateOnce(update);
	} catch {
		return null;
	}
	const store = doc.store;
	const found: Lacking = { structs: [], deletions: [], undeleted: false };
	for (const struct of decoded.structs) {
		if (struct instanceof Y.Skip) continue;
		const { client, clock } = struct.id;
		const held = Y.getState(store, client);
		if (clock + struct.length <= held) continue;
		const from = Math.max(clock, held);
		const last = found.structs.at(-1);
		// A client's structs in an update are consecutive: one range each, unless it skips.
		if (last?.client === client && last.to === from) last.to = clock + struct.length;
		else found.structs.push({ client, from, to: clock + struct.length });
	}
	for (const [client, ranges] of decoded.ds.clients) {
		const structs = store.clients.get(client);
		const held = Y.getState(store, client);
		for (const { clock, len } of ranges) {
			// Yjs only splits a struct at an empty range.
			if (len === 0) continue;
			const end = clock + len;
			if (end > held) found.deletions.push({ client, from: Math.max(clock, held), to: end });
			if (!structs || found.undeleted) continue;
			for (
				let i = clock < held ? Y.findIndexSS(structs, clock) : structs.length;
				i < structs.length;
				i++
			) {
				const struct = structs[i]!;
				if (struct.id.clock >= end) break;
				if (!struct.deleted) {
					found.undeleted = true;
					break;
				}
			}
		}
	}
	return found;
}

/** True when the document holds all of the update. */
export const holdsAll = (found: Lacking) =>
	found.structs.length === 0 && found.deletions.length === 0 && !found.undeleted;

/**
 * The update's part past what the document holds, for each of the update's clients, and all
 * its deletions (Yjs's `diffUpdate`: bounded by the update).
 */
export function unheldPart(doc: Y.Doc, update: Uint8Array): Uint8Array {
	const held = new Map<number, number>();
	for (const struct of decodeUpdateOnce(update).structs) {
		const { client } = struct.id;
		if (!held.has(client)) held.set(client, Y.getState(doc.store, client));
	}
	return Y.diffUpdate(update, Y.encodeStateVector(held));
}

/**
 * Whether `transaction` changed `doc`, by Yjs's own rule for emitting its update (a deletion,
 * or a client's clock moving on), read against the store now rather than the transaction's
 * `afterState`, which Yjs fills only if it cleans the transaction up. In proportion to the
 * document's clients; asked only of transactions whose update did not arrive.
 */
export function integratedAny(transaction: Y.Transaction, doc: Y.Doc): boolean {
	if (transaction.deleteSet.clients.size > 0) return true;
	const { beforeState } = transaction;
	for (const client of doc.store.clients.keys()) {
		if (Y.getState(doc.store, client) > (beforeState.get(client) ?? 0)) return true;
	}
	return false;
}
