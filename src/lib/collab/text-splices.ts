/**
 * Text arithmetic for the description editor, kept free of the DOM so it can be tested alone.
 */
import type * as Y from 'yjs';

/** Delete `deleteCount` UTF-16 code units at `index`, then insert `insert` there. */
export type Splice = { index: number; deleteCount: number; insert: string };

/**
 * The edit that turned `before` into `after`, assuming it ended at the caret (typing, pasting
 * and deleting all leave the caret there). A plain common-prefix diff would put a typed "b" in
 * "a|b" after the existing "b", that is, after text someone else just inserted at the caret;
 * anchoring on the caret keeps each person's typing together. Null when the assumption fails.
 */
export function spliceAtCaret(before: string, after: string, caret: number): Splice | null {
	const suffix = after.length - caret;
	const keptEnd = before.length - suffix;
	if (suffix < 0 || keptEnd < 0 || before.slice(keptEnd) !== after.slice(caret)) return null;
	const limit = Math.min(keptEnd, caret);
	let prefix = 0;
	while (prefix < limit && before.charCodeAt(prefix) === after.charCodeAt(prefix)) prefix++;
	// Never split a surrogate pair: half a character could survive a concurrent edit.
	if (prefix > 0 && /[\uD800-\uDBFF]/.test(before.charAt(prefix - 1))) prefix--;
	return { index: prefix, deleteCount: keptEnd - prefix, insert: after.slice(prefix, caret) };
}

/** Where `position` ends up after `delta`; an insert exactly at it leaves it in front. */
export function mapPosition(position: number, delta: Y.YTextEvent['delta']): number {
	let index = 0;
	let shift = 0;
	for (const op of delta) {
		if (index >= position) break;
		if (op.retain !== undefined) {
			index += op.retain;
		} else if (typeof op.insert === 'string') {
			shift += op.insert.length;
		} else if (op.delete !== undefined) {
			shift -= Math.min(op.delete, position - index);
			index += op.delete;
		}
	}
	return Math.max(0, position + shift);
}
