/**
 * Which cards and columns a transaction changed, climbed up from whatever it wrote (a card's
 * field, its description's Y.Text, its labels' Y.Array) to the top-level entry holding it.
 * The live view patches from this; the browser's offline count adds it up per local change.
 */
import * as Y from 'yjs';
import { boardMap, columnsMap, labelColorsMapName, tasksMap } from './schema.ts';

/** Ids of the entries a transaction touched, and whether it touched the board's own fields. */
export interface TouchedEntries {
	cards: Set<string>;
	columns: Set<string>;
	board: boolean;
	/** The board's label colours (the top-level `labelColors` map). */
	labelColors: boolean;
}

type AnyType = Y.Transaction['changed'] extends Map<infer T, unknown> ? T : never;

/** Costs what the transaction changed, never the board's size. */
export function touchedEntries(doc: Y.Doc, changed: Y.Transaction['changed']): TouchedEntries {
	const tasks: unknown = tasksMap(doc);
	const columns: unknown = columnsMap(doc);
	const board: unknown = boardMap(doc);
	// Only looked up, never created: a board without colours has no such map yet.
	const colors: unknown = doc.share.get(labelColorsMapName);
	const touched: TouchedEntries = {
		cards: new Set(),
		columns: new Set(),
		board: false,
		labelColors: false
	};
	for (const [type, keys] of changed) {
		if (type === colors) {
			touched.labelColors = true;
			continue;
		}
		if (type === tasks || type === columns) {
			const ids = type === tasks ? touched.cards : touched.columns;
			for (const key of keys) if (key !== null) ids.add(key);
			continue;
		}
		if (type === board) {
			touched.board = true;
			continue;
		}
		// Something deeper: climb to the entry of the top-level map that holds it.
		let child: AnyType = type;
		for (;;) {
			const parent: unknown = child._item?.parent;
			const key = child._item?.parentSub;
			if (parent === tasks && key) touched.cards.add(key);
			else if (parent === columns && key) touched.columns.add(key);
			else if (parent === board) touched.board = true;
			else if (parent instanceof Y.AbstractType) {
				child = parent as AnyType;
				continue;
			}
			break;
		}
	}
	return touched;
}
