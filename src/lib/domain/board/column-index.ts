/**
 * Which cards name which column, kept per document as transactions change it, so that placing a
 * card costs about its column rather than a scan of the board. Cards are filed under the column
 * id their placement stores, as stored (null when it stores none): whether that column exists,
 * and where the other cards go, is decided when reading, exactly as `readRecords` decides it.
 * Each such key also knows its last live card once asked, kept as cards change, so that adding
 * a card at the end of a column costs about nothing however long the column is.
 */
import * as Y from 'yjs';
import { compareRanked, storedRank } from './rank.ts';
import { tasksMap } from './schema.ts';

export interface StoredColumnIndex {
	/** Card ids by the column id their placement stores (null: none, or not a string). */
	byColumn: Map<string | null, Set<string>>;
}

/** A card filed under a key, with its rank as read (`storedRank`). */
export interface StoredTail {
	id: string;
	rank: string;
}

interface State extends StoredColumnIndex {
	columnOf: Map<string, string | null>;
	/**
	 * Per key, its live card greatest in (rank, id) order, null when it has none; a key is absent
	 * while unknown (not asked yet, or its last card went back or away), and read when asked.
	 */
	tails: Map<string | null, StoredTail | null>;
}

const indexes = new WeakMap<Y.Doc, State>();

/** A card's placement as stored, an empty one when it is not an object. */
export function storedPlacement(value: unknown): { columnId?: unknown; rank?: unknown } {
	return typeof value === 'object' && value !== null ? value : {};
}

function storedColumnId(card: Y.Map<unknown>): string | null {
	const { columnId } = storedPlacement(card.get('placement'));
	return typeof columnId === 'string' ? columnId : null;
}

/** The card as a tail candidate; null when it is deleted (any string marks a deletion). */
function candidate(id: string, card: Y.Map<unknown>): StoredTail | null {
	if (typeof card.get('deletedAt') === 'string') return null;
	return { id, rank: storedRank(storedPlacement(card.get('placement')).rank) };
}

/** Updates the known tail of `key` for card `id`, now filed there. */
function refreshTail(state: State, key: string | null, id: string, card: Y.Map<unknown>): void {
	const tail = state.tails.get(key);
	if (tail === undefined) return;
	const entry = candidate(id, card);
	if (tail?.id === id) {
		// Still the last if it is live and did not go back; otherwise unknown until asked.
		if (entry && entry.rank >= tail.rank) state.tails.set(key, entry);
		else state.tails.delete(key);
	} else if (entry && (tail === null || compareRanked(entry, tail) > 0)) {
		state.tails.set(key, entry);
	}
}

/** Files card `id` under what its placement stores now (or removes it, when it is no card). */
function refresh(state: State, tasks: Y.Map<unknown>, id: string): void {
	const value = tasks.get(id);
	const card = value instanceof Y.Map ? (value as Y.Map<unknown>) : undefined;
	const next = card ? storedColumnId(card) : undefined;
	const known = state.columnOf.has(id);
	const previous = state.columnOf.get(id);
	if (known && previous !== next) {
		const ids = state.byColumn.get(previous!);
		ids?.delete(id);
		// An emptied key goes: a hostile client storing many made-up column ids must not leave
		// keys that every read of the unplaced cards walks again.
		if (ids?.size === 0) {
			state.byColumn.delete(previous!);
			state.tails.delete(previous!);
		} else if (state.tails.get(previous!)?.id === id) state.tails.delete(previous!);
	}
	if (next === undefined || card === undefined) {
		state.columnOf.delete(id);
		return;
	}
	if (!known || previous !== next) {
		state.columnOf.set(id, next);
		let ids = state.byColumn.get(next);
		if (!ids) state.byColumn.set(next, (ids = new Set()));
		ids.add(id);
	}
	refreshTail(state, next, id, card);
}

/** Refreshes the cards a transaction added, removed, re-placed, deleted or restored. */
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
		if (
			item?.parent === tasks &&
			item.parentSub &&
			(keys.has('placement') || keys.has('deletedAt'))
		) {
			refresh(state, tasks, item.parentSub);
		}
	}
}

/** The document's index, built on first use; current even inside a running transaction. */
function currentState(doc: Y.Doc): State {
	const tasks = tasksMap(doc);
	let state = indexes.get(doc);
	if (!state) {
		const built: State = { byColumn: new Map(), columnOf: new Map(), tails: new Map() };
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

/** The index as readers outside this module see it: `currentState`, read-only. */
export function storedColumnIndex(doc: Y.Doc): StoredColumnIndex {
	return currentState(doc);
}

/**
 * The live card filed under `key` that is greatest in (rank, id) order, or null: read from the
 * key's cards the first time (and after its last card went back or away), then kept.
 */
export function storedColumnTail(doc: Y.Doc, key: string | null): StoredTail | null {
	const state = currentState(doc);
	let tail = state.tails.get(key);
	if (tail === undefined) {
		tail = null;
		const tasks = tasksMap(doc);
		for (const id of state.byColumn.get(key) ?? []) {
			const entry = candidate(id, tasks.get(id) as Y.Map<unknown>);
			if (entry && (tail === null || compareRanked(entry, tail) > 0)) tail = entry;
		}
		state.tails.set(key, tail);
	}
	return tail;
}
