/**
 * Per-user undo and redo of the board, on a Y.UndoManager over the board's three maps that
 * tracks only this tab's own transactions (LocalOrigin): undoing never reverts anyone else's
 * change, and Yjs skips a step whose change someone else has since overwritten.
 *
 * Steps: each board operation (create, move, delete, a field, a column change) is one step; a
 * burst of description typing (pauses shorter than `captureTimeout`) is one step.
 *
 * One exception to plain Yjs undo: a step that created a card or column would be undone by
 * removing its map entry, which the document contract forbids (deletion is soft; the server
 * refuses such an update and closes the socket). Undoing a creation therefore soft-deletes the
 * created item instead, recorded as the undo manager's own change so that redo restores it.
 */
import { createSubscriber } from 'svelte/reactivity';
import * as Y from 'yjs';
import {
	columnsMap,
	deleteColumn,
	deleteTask,
	restoreTask,
	tasksMap,
	type OpContext
} from '../domain/board/index.ts';
import { readColumnCards, readColumnSet, readTask } from '../domain/board/records.ts';
import { LocalOrigin } from './local-origin.ts';
import type { OpFailure, Outcome } from './board-state.svelte.ts';

/** Runs a domain operation as BoardState does (rights, loading), with the given origin. */
export type RunOperation = <T>(
	op: (doc: Y.Doc, ctx: OpContext) => T,
	origin: unknown
) => Outcome<T>;

export interface BoardUndoOptions {
	doc: Y.Doc;
	/** The origin of this tab's board operations (restoring a card from the toast uses it). */
	origin: LocalOrigin;
	run: RunOperation;
	readOnly: () => boolean;
	/** Typing with pauses shorter than this is one step (ms). */
	captureTimeout?: number;
}

/** A card this user deleted, and the undo step that did it. */
export interface DeletedCard {
	taskId: string;
	title: string;
	step: Y.UndoManager['undoStack'][number];
}

type ChangedType = Y.Transaction['changed'] extends Map<infer T, unknown> ? T : never;

type Created = { kind: 'card' | 'column'; id: string };

const createdKey = 'taskflow:created';

const cannotUndoColumn: OpFailure = {
	code: 'invalid_target',
	message: 'That column holds cards now; delete it from its settings instead.',
	field: null
};

/**
 * Runs `act` (an undo or redo) with only the top step on `stack`. When the top step has
 * nothing left to revert, Yjs drops it and goes on to the next one down: a step that created a
 * card would then be undone the plain way, removing every field of the card (which the server
 * refuses, closing the socket for good). One press reverts one step, and creations are always
 * met at the top, where `undo` turns them into soft deletes.
 */
function onlyTop<T>(stack: T[], act: () => unknown): boolean {
	const below = stack.splice(0, stack.length - 1);
	try {
		return act() !== null;
	} finally {
		stack.unshift(...below);
	}
}

export class BoardUndo {
	readonly #doc: Y.Doc;
	readonly #options: BoardUndoOptions;
	readonly #manager: Y.UndoManager;
	readonly #tasks: Y.Map<unknown>;
	readonly #columns: Y.Map<unknown>;
	// Plain: listeners are wiring, never rendered.
	// eslint-disable-next-line svelte/prefer-svelte-reactivity
	readonly #changeListeners = new Set<() => void>();
	// eslint-disable-next-line svelte/prefer-svelte-reactivity
	readonly #deleteListeners = new Set<(deleted: DeletedCard) => void>();
	readonly #subscribe: () => void;
	/** What the last undo or redo did, for the page to say (null before the first). */
	notice = $state<{ text: string; failed: boolean } | null>(null);
	/** The step the undo manager added for the transaction now ending, if any. */
	#added: DeletedCard['step'] | null = null;

	constructor(options: BoardUndoOptions) {
		this.#doc = options.doc;
		this.#options = options;
		this.#tasks = tasksMap(options.doc);
		this.#columns = columnsMap(options.doc);
		this.#manager = new Y.UndoManager([this.#tasks, this.#columns, options.doc.getMap('board')], {
			captureTimeout: options.captureTimeout ?? 800,
			// By class: every description binding has its own LocalOrigin instance. Plain: Yjs reads it.
			// eslint-disable-next-line svelte/prefer-svelte-reactivity
			trackedOrigins: new Set([LocalOrigin]),
			// A safety net for the contract: entries of `tasks` and `columns` are never removed.
			deleteFilter: (item) => item.parent !== this.#tasks && item.parent !== this.#columns
		});
		this.#subscribe = createSubscriber((update) => {
			this.#changeListeners.add(update);
			return () => this.#changeListeners.delete(update);
		});
		for (const event of ['stack-item-added', 'stack-item-popped', 'stack-cleared'] as const) {
			this.#manager.on(event, this.#changed);
		}
		this.#manager.on('stack-item-added', this.#noteAdded);
		this.#doc.on('beforeTransaction', this.#beforeTransaction);
		// Registered after the undo manager's own listener, so its step for the transaction exists.
		this.#doc.on('afterTransaction', this.#afterTransaction);
	}

	#changed = () => {
		for (const listener of this.#changeListeners) listener();
	};

	#noteAdded = ({ stackItem, type }: { stackItem: DeletedCard['step']; type: string }) => {
		if (type === 'undo') this.#added = stackItem;
	};

	#beforeTransaction = (transaction: Y.Transaction) => {
		this.#added = null;
		// An operation right after typing starts a step of its own, not the end of the burst.
		if (isBoardOperation(transaction.origin)) this.#manager.stopCapturing();
	};

	#afterTransaction = (transaction: Y.Transaction) => {
		const step = this.#added;
		this.#added = null;
		if (!step || !isBoardOperation(transaction.origin)) return;
		// Nothing merges into an operation's step: typing right after it is a step of its own.
		this.#manager.stopCapturing();
		const created = this.#createdBy(transaction);
		if (created.length > 0) step.meta.set(createdKey, created);
		const taskId = this.#deletedCardOf(transaction);
		if (taskId === null) return;
		const card = readTask(readColumnSet(this.#doc), { id: taskId, value: this.#tasks.get(taskId) });
		const deleted = { taskId, title: card?.title ?? '', step };
		for (const listener of this.#deleteListeners) listener(deleted);
	};

	/** Cards and columns whose entries this transaction added (proportional to its changes). */
	#createdBy(transaction: Y.Transaction): Created[] {
		const created: Created[] = [];
		const collect = (map: Y.Map<unknown>, kind: Created['kind']) => {
			for (const key of transaction.changed.get(map as unknown as ChangedType) ?? []) {
				const item = key === null ? undefined : map._map.get(key);
				if (
					item &&
					!item.deleted &&
					item.id.clock >= (transaction.beforeState.get(item.id.client) ?? 0)
				) {
					created.push({ kind, id: key! });
				}
			}
		};
		collect(this.#tasks, 'card');
		collect(this.#columns, 'column');
		return created;
	}

	/** The card a single-card delete removed; null for anything else (a column's delete too). */
	#deletedCardOf(transaction: Y.Transaction): string | null {
		let found: string | null = null;
		for (const [type, keys] of transaction.changed) {
			const parent: unknown = type._item?.parent;
			const changed: unknown = type;
			if (parent === this.#columns || changed === this.#columns) return null;
			if (parent !== this.#tasks || !keys.has('deletedAt')) continue;
			if (!(changed instanceof Y.Map) || typeof changed.get('deletedAt') !== 'string') continue;
			if (found !== null) return null;
			found = type._item!.parentSub;
		}
		return found;
	}

	/** True when there is a step of this user's to undo (and the user may edit). */
	get canUndo(): boolean {
		this.#subscribe();
		return this.#manager.undoStack.length > 0 && !this.#options.readOnly();
	}

	get canRedo(): boolean {
		this.#subscribe();
		return this.#manager.redoStack.length > 0 && !this.#options.readOnly();
	}

	/** Undoes this user's last step; `value` is false when there was nothing to undo. */
	undo(): Outcome<boolean> {
		const top = this.#manager.undoStack.at(-1);
		if (!top) return this.#tell({ ok: true, value: false }, 'Nothing to undo.');
		const created = top.meta.get(createdKey) as Created[] | undefined;
		const manager = this.#manager;
		const outcome = created
			? this.#undoCreation(created)
			: this.#options.run(() => onlyTop(manager.undoStack, () => manager.undo()), manager);
		return this.#tell(outcome, 'Undone.', 'Nothing left to undo: others have changed it since.');
	}

	redo(): Outcome<boolean> {
		const manager = this.#manager;
		if (manager.redoStack.length === 0) {
			return this.#tell({ ok: true, value: false }, 'Nothing to redo.');
		}
		const outcome = this.#options.run(
			() => onlyTop(manager.redoStack, () => manager.redo()),
			manager
		);
		return this.#tell(outcome, 'Redone.', 'Nothing left to redo: others have changed it since.');
	}

	#tell(outcome: Outcome<boolean>, done: string, nothing = done): Outcome<boolean> {
		const text = outcome.ok ? (outcome.value ? done : nothing) : outcome.error.message;
		// The same words again must still be read out: identical texts alternate a trailing
		// no-break space.
		const repeated = this.notice?.text === text;
		this.notice = { text: repeated ? `${text}\u00a0` : text, failed: !outcome.ok };
		return outcome;
	}

	/**
	 * Brings back a card deleted by `deleted`: as an undo while that delete is still the last
	 * step (so it can be redone), otherwise as a restore of its own.
	 */
	undoDelete(deleted: DeletedCard): Outcome {
		if (this.#manager.undoStack.at(-1) === deleted.step) {
			const outcome = this.undo();
			return outcome.ok ? { ok: true, value: undefined } : outcome;
		}
		return this.#options.run(
			(doc, ctx) => restoreTask(doc, { taskId: deleted.taskId }, ctx),
			this.#options.origin
		);
	}

	/** Calls `listener` when this user deletes a single card; returns a function that stops it. */
	onCardDeleted(listener: (deleted: DeletedCard) => void): () => void {
		this.#deleteListeners.add(listener);
		return () => this.#deleteListeners.delete(listener);
	}

	#undoCreation(created: Created[]): Outcome<boolean> {
		const manager = this.#manager;
		const outcome = this.#options.run((doc, ctx) => {
			manager.undoStack.pop();
			const columns = created.filter((entry) => entry.kind === 'column');
			// Deleting a column deletes its cards: not when people have put cards in it meanwhile.
			if (columns.some((entry) => this.#liveCardsIn(entry.id))) return 'busy' as const;
			// Recorded as the undo manager's own undo, so the soft delete lands on the redo stack
			// and redo clears `deletedAt` again.
			manager.undoing = true;
			try {
				doc.transact(() => {
					for (const entry of created) {
						if (entry.kind === 'card') deleteTask(doc, { taskId: entry.id }, ctx);
						else if (this.#columnIsLive(entry.id)) {
							deleteColumn(doc, { columnId: entry.id }, ctx);
						}
					}
				}, manager);
			} finally {
				manager.undoing = false;
			}
			return true;
		}, manager);
		this.#changed();
		if (outcome.ok && outcome.value === 'busy') return { ok: false, error: cannotUndoColumn };
		return outcome.ok ? { ok: true, value: true } : outcome;
	}

	#columnIsLive(columnId: string): boolean {
		const column = this.#columns.get(columnId);
		return column instanceof Y.Map && (column.get('deletedAt') ?? null) === null;
	}

	#liveCardsIn(columnId: string): boolean {
		if (!this.#columnIsLive(columnId)) return false;
		return readColumnCards(this.#doc, columnId).cards.some((card) => card.deletedAt === null);
	}

	destroy(): void {
		this.#doc.off('beforeTransaction', this.#beforeTransaction);
		this.#doc.off('afterTransaction', this.#afterTransaction);
		this.#manager.destroy();
		this.#changeListeners.clear();
		this.#deleteListeners.clear();
	}
}

function isBoardOperation(origin: unknown): boolean {
	return origin instanceof LocalOrigin && origin.kind === 'board';
}
