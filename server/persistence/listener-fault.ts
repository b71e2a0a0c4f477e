/**
 * A Yjs document after one of its `update` listeners threw. Yjs hands a transaction's update to
 * its listeners one after another and stops at the first that throws; that throw also skips
 * the end of its clean-up, which empties the document's list of transactions to clean up, so
 * from then on no transaction is cleaned up: none emits an update or calls an observer (nothing
 * would be logged, broadcast or projected again). Hocuspocus's own listener, which broadcasts,
 * runs before Persistence's.
 */
import * as Y from 'yjs';
import { integratedAny } from './update-coverage.ts';

/**
 * Whether a listener's throw left `doc` unable to clean up. Ask it outside any transaction and
 * any clean-up (during one it is true of a healthy document too).
 */
export function stuck(doc: Y.Doc): boolean {
	return doc._transaction === null && doc._transactionCleanups.length > 0;
}

/**
 * Lets later transactions be cleaned up again, and says how many were left behind: the first
 * ran its observers before the listener threw; those queued after it never will.
 */
export function unstick(doc: Y.Doc): number {
	const dropped = doc._transactionCleanups.length;
	doc._transactionCleanups = [];
	return dropped;
}

/**
 * What `transaction` changed in `doc`, when its update did not reach the caller's listener:
 * everything since it began, read from the document (its whole delete set too: this path is
 * for faults only). Null when it changed nothing.
 */
export function missedUpdate(transaction: Y.Transaction, doc: Y.Doc): Uint8Array | null {
	if (!integratedAny(transaction, doc)) return null;
	return Y.encodeStateAsUpdate(doc, Y.encodeStateVector(transaction.beforeState));
}
