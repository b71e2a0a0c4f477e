/**
 * Random board operations for randomized tests (convergence here, the store/rows invariant on
 * the server): each picks from what its replica currently sees, so most are valid, and
 * refusals (DomainError) are expected and swallowed.
 */
import * as Y from 'yjs';
import {
	createColumn,
	deleteColumn,
	moveColumn,
	renameColumn,
	setColumnCategory,
	setWipLimit
} from './columns.ts';
import { renameBoard } from './board.ts';
import {
	addChecklistItem,
	moveChecklistItem,
	removeChecklistItem,
	setChecklistItemText,
	toggleChecklistItem
} from './checklist.ts';
import { labelColors, setLabelColor } from './label-colors.ts';
import type { OpContext } from './context.ts';
import { DomainError } from './errors.ts';
import { readBoard, type BoardView, type TaskView } from './read.ts';
import {
	boardMap,
	columnCategories,
	columnsMap,
	labelColorsMap,
	taskPriorities,
	tasksMap
} from './schema.ts';
import {
	createTask,
	deleteTask,
	editDescription,
	moveTask,
	restoreTask,
	setDescription,
	updateTask
} from './tasks.ts';
import type { Random } from './testing.ts';

export const words = ['alpha', 'beta', 'gamma', 'delta', 'epsilon', 'zeta'];

export function liveTasks(view: BoardView): TaskView[] {
	return view.columns.flatMap((column) => column.tasks);
}

/** A position in a column from the replica's own view: after, before, between or none. */
function anchors(random: Random, view: BoardView, columnId: string, exceptId?: string) {
	const ids = (view.columns.find((column) => column.id === columnId)?.tasks ?? [])
		.map((task) => task.id)
		.filter((id) => id !== exceptId);
	const at = random.int(ids.length + 1);
	const kind = random.int(4);
	return {
		afterTaskId: kind === 0 || kind === 2 ? ids[at - 1] : undefined,
		beforeTaskId: kind === 1 || kind === 2 ? ids[at] : undefined
	};
}

/** One random operation by one replica, chosen from what that replica currently sees. */
export function randomOperation(random: Random, replica: { doc: Y.Doc; ctx: OpContext }): void {
	const { doc, ctx } = replica;
	const view = readBoard(doc);
	const column = () => random.pick(view.columns).id;
	const task = () => random.pick(liveTasks(view)).id;
	const text = () => `${random.pick(words)} ${random.int(100)}`;
	const operations: [number, () => void][] = [
		[4, () => createTask(doc, { columnId: column(), title: text() }, ctx)],
		[2, () => createTask(doc, { columnId: column(), title: text(), ...anchorsIn(column()) }, ctx)],
		[4, () => moveIn(column())],
		[3, () => updateTask(doc, randomUpdate(task()), ctx)],
		[2, () => editAt(task())],
		[2, () => setDescription(doc, { taskId: task(), text: text() }, ctx)],
		[1, () => deleteTask(doc, { taskId: task() }, ctx)],
		[1, () => restoreTask(doc, { taskId: random.pick(view.deletedTasks).id }, ctx)],
		[0.5, () => createColumn(doc, { title: text() }, ctx)],
		[0.5, () => createColumn(doc, { title: text(), afterColumnId: column() }, ctx)],
		[1, () => renameColumn(doc, { columnId: column(), title: text() }, ctx)],
		[1, () => moveColumn(doc, { columnId: column(), beforeColumnId: column() }, ctx)],
		[
			1,
			() => setColumnCategory(doc, { columnId: column(), category: pick(columnCategories) }, ctx)
		],
		[
			1,
			() => setWipLimit(doc, { columnId: column(), wipLimit: random.chance(0.5) ? null : 3 }, ctx)
		],
		[1, () => deleteIn(column())],
		[0.5, () => renameBoard(doc, { title: text() }, ctx)],
		[0.5, () => tamper(task())],
		[2, () => addChecklistItem(doc, { taskId: task(), text: text(), ...itemAnchors() }, ctx)],
		[1, () => setChecklistItemText(doc, { ...item(), text: text() }, ctx)],
		[1, () => toggleChecklistItem(doc, { ...item(), done: random.chance(0.5) }, ctx)],
		[1, () => moveItem()],
		[0.5, () => removeChecklistItem(doc, item(), ctx)],
		[
			0.5,
			() => setLabelColor(doc, { label: pick(words), color: pick([null, ...labelColors]) }, ctx)
		]
	];
	/** A card with a checklist, and one of its items, from this replica's view. */
	function item() {
		const card = random.pick(liveTasks(view).filter((candidate) => candidate.checklist.length));
		return { taskId: card.id, itemId: random.pick(card.checklist).id };
	}
	function itemAnchors(ids: string[] = []) {
		const at = random.int(ids.length + 1);
		const kind = random.int(4);
		return {
			afterItemId: kind === 0 || kind === 2 ? ids[at - 1] : undefined,
			beforeItemId: kind === 1 || kind === 2 ? ids[at] : undefined
		};
	}
	function moveItem() {
		const { taskId, itemId } = item();
		const card = liveTasks(view).find((candidate) => candidate.id === taskId);
		const ids = (card?.checklist ?? []).map((entry) => entry.id).filter((id) => id !== itemId);
		moveChecklistItem(doc, { taskId, itemId, ...itemAnchors(ids) }, ctx);
	}
	function pick<T>(items: readonly T[]): T {
		return random.pick(items);
	}
	function anchorsIn(columnId: string) {
		return anchors(random, view, columnId);
	}
	function moveIn(columnId: string) {
		const taskId = task();
		moveTask(doc, { taskId, columnId, ...anchors(random, view, columnId, taskId) }, ctx);
	}
	function randomUpdate(taskId: string) {
		return {
			taskId,
			title: random.chance(0.5) ? text() : undefined,
			priority: random.chance(0.3) ? pick(taskPriorities) : undefined,
			assigneeId: random.chance(0.3) ? pick([null, 'user-1', 'user-2']) : undefined,
			dueDate: random.chance(0.3) ? pick([null, '2026-03-01', '2026-12-31']) : undefined,
			labels: random.chance(0.3) ? words.filter(() => random.chance(0.3)) : undefined
		};
	}
	function editAt(taskId: string) {
		const length = liveTasks(view).find((candidate) => candidate.id === taskId)?.description.length;
		const index = random.int((length ?? 0) + 1);
		const deleteCount = random.int((length ?? 0) - index + 1);
		editDescription(doc, { taskId, index, deleteCount, insert: random.pick(words) }, ctx);
	}
	/** A raw write as a careless or hostile client might make: ties, junk ranks, lost columns. */
	function tamper(taskId: string) {
		const map = tasksMap(doc).get(taskId) as Y.Map<unknown>;
		const placement = (map.get('placement') ?? {}) as { columnId?: string; rank?: string };
		const other = random.pick(liveTasks(view));
		const broken = random.pick([
			{ ...placement, rank: other.rank },
			{ ...placement, rank: '' },
			{ columnId: 'missing', rank: placement.rank },
			null
		]);
		doc.transact(() => map.set('placement', broken), 'tamper');
	}
	function deleteIn(columnId: string) {
		const others = view.columns.filter((candidate) => candidate.id !== columnId);
		const moveTasksTo = random.chance(0.5) && others.length ? random.pick(others).id : undefined;
		deleteColumn(doc, { columnId, moveTasksTo }, ctx);
	}
	attempt(() => weighted(random, operations)());
}

/** An item with malformed fields, or a malformed field of an existing item. */
function rawChecklistItem(random: Random, card: Y.Map<unknown>): void {
	const existing = [...card.keys()].filter((key) => key.startsWith('checklist:'));
	const target = existing.length && random.chance(0.5) ? card.get(random.pick(existing)) : null;
	const item = target instanceof Y.Map ? (target as Y.Map<unknown>) : new Y.Map<unknown>();
	if (item !== target) card.set(`checklist:raw-${random.int(3)}`, item);
	item.set(random.pick(['text', 'done', 'rank']), random.pick([null, 'x', true, 7, 'a0']));
}

/** Raw writes straight into the maps, as a careless or hostile client might make them. */
export function rawWrite(random: Random, doc: Y.Doc): void {
	const taskIds = [...tasksMap(doc).keys()];
	const columnIds = [...columnsMap(doc).keys()];
	const card = () => tasksMap(doc).get(random.pick(taskIds));
	const column = () => columnsMap(doc).get(random.pick(columnIds));
	const writes: [number, () => void][] = [
		[1, () => (card() as Y.Map<unknown>).set('placement', { columnId: random.pick(columnIds) })],
		[1, () => (card() as Y.Map<unknown>).set('placement', 'sideways')],
		[1, () => (card() as Y.Map<unknown>).set('deletedAt', random.pick(['junk', null, 7]))],
		[1, () => (card() as Y.Map<unknown>).set('description', 'plain string')],
		[1, () => (card() as Y.Map<unknown>).set('labels', Y.Array.from([3, 'ok', 'ok', '']))],
		[1, () => ((card() as Y.Map<unknown>).get('labels') as Y.Array<unknown>).push(['more'])],
		[1, () => ((card() as Y.Map<unknown>).get('description') as Y.Text).insert(0, 'x')],
		[1, () => tasksMap(doc).set(random.pick(taskIds), 'not a card')],
		[0.5, () => tasksMap(doc).delete(random.pick(taskIds))],
		[1, () => (column() as Y.Map<unknown>).set('deletedAt', random.pick([null, 'junk']))],
		[1, () => (column() as Y.Map<unknown>).set('rank', random.pick(['', 'a0', 42]))],
		[0.5, () => (column() as Y.Map<unknown>).set('category', 'nonsense')],
		[0.3, () => columnsMap(doc).delete(random.pick(columnIds))],
		[0.3, () => columnsMap(doc).set(random.pick(columnIds), 'not a column')],
		[0.5, () => boardMap(doc).set('schemaVersion', random.pick([1, 'one', Infinity]))],
		[0.5, () => boardMap(doc).set('title', random.pick(words))],
		[1, () => (card() as Y.Map<unknown>).set('checklist:raw', random.pick(['junk', 3]))],
		[1, () => rawChecklistItem(random, card() as Y.Map<unknown>)],
		[0.5, () => labelColorsMap(doc).set(random.pick(words), random.pick(['red', 'plaid', 4]))]
	];
	attempt(() => {
		// A write into a value that is not what was expected is a TypeError; skip it.
		try {
			doc.transact(weighted(random, writes), 'raw');
		} catch (error) {
			if (!(error instanceof TypeError)) throw error;
		}
	});
}

export function weighted<T>(random: Random, choices: readonly [number, T][]): T {
	let roll = random.next() * choices.reduce((sum, [weight]) => sum + weight, 0);
	for (const [weight, choice] of choices) {
		roll -= weight;
		if (roll < 0) return choice;
	}
	return (choices.at(-1) as [number, T])[1];
}

/** Refusals are expected (a replica's view may not allow the pick); anything else is a bug. */
export function attempt(operation: () => void): void {
	try {
		operation();
	} catch (error) {
		if (error instanceof DomainError) return;
		if (error instanceof RangeError && /pick from an empty list/.test(error.message)) return;
		throw error;
	}
}
