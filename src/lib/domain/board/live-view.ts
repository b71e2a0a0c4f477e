/**
 * The board view kept current per document: built once with `readBoard`, then patched after
 * every transaction from what it changed, re-reading only the cards and columns it touched.
 * A keystroke in one description on a 5,000-card board then costs that card and its column,
 * not a read of the board, and every card and column it did not touch stays the same object
 * (keyed `{#each}` blocks skip them). The result always equals `readBoard(doc)`.
 */
import * as Y from 'yjs';
import { storedColumnIndex } from './column-index.ts';
import { compareRanked } from './rank.ts';
import {
	compareDeleted,
	readBoard,
	readBoardHeader,
	taskView,
	type BoardView,
	type ColumnView,
	type TaskView
} from './read.ts';
import {
	cardsMovedByColumns,
	readColumnSet,
	readTask,
	type ColumnRecord,
	type ColumnSet
} from './records.ts';
import { readLabelColors } from './label-colors.ts';
import { tasksMap } from './schema.ts';
import { touchedEntries } from './touched-entries.ts';

interface LiveView {
	view: BoardView;
	/** The columns the view was read against. */
	set: ColumnSet;
	/** Every card the view shows, live or deleted, by id: where to find it when it changes. */
	shown: Map<string, TaskView>;
}

/** What a transaction touched, climbed up to the top-level entries it belongs to. */
interface Touched {
	cards: Set<string>;
	columns: boolean;
	board: boolean;
	labelColors: boolean;
}

const views = new WeakMap<Y.Doc, LiveView>();

/** The current board view of `doc`; built on first use, then kept current as it changes. */
export function liveBoardView(doc: Y.Doc): BoardView {
	let state = views.get(doc);
	if (!state) {
		// Its listener must run before ours, so that the index is current when we patch.
		storedColumnIndex(doc);
		const view = readBoard(doc);
		const built: LiveView = { view, set: readColumnSet(doc), shown: new Map() };
		for (const column of view.columns) {
			for (const task of column.tasks) built.shown.set(task.id, task);
		}
		for (const task of view.deletedTasks) built.shown.set(task.id, task);
		// Before the observers run, not after: an observer reading the board (or an operation run
		// from one) must see the transaction it is told about.
		doc.on('beforeObserverCalls', (transaction: Y.Transaction) =>
			patch(doc, built, transaction.changed)
		);
		views.set(doc, built);
		state = built;
	}
	// Changes of a transaction still running are reported only when it ends; patching twice
	// re-reads the same entries and finds them equal.
	if (doc._transaction) patch(doc, state, doc._transaction.changed);
	return state.view;
}

function touchedBy(doc: Y.Doc, changed: Y.Transaction['changed']): Touched {
	const { cards, columns, board, labelColors } = touchedEntries(doc, changed);
	return { cards, columns: columns.size > 0, board, labelColors };
}

function sameChecklist(a: TaskView['checklist'], b: TaskView['checklist']): boolean {
	return (
		a.length === b.length &&
		a.every((item, i) => {
			const other = b[i] as (typeof b)[number];
			return item.id === other.id && item.text === other.text && item.done === other.done;
		})
	);
}

function sameTask(a: TaskView, b: TaskView): boolean {
	for (const key of Object.keys(a) as (keyof TaskView)[]) {
		if (key === 'labels') {
			if (a.labels.length !== b.labels.length || a.labels.some((l, i) => l !== b.labels[i])) {
				return false;
			}
		} else if (key === 'checklist') {
			if (!sameChecklist(a.checklist, b.checklist)) return false;
		} else if (a[key] !== b[key]) return false;
	}
	return true;
}

/** `previous` when `next` reads the same, so an unchanged view stays the same object. */
function sameColors(
	next: BoardView['labelColors'],
	previous: BoardView['labelColors']
): BoardView['labelColors'] {
	const keys = Object.keys(next);
	const same =
		keys.length === Object.keys(previous).length && keys.every((k) => next[k] === previous[k]);
	return same ? previous : next;
}

function sameColumn(view: ColumnView, record: ColumnRecord): boolean {
	return (
		view.title === record.title &&
		view.rank === record.rank &&
		view.category === record.category &&
		view.wipLimit === record.wipLimit
	);
}

/** Where `item` goes in `items` (sorted by `compare`): the first index not before it. */
function lowerBound<T>(items: readonly T[], item: T, compare: (a: T, b: T) => number): number {
	let low = 0;
	let high = items.length;
	while (low < high) {
		const middle = (low + high) >>> 1;
		if (compare(items[middle] as T, item) < 0) low = middle + 1;
		else high = middle;
	}
	return low;
}

function remove<T>(items: T[], item: T, compare: (a: T, b: T) => number): void {
	const at = lowerBound(items, item, compare);
	const index = items[at] === item ? at : items.indexOf(item);
	if (index >= 0) items.splice(index, 1);
}

function insert<T>(items: T[], item: T, compare: (a: T, b: T) => number): void {
	items.splice(lowerBound(items, item, compare), 0, item);
}

function patch(doc: Y.Doc, state: LiveView, changed: Y.Transaction['changed']): void {
	const touched = touchedBy(doc, changed);
	if (!touched.columns && !touched.board && !touched.labelColors && touched.cards.size === 0) {
		return;
	}
	const previous = state.view;
	const before = state.set;
	const set = touched.columns ? readColumnSet(doc) : before;
	if (touched.columns) {
		for (const id of cardsMovedByColumns(doc, { before, after: set })) touched.cards.add(id);
	}

	// Copy-on-write: a column's card list (and the deleted list) is copied once, when first
	// changed; untouched lists and cards stay the objects they were.
	const oldColumns = new Map(previous.columns.map((column) => [column.id, column]));
	const drafts = new Map<string, TaskView[]>();
	const draft = (columnId: string): TaskView[] => {
		let tasks = drafts.get(columnId);
		if (!tasks) drafts.set(columnId, (tasks = [...(oldColumns.get(columnId)?.tasks ?? [])]));
		return tasks;
	};
	let deleted: TaskView[] | null = null;
	const deletedDraft = () => (deleted ??= [...previous.deletedTasks]);

	const tasks = tasksMap(doc);
	for (const id of touched.cards) {
		const old = state.shown.get(id);
		const record = readTask(set, { id, value: tasks.get(id) });
		const next = record && taskView(record);
		if (old && next && sameTask(old, next)) continue;
		if (old?.deletedAt === null) {
			// A column that is no longer shown is dropped whole below.
			if (set.columnById.get(old.columnId)?.deletedAt === null) {
				remove(draft(old.columnId), old, compareRanked);
			}
		} else if (old) remove(deletedDraft(), old, compareDeleted);
		if (!next) {
			state.shown.delete(id);
			continue;
		}
		state.shown.set(id, next);
		if (next.deletedAt === null) insert(draft(next.columnId), next, compareRanked);
		else insert(deletedDraft(), next, compareDeleted);
	}

	const column = (id: string, old: ColumnView | undefined, record?: ColumnRecord) => {
		const cards = drafts.get(id);
		if (old && !cards && (!record || sameColumn(old, record))) return old;
		const fields = record ?? (old as ColumnView);
		const list = cards ?? old?.tasks ?? [];
		const { title, rank, category, wipLimit } = fields;
		return { id, title, rank, category, wipLimit, taskCount: list.length, tasks: list };
	};
	const columns = touched.columns
		? set.liveColumns.map((record) => column(record.id, oldColumns.get(record.id), record))
		: previous.columns.map((old) => column(old.id, old));
	const header = touched.board ? readBoardHeader(doc) : previous;
	const labelColors = touched.labelColors
		? sameColors(readLabelColors(doc), previous.labelColors)
		: previous.labelColors;
	const unchanged =
		labelColors === previous.labelColors &&
		header.title === previous.title &&
		header.schemaVersion === previous.schemaVersion &&
		deleted === null &&
		columns.length === previous.columns.length &&
		columns.every((view, i) => view === previous.columns[i]);
	state.set = set;
	if (unchanged) return;
	state.view = {
		title: header.title,
		schemaVersion: header.schemaVersion,
		columns,
		deletedTasks: deleted ?? previous.deletedTasks,
		labelColors
	};
}
