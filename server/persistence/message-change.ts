/**
 * How a connection's message ends once Hocuspocus has applied it (or given up on it): what it
 * changed, for the log, and whether its sender is closed instead of acknowledged. Persistence
 * collects the message's transactions and updates as it applies (`MessageApply`) and decides
 * here; it keeps the log, the acknowledgements and the board's connections.
 */
import * as Y from 'yjs';
import { RefusedUpdate } from '../board-guard/refusal.ts';
import { missedUpdate, stuck } from './listener-fault.ts';
import {
	pendingParts,
	pendingUpdates,
	samePending,
	waitingHolds,
	type PendingParts
} from './pending-parts.ts';
import { holdsAll, lacking, unheldPart } from './update-coverage.ts';

/** What a message's apply left behind, collected from the document's events as it ran. */
export interface MessageApply {
	payload: Uint8Array;
	/** The store's waiting parts when its apply began (null until then). */
	pending: PendingParts | null;
	/** The updates of its transactions (one: Hocuspocus applies a message in one). */
	integrated: Uint8Array[];
	/** Its transactions, as they began, and those whose update reached Persistence's listener. */
	transactions: Y.Transaction[];
	seen: Set<Y.Transaction>;
}

/** A close instead of an acknowledgement, and why. */
export interface Close {
	code: number;
	reason: string;
	detail: string;
}

/** Our own failure reading an update: the sender reconnects and sends it again. */
export const serverError: Close = {
	code: 1011,
	reason: 'server-error',
	detail: 'reading it failed'
};

const refusal = (detail: string): Close => {
	const { code, reason } = new RefusedUpdate(detail);
	return { code, reason, detail };
};

/**
 * The board around the message (one per loaded board): its document, its error log, and its
 * mending after a fault.
 */
export interface MessageBoard {
	readonly doc: Y.Doc;
	/** Logs one of our own failures (never the sender's). */
	error(message: string, error?: unknown): void;
	/** Unsticks the board after a listener fault and closes its connections (they resync). */
	recover(): void;
}

/**
 * What a message changed: its transaction's update, which is what integrated (a repeat of what
 * the board has — a reconnecting client's step 2, a reloaded tab's stored state — raises none
 * and writes no row). Hocuspocus acknowledges even an update whose apply threw halfway
 * (y-protocols only prints the error), so an answered payload is checked against the document
 * (with Guard's decode, by binary search: in proportion to the message). What is not in must be
 * waiting for content the server lacks (Yjs holds such parts back, and a transaction's update
 * does not carry them): then the payload's part that is not in goes to the log too, unless all
 * of it was waiting already (a client echoing what the server sent it, waiting parts included).
 * Otherwise the update did not apply: it is refused, and what of it did integrate is logged all
 * the same. `answered`: Hocuspocus applied it and is acknowledging it.
 */
export function messageChange(
	message: MessageApply,
	answered: boolean,
	board: MessageBoard
): { update: Uint8Array | null; close: Close | null } {
	const { integrated, payload } = message;
	const { doc } = board;
	let update = integrated[0] ?? null;
	let close: Close | null = null;
	try {
		if (integrated.length > 1) update = Y.mergeUpdates(integrated);
		const missed = missedPart(message, board);
		if (missed) update = update ? Y.mergeUpdates([update, missed]) : missed;
		if (missed || stuck(doc)) {
			board.recover();
			close = serverError;
			return { update: withWaiting(message, update, board), close };
		}
		if (!answered) return { update, close };
		const found = lacking(doc, payload);
		if (!found) {
			// The guard decoded it before the apply.
			close = refusal('it does not decode');
		} else if (holdsAll(found)) {
			return { update, close };
		} else if (found.undeleted || !waitingHolds(doc, found.structs, found.deletions)) {
			close = refusal('it does not apply to this board');
		} else {
			if (message.pending && samePending(message.pending, pendingParts(doc))) {
				return { update, close };
			}
			const unheld = unheldPart(doc, payload);
			return { update: update ? Y.mergeUpdates([update, unheld]) : unheld, close };
		}
	} catch (error) {
		board.error('reading an update failed', error);
		close = serverError;
	}
	return { update: withWaiting(message, update, board), close };
}

/**
 * What the message's transactions changed without their update reaching Persistence's listener
 * (an `update` listener before it threw: see listener-fault.ts; y-protocols swallows the error
 * and Hocuspocus acknowledges), or null.
 */
function missedPart(message: MessageApply, board: MessageBoard): Uint8Array | null {
	const { transactions, seen } = message;
	const { doc } = board;
	const missed: Uint8Array[] = [];
	for (const transaction of transactions) {
		const update = seen.has(transaction) ? null : missedUpdate(transaction, doc);
		if (update) missed.push(update);
	}
	if (missed.length === 0) return null;
	board.error(
		'an update listener failed before the log saw the update; logging it from the document'
	);
	return Y.mergeUpdates(missed);
}

/**
 * A message closed instead of acknowledged may still have left parts waiting in the store: they
 * are logged with what integrated (all that waits, as it is rare), or a client sending them
 * again would find them waiting, and be acknowledged without a row.
 */
function withWaiting(
	message: MessageApply,
	update: Uint8Array | null,
	board: MessageBoard
): Uint8Array | null {
	try {
		const now = pendingParts(board.doc);
		if (message.pending && samePending(message.pending, now)) return update;
		const parts = [...(update ? [update] : []), ...pendingUpdates(now)];
		return parts.length === 0 ? null : Y.mergeUpdates(parts);
	} catch (error) {
		board.error('logging waiting parts failed', error);
		return update;
	}
}
