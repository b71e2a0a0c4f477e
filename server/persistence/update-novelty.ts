/**
 * Whether a document holds all of an update. Persistence asks it after Hocuspocus applied an
 * incoming update, which Hocuspocus acknowledges even when the apply threw halfway (see
 * `Persistence.#changeOf`). The check reads only what the update names (its structs and delete
 * ranges, each looked up by binary search), so it costs in proportion to the message, not to
 * the board.
 */
import * as Y from 'yjs';
import { decodeUpdateOnce, type DecodedUpdate } from '../decoded-update.ts';

/**
 * True when applying `update` to `doc` can change nothing: every struct it carries is already
 * integrated and every range it deletes is already deleted. Anything it cannot prove (an
 * undecodable update, content the document lacks) counts as not held.
 */
export function changesNothing(doc: Y.Doc, update: Uint8Array): boolean {
	let decoded: DecodedUpdate;
	try {
		decoded = decodeUpdateOnce(update);
	} catch {
		return false;
	}
	const store = doc.store;
	for (const struct of decoded.structs) {
		if (struct instanceof Y.Skip) continue;
		const { client, clock } = struct.id;
		if (clock + struct.length > Y.getState(store, client)) return false;
	}
	for (const [client, ranges] of decoded.ds.clients) {
		const structs = store.clients.get(client);
		if (!structs) {
			if (ranges.some((range) => range.len > 0)) return false;
			continue;
		}
		const known = Y.getState(store, client);
		for (const { clock, len } of ranges) {
			if (len === 0) continue;
			if (clock + len > known) return false;
			const end = clock + len;
			for (let i = Y.findIndexSS(structs, clock); i < structs.length; i++) {
				const struct = structs[i]!;
				if (struct.id.clock >= end) break;
				if (!struct.deleted) return false;
			}
		}
	}
	return true;
}
