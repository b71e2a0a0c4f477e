/**
 * Writing a card's labels as a small edit of its Y.Array rather than a replacement, so that
 * labels added or removed concurrently by others survive.
 */
import * as Y from 'yjs';
import { readLabels } from './records.ts';

/** Whether the stored labels already read as `labels`. */
export function sameLabels(map: Y.Map<unknown>, labels: readonly string[]): boolean {
	const current = readLabels(map.get('labels'));
	return current.length === labels.length && current.every((label, i) => label === labels[i]);
}

/**
 * Makes the card's label array read as `labels`: removes entries that are unwanted, repeated or
 * malformed, then inserts the missing ones where they belong. Only if the kept labels are in a
 * different order than asked is the array rewritten as a whole.
 */
export function writeLabels(map: Y.Map<unknown>, labels: readonly string[]): void {
	const stored = map.get('labels');
	if (!(stored instanceof Y.Array)) {
		map.set('labels', Y.Array.from([...labels]));
		return;
	}
	const array = stored as Y.Array<unknown>;
	const items = array.toArray();
	const wanted = new Set(labels);
	const firstIndex = new Map<string, number>();
	items.forEach((item, i) => {
		if (typeof item === 'string' && !firstIndex.has(item)) firstIndex.set(item, i);
	});
	for (let i = items.length - 1; i >= 0; i--) {
		const item = items[i];
		const keep = typeof item === 'string' && wanted.has(item) && firstIndex.get(item) === i;
		if (!keep) array.delete(i, 1);
	}
	const kept = array.toArray() as string[];
	const keptSet = new Set(kept);
	const inOrder = labels.filter((label) => keptSet.has(label));
	if (inOrder.some((label, i) => label !== kept[i])) {
		array.delete(0, array.length);
		array.insert(0, [...labels]);
		return;
	}
	let position = 0;
	for (const label of labels) {
		if (kept[0] === label) kept.shift();
		else array.insert(position, [label]);
		position++;
	}
}
