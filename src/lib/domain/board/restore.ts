/**
 * Restoring a board to an earlier version as a new change: the live document is edited until
 * it reads as the version, field by field, so people editing at the same moment merge with the
 * restore like with any other edit (and a restore is undone by restoring the state before it).
 * Nothing is removed: cards and columns created since the version are soft-deleted.
 */
import * as Y from 'yjs';
import { commit, nowIso, type OpContext } from './context.ts';
import { diffText } from './description.ts';
import { writeLabels } from './labels.ts';
import { readLabels } from './records.ts';
import { columnsMap, labelColorsMap, tasksMap } from './schema.ts';
import { assertWritable } from './validate.ts';

/** The version's state as a document of its own, for reading or restoring. */
export function versionDoc(state: Uint8Array): Y.Doc {
	const doc = new Y.Doc();
	Y.applyUpdate(doc, state);
	return doc;
}

const same = (a: unknown, b: unknown) => a === b || JSON.stringify(a) === JSON.stringify(b);

/** A copy of a stored value that can be inserted into another document. */
function copy(value: unknown): unknown {
	if (value instanceof Y.Text) return new Y.Text(value.toString());
	if (value instanceof Y.Array) {
		const array = new Y.Array<unknown>();
		array.insert(0, value.toArray().map(copy));
		return array;
	}
	if (value instanceof Y.Map) {
		const map = new Y.Map<unknown>();
		for (const [key, inner] of value.entries()) map.set(key, copy(inner));
		return map;
	}
	return value;
}

/** Makes `target`'s fields read as `source`'s, writing only the fields that differ. */
function restoreFields(target: Y.Map<unknown>, source: Y.Map<unknown>): void {
	for (const [key, wanted] of source.entries()) {
		const stored = target.get(key);
		if (wanted instanceof Y.Text) {
			const text = wanted.toString();
			if (!(stored instanceof Y.Text)) target.set(key, new Y.Text(text));
			else if (stored.toString() !== text) {
				// Only the changed middle, as `setDescription` does: concurrent typing elsewhere survives.
				const splice = diffText(stored.toString(), text);
				if (splice.deleteCount > 0) stored.delete(splice.index, splice.deleteCount);
				if (splice.insert) stored.insert(splice.index, splice.insert);
			}
		} else if (wanted instanceof Y.Array) {
			const labels = readLabels(wanted);
			if (!same(readLabels(stored), labels)) writeLabels(target, labels);
		} else if (wanted instanceof Y.Map) {
			if (stored instanceof Y.Map) restoreFields(stored, wanted);
			else target.set(key, copy(wanted));
		} else if (!same(stored, wanted)) {
			target.set(key, wanted);
		}
	}
	for (const key of [...target.keys()]) if (!source.has(key)) target.delete(key);
}

/** Restores the entries of `columns` or `tasks`; entries the version lacks are soft-deleted. */
function restoreEntries(target: Y.Map<unknown>, source: Y.Map<unknown>, now: string): void {
	for (const [id, wanted] of source.entries()) {
		if (!(wanted instanceof Y.Map)) continue;
		const stored = target.get(id);
		if (stored instanceof Y.Map) restoreFields(stored, wanted);
		else target.set(id, copy(wanted));
	}
	for (const [id, stored] of target.entries()) {
		if (source.get(id) instanceof Y.Map || !(stored instanceof Y.Map)) continue;
		if (stored.get('deletedAt') == null) stored.set('deletedAt', now);
	}
}

/** The label colours as the version had them (a version from before colours had none). */
function restoreColors(target: Y.Map<unknown>, source: Y.Map<unknown>): void {
	for (const [label, color] of source.entries()) {
		if (target.get(label) !== color) target.set(label, color);
	}
	for (const label of [...target.keys()]) if (!source.has(label)) target.delete(label);
}

/**
 * Makes `doc`'s columns, cards and label colours read as `version`'s, in one change. The board's title is the
 * board's name (kept in its row too), renamed on its own, and stays as it is.
 */
export function restoreVersion(doc: Y.Doc, version: Y.Doc, ctx: OpContext): void {
	assertWritable(doc);
	const now = nowIso(ctx);
	commit(doc, ctx, () => {
		restoreEntries(columnsMap(doc), columnsMap(version), now);
		restoreEntries(tasksMap(doc), tasksMap(version), now);
		restoreColors(labelColorsMap(doc), labelColorsMap(version));
	});
}
