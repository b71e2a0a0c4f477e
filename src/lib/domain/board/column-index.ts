/**
 * Which cards name which column, kept per document as transactions change it, so that placing a
 * card costs about its column rather than a scan of the board. Cards are filed under the column
 * id their placement stores, as stored (null when it stores none): whether that column exists,
 * and where the other cards go, is decided when reading, exactly as `readRecords` decides it.
 */
import * as Y from 'yjs';
import { tasksMap } from './schema.ts';

export interface StoredColumnIndex {
	/** Card ids by the column id their placement stores (null: none, or not a string). */
	byColumn: Map<string | null, Set<string>>;
}

interface State extends StoredColumnIndex {
	columnOf: Map<string, string | null>;
}

const indexes = new WeakMap<Y.Doc, State>();

function storedColumnId(card: Y.Map<unknown>): string | null {
	const placement = card.get('placement') as { columnId?: unknown } | null | undefined;
	const columnId = typeof placement === 'object' && placement !== null ? placement.columnId : null;
	return typeof columnId === 'string' ? columnId : null;
}

/** Files card `id` under what its placement stores now (or removes it, when it is no card). */
function refresh(state: State, tasks: Y.Map<unknown>, id: string): void {
	const value = tasks.get(id);
	const next = value instanceof Y.Map ? storedColumnId(value as Y.Map<unknown>) : undefined;
	const known = state.columnOf.has(id);
	const previous = state.columnOf.get(id);
	if (known && previous === next) return;
	if (known) state.byColumn.get(previous!)?.delete(id);
	if (next === undefined) {
		state.columnOf.delete(id);
		return;
	}
	state.columnOf.set(id, next);
	let ids = state.byColumn.get(next);
	if (!ids) state.byColumn.set(next, (ids = new Set()));
	ids.add(id);
}

/** Refreshes the cards a transaction added, removed or re-placed. */
function refreshChanged(
	state: State,
	tasks: Y.Map<unknown>,
	changed: Y.Transaction['changed']
): void {
	for (const [type, keys] of changed) {
		if (type === (tasks as unknown)) {
			for (const key of keys) if (key !== null) refresh(state, tasks, key);
			continue;
		}
		// A card's own map: its key in the tasks map is its id.
		const item = type._item;
		if (item?.parent === tasks && item.parentSub && keys.has('placement')) {
			refresh(state, tasks, item.parentSub);
		}
	}
}

/** The document's index, built on first use; current even inside a running transaction. */
export function storedColumnIndex(doc: Y.Doc): StoredColumnIndex {
	const tasks = tasksMap(doc);
	let state = indexes.get(doc);
	if (!state) {
		const built: State = { byColumn: new Map(), columnOf: new Map() };
		for (const id of tasks.keys()) refresh(built, tasks, id);
		// Before the observers run, not after: an observer reading the board (or an operation run
		// from one) must see the transaction it is told about.
		doc.on('beforeObserverCalls', (transaction: Y.Transaction) =>
			refreshChanged(built, tasks, transaction.changed)
		);
		indexes.set(doc, built);
		state = built;
	}
	// Changes of a transaction still running are reported only when it ends.
	if (doc._transaction) refreshChanged(state, tasks, doc._transaction.changed);
	return state;
}
