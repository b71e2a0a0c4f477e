/**
 * Turns one Yjs transaction into domain changes (card created, moved, …) by comparing the
 * touched entities with the shadow copy, then brings the shadow up to date. Runs for every
 * transaction, attributed or not, so the next "before" is always right.
 */
import type * as Y from 'yjs';
import {
	cardsMovedByColumns,
	columnCardIds,
	readColumnSet,
	type ColumnRecord,
	type ColumnSet
} from '#lib/domain/board/records.ts';
import { boardMap, tasksMap } from '#lib/domain/board/schema.ts';
import type { AuditEvent } from '#lib/server/events/types.ts';
import {
	changedFields,
	entityKey,
	fieldValue,
	movedAmong,
	ordered,
	readTaskState,
	touchedBy,
	type TaskState,
	type UpdatableField
} from './board-shadow.ts';

/** One change, before it is attributed, identified and coalesced into an event. */
export interface BoardChange {
	type: AuditEvent['type'];
	entityType: 'task' | 'column' | 'board';
	entityId: string;
	payload: Record<string, unknown>;
	/** `task.updated` only: the fields it changed (the coalescing key). */
	fields?: UpdatableField[];
}

export interface TransactionChanges {
	changes: BoardChange[];
	/** Cards the transaction touched, even when nothing reportable changed. */
	tasks: ReadonlySet<string>;
}

export class BoardShadow {
	readonly #doc: Y.Doc;
	readonly #boardId: string;
	readonly #tasks = new Map<string, TaskState>();
	/**
	 * The columns, as events compare them and as cards are read against them; read again only
	 * when a transaction touches one.
	 */
	#columnSet: ColumnSet;
	#title: string | null = null;

	constructor(doc: Y.Doc, boardId: string) {
		this.#doc = doc;
		this.#boardId = boardId;
		this.#columnSet = readColumnSet(doc);
		for (const [id, value] of tasksMap(doc)) {
			const state = readTaskState(this.#columnSet, id, value);
			if (state) this.#tasks.set(id, state);
		}
		this.#title = this.#readTitle();
	}

	#readTitle(): string | null {
		const title = boardMap(this.#doc).get('title');
		return typeof title === 'string' ? title : null;
	}

	/** Every card as the shadow holds it: what the next transaction's events compare with. */
	cards(): ReadonlyMap<string, Readonly<TaskState>> {
		return this.#tasks;
	}

	#columnTitle(columnId: string | null): string | null {
		return this.#column(columnId)?.title ?? null;
	}

	#columnCategory(columnId: string | null): string | null {
		return this.#column(columnId)?.category ?? null;
	}

	/** A column by its document key. */
	#column(columnId: string | null): ColumnRecord | undefined {
		return columnId === null ? undefined : this.#columnSet.columnById.get(columnId);
	}

	apply(transaction: Y.Transaction): TransactionChanges {
		const touched = touchedBy(this.#doc, transaction);
		let columns: { changes: BoardChange[]; deletions: BoardChange[] } = {
			changes: [],
			deletions: []
		};
		let tasks = touched.tasks;
		if (touched.columns.size > 0) {
			const before = this.#columnSet;
			this.#columnSet = readColumnSet(this.#doc);
			columns = this.#applyColumns(touched.columns, before);
			tasks = this.#refreshColumns(touched.tasks, before);
		}
		const changes = [...columns.changes, ...this.#applyTasks(tasks)];
		// Cards leave a deleted column in the same transaction; the deletion is told after them.
		changes.push(...columns.deletions);
		if (touched.board) {
			const title = this.#readTitle();
			if (title !== this.#title && this.#title !== null && title !== null) {
				changes.push({
					type: 'board.renamed',
					entityType: 'board',
					entityId: this.#boardId,
					payload: { before: this.#title, after: title }
				});
			}
			this.#title = title;
		}
		return { changes, tasks: touched.tasks };
	}

	/**
	 * Reads again the cards whose column follows from the columns, now read again (a placement
	 * naming no existing column sits in the first live column; a column that appears takes the
	 * cards naming it), as the rows and the board read them. Such a card did not change, the
	 * columns did (and tell it): it is re-read quietly. A card the shadow could not read before
	 * (the board had no column) is returned with the touched ones, so its creation is told.
	 */
	#refreshColumns(touched: ReadonlySet<string>, before: ColumnSet): ReadonlySet<string> {
		const appeared: string[] = [];
		for (const id of cardsMovedByColumns(this.#doc, { before, after: this.#columnSet })) {
			if (touched.has(id)) continue;
			if (this.#tasks.has(id)) {
				this.#setTask(id, readTaskState(this.#columnSet, id, tasksMap(this.#doc).get(id)));
			} else {
				appeared.push(id);
			}
		}
		return appeared.length === 0 ? touched : new Set([...touched, ...appeared]);
	}

	/** The touched columns' changes, comparing the column set before with the one just read. */
	#applyColumns(
		ids: ReadonlySet<string>,
		previous: ColumnSet
	): { changes: BoardChange[]; deletions: BoardChange[] } {
		const changes: BoardChange[] = [];
		const deletions: BoardChange[] = [];
		const reranked: string[] = [];
		for (const id of ids) {
			const before = previous.columnById.get(id) ?? null;
			const after = this.#columnSet.columnById.get(id) ?? null;
			const change = (type: BoardChange['type'], payload: Record<string, unknown>) =>
				({ type, entityType: 'column', entityId: entityKey(id), payload }) as const;
			if (!before && after) {
				changes.push(change('column.created', { title: after.title, category: after.category }));
				continue;
			}
			if (before && !after) {
				deletions.push(change('column.deleted', { title: before.title, hard: true }));
				continue;
			}
			if (!before || !after) continue;
			if (before.title !== after.title) {
				changes.push(change('column.renamed', { before: before.title, after: after.title }));
			}
			if (before.category !== after.category || before.wipLimit !== after.wipLimit) {
				const edits: Record<string, unknown> = {};
				if (before.category !== after.category) {
					edits.category = { before: before.category, after: after.category };
				}
				if (before.wipLimit !== after.wipLimit) {
					edits.wipLimit = { before: before.wipLimit, after: after.wipLimit };
				}
				changes.push(change('column.updated', { title: after.title, changes: edits }));
			}
			if (before.rank !== after.rank && after.deletedAt === null) reranked.push(id);
			if (before.deletedAt === null && after.deletedAt !== null) {
				deletions.push(change('column.deleted', { title: after.title }));
			} else if (before.deletedAt !== null && after.deletedAt === null) {
				changes.push(change('column.restored', { title: after.title }));
			}
		}
		if (reranked.length > 0) {
			// Live columns are in (rank, id) order already, as `ordered` sorts.
			const live = (set: ColumnSet) => set.liveColumns.map((column) => column.id);
			const order = live(this.#columnSet);
			for (const id of movedAmong(live(previous), order, reranked)) {
				changes.push({
					type: 'column.moved',
					entityType: 'column',
					entityId: entityKey(id),
					payload: { title: this.#columnTitle(id), position: order.indexOf(id) }
				});
			}
		}
		return { changes, deletions };
	}

	#applyTasks(ids: ReadonlySet<string>): BoardChange[] {
		const changes: BoardChange[] = [];
		const reranked = new Map<string, string[]>();
		const previous = new Map<string, TaskState | null>();
		for (const id of ids) {
			const before = this.#tasks.get(id) ?? null;
			const after = readTaskState(this.#columnSet, id, tasksMap(this.#doc).get(id));
			previous.set(id, before);
			this.#setTask(id, after);
			changes.push(...this.#taskChanges(id, before, after));
			if (before && after && before.columnId === after.columnId && before.rank !== after.rank) {
				const list = reranked.get(after.columnId) ?? [];
				list.push(id);
				reranked.set(after.columnId, list);
			}
		}
		for (const [columnId, candidates] of reranked) {
			// The column's cards now, and those the transaction took out of it (still on the board).
			const ids = new Set(columnCardIds(this.#doc, { set: this.#columnSet, columnId }));
			for (const [id, state] of previous) {
				if (state?.columnId === columnId && this.#tasks.has(id)) ids.add(id);
			}
			const inColumn = (pick: (id: string, now: TaskState) => TaskState | null) =>
				ordered(
					[...ids]
						.map((id) => [id, pick(id, this.#tasks.get(id)!)] as const)
						.filter((entry): entry is [string, TaskState] => {
							const state = entry[1];
							return state !== null && state.columnId === columnId && state.deletedAt === null;
						})
				);
			const before = inColumn((id, now) => (previous.has(id) ? (previous.get(id) ?? null) : now));
			const after = inColumn((_id, now) => now);
			for (const id of movedAmong(before, after, candidates)) {
				const title = this.#columnTitle(columnId);
				changes.push({
					type: 'task.moved',
					entityType: 'task',
					entityId: entityKey(id),
					payload: {
						title: this.#tasks.get(id)?.title ?? '',
						fromColumnId: entityKey(columnId),
						toColumnId: entityKey(columnId),
						fromColumnTitle: title,
						toColumnTitle: title,
						position: after.indexOf(id)
					}
				});
			}
		}
		return changes;
	}

	#setTask(id: string, state: TaskState | null): void {
		if (state) this.#tasks.set(id, state);
		else this.#tasks.delete(id);
	}

	#taskChanges(id: string, before: TaskState | null, after: TaskState | null): BoardChange[] {
		const change = (
			type: BoardChange['type'],
			payload: Record<string, unknown>,
			fields?: UpdatableField[]
		) => ({ type, entityType: 'task', entityId: entityKey(id), payload, fields }) as BoardChange;
		if (!before && after) {
			return [
				change('task.created', {
					title: after.title,
					columnId: entityKey(after.columnId),
					columnTitle: this.#columnTitle(after.columnId),
					priority: after.priority,
					assigneeId: after.assigneeId,
					dueDate: after.dueDate,
					labels: after.labels,
					description: { chars: after.descriptionChars }
				})
			];
		}
		if (before && !after) return [change('task.deleted', { title: before.title, hard: true })];
		if (!before || !after) return [];
		const out: BoardChange[] = [];
		if (before.deletedAt !== null && after.deletedAt === null) {
			out.push(change('task.restored', { title: after.title }));
		}
		const fields = changedFields(before, after);
		if (fields.length > 0) {
			const edits = Object.fromEntries(
				fields.map((field) => [
					field,
					{ before: fieldValue(before, field), after: fieldValue(after, field) }
				])
			);
			out.push(change('task.updated', { title: after.title, changes: edits }, fields));
		}
		if (before.columnId !== after.columnId) {
			out.push(
				change('task.moved', {
					title: after.title,
					fromColumnId: entityKey(before.columnId),
					toColumnId: entityKey(after.columnId),
					fromColumnTitle: this.#columnTitle(before.columnId),
					toColumnTitle: this.#columnTitle(after.columnId),
					fromCategory: this.#columnCategory(before.columnId),
					toCategory: this.#columnCategory(after.columnId),
					creatorId: after.createdBy
				})
			);
		}
		if (before.deletedAt === null && after.deletedAt !== null) {
			out.push(change('task.deleted', { title: after.title }));
		}
		return out;
	}
}
