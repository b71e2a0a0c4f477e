import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import {
	createColumn,
	createTask,
	deleteTask,
	editDescription,
	initBoard,
	isDomainError,
	liveBoardView,
	moveTask,
	readBoard,
	tasksMap,
	updateTask,
	type OpContext
} from '../domain/board/index.ts';
import { BoardUndo, type DeletedCard, type RunOperation } from './board-undo.svelte.ts';
import { LocalOrigin } from './local-origin.ts';

const captureTimeout = 150;

/** One person's tab: a document, the undo over it, and operations run as BoardState runs them. */
function replica(actorId: string) {
	const doc = new Y.Doc();
	const origin = new LocalOrigin('board');
	const typing = new LocalOrigin('typing');
	const state = { readOnly: false };
	const run: RunOperation = (op, opOrigin) => {
		if (state.readOnly)
			return { ok: false, error: { code: 'read_only', message: 'no', field: null } };
		try {
			return { ok: true, value: op(doc, { actorId, origin: opOrigin ?? origin }) };
		} catch (error) {
			if (isDomainError(error)) return { ok: false, error };
			throw error;
		}
	};
	// Short, so that a pause between bursts costs the test little.
	const undo = new BoardUndo({ doc, origin, run, readOnly: () => state.readOnly, captureTimeout });
	const ctx: OpContext = { actorId, origin };
	return { doc, undo, ctx, typing, state };
}

/** Two tabs whose documents exchange every update, as through the server. */
function twoPeople() {
	const a = replica('ana');
	const b = replica('ben');
	initBoard(a.doc, { title: 'Plan' }, { actorId: 'server' });
	Y.applyUpdate(b.doc, Y.encodeStateAsUpdate(a.doc));
	a.doc.on('update', (update: Uint8Array, origin: unknown) => {
		if (origin !== 'wire') Y.applyUpdate(b.doc, update, 'wire');
	});
	b.doc.on('update', (update: Uint8Array, origin: unknown) => {
		if (origin !== 'wire') Y.applyUpdate(a.doc, update, 'wire');
	});
	const columns = readBoard(a.doc).columns.map((column) => column.id);
	return { a, b, columns };
}

function where(doc: Y.Doc, taskId: string) {
	const view = liveBoardView(doc);
	// The live view the page renders must stay equal to a fresh read after every undo.
	expect(view).toEqual(readBoard(doc));
	const column = view.columns.find((c) => c.tasks.some((t) => t.id === taskId));
	const task = column?.tasks.find((t) => t.id === taskId);
	return { columnId: column?.id ?? null, title: task?.title ?? null };
}

describe('BoardUndo', () => {
	it("undoes my move but keeps someone else's later title edit, on both replicas", () => {
		const { a, b, columns } = twoPeople();
		const [todo, doing] = columns as [string, string];
		const card = createTask(a.doc, { columnId: todo, title: 'Order badges' }, a.ctx);
		moveTask(a.doc, { taskId: card, columnId: doing }, a.ctx);
		updateTask(b.doc, { taskId: card, title: 'Order 200 badges' }, b.ctx);
		expect(b.undo.canUndo).toBe(true);

		expect(a.undo.undo()).toEqual({ ok: true, value: true });
		for (const doc of [a.doc, b.doc]) {
			expect(where(doc, card)).toEqual({ columnId: todo, title: 'Order 200 badges' });
		}

		expect(a.undo.canRedo).toBe(true);
		expect(a.undo.redo()).toEqual({ ok: true, value: true });
		for (const doc of [a.doc, b.doc]) {
			expect(where(doc, card)).toEqual({ columnId: doing, title: 'Order 200 badges' });
		}
	});

	it("never undoes someone else's change, and skips my step they overwrote", () => {
		const { a, b, columns } = twoPeople();
		const card = createTask(b.doc, { columnId: columns[0]!, title: 'Ben made this' }, b.ctx);
		expect(a.undo.canUndo).toBe(false);
		expect(a.undo.undo()).toEqual({ ok: true, value: false });
		expect(a.undo.notice).toEqual({ text: 'Nothing to undo.', failed: false });

		updateTask(a.doc, { taskId: card, priority: 'high' }, a.ctx);
		updateTask(b.doc, { taskId: card, priority: 'low' }, b.ctx);
		expect(a.undo.undo()).toEqual({ ok: true, value: false });
		expect(liveBoardView(b.doc).columns[0]!.tasks[0]!.priority).toBe('low');
		expect(a.undo.notice?.text).toMatch(/others have changed it since/);
	});

	it('groups a typing burst into one step, and an operation after it into its own', async () => {
		const { a, columns } = twoPeople();
		const card = createTask(a.doc, { columnId: columns[0]!, title: 'Notes' }, a.ctx);
		const type = (index: number, insert: string) =>
			editDescription(
				a.doc,
				{ taskId: card, index, deleteCount: 0, insert },
				{ ...a.ctx, origin: a.typing }
			);
		const text = () => liveBoardView(a.doc).columns[0]!.tasks[0]!.description;
		type(0, 'Hel');
		type(3, 'lo');
		type(5, '!');
		// A pause longer than the capture timeout starts a new burst (Yjs reads the real clock).
		await new Promise((resolve) => setTimeout(resolve, captureTimeout * 2));
		type(6, ' Bye');
		updateTask(a.doc, { taskId: card, priority: 'urgent' }, a.ctx);
		expect(text()).toBe('Hello! Bye');

		a.undo.undo();
		expect(liveBoardView(a.doc).columns[0]!.tasks[0]!.priority).toBe('medium');
		expect(text()).toBe('Hello! Bye');
		a.undo.undo();
		expect(text()).toBe('Hello!');
		a.undo.undo();
		expect(text()).toBe('');
		a.undo.redo();
		expect(text()).toBe('Hello!');
	});

	it('undoes a creation as a soft delete (entries are never removed), and redo restores it', () => {
		const { a, b, columns } = twoPeople();
		const card = createTask(a.doc, { columnId: columns[0]!, title: 'Oops' }, a.ctx);
		expect(a.undo.undo()).toEqual({ ok: true, value: true });
		for (const doc of [a.doc, b.doc]) {
			expect(tasksMap(doc).has(card)).toBe(true);
			expect(liveBoardView(doc).deletedTasks.map((task) => task.id)).toEqual([card]);
		}
		expect(a.undo.redo()).toEqual({ ok: true, value: true });
		expect(where(b.doc, card).columnId).toBe(columns[0]);
		// And undone again: a plain field change now.
		a.undo.undo();
		expect(liveBoardView(b.doc).deletedTasks.map((task) => task.id)).toEqual([card]);
	});

	it('undoes a new empty column, but not one that others put cards in', () => {
		const { a, b } = twoPeople();
		const empty = createColumn(a.doc, { title: 'Empty' }, a.ctx);
		a.undo.undo();
		expect(readBoard(b.doc).columns.map((c) => c.id)).not.toContain(empty);

		const busy = createColumn(a.doc, { title: 'Review' }, a.ctx);
		createTask(b.doc, { columnId: busy, title: 'In review' }, b.ctx);
		const outcome = a.undo.undo();
		expect(outcome.ok).toBe(false);
		expect(readBoard(b.doc).columns.map((c) => c.id)).toContain(busy);
		// That step is gone; the next undo goes further back (the first column's removal).
		expect(a.undo.canUndo).toBe(false);
	});

	it('reports my single-card deletes, and brings the card back from the toast', () => {
		const { a, b, columns } = twoPeople();
		const deletes: DeletedCard[] = [];
		a.undo.onCardDeleted((deleted) => deletes.push(deleted));
		const first = createTask(a.doc, { columnId: columns[0]!, title: 'First' }, a.ctx);
		const second = createTask(a.doc, { columnId: columns[0]!, title: 'Second' }, a.ctx);
		deleteTask(b.doc, { taskId: second }, b.ctx);
		expect(deletes).toEqual([]);

		deleteTask(a.doc, { taskId: first }, a.ctx);
		expect(deletes.map((d) => [d.taskId, d.title])).toEqual([[first, 'First']]);
		expect(a.undo.undoDelete(deletes[0]!).ok).toBe(true);
		expect(where(b.doc, first).columnId).toBe(columns[0]);
		// Redo deletes it again; the toast's undo is then no longer the last step (a card was
		// added after it), so it restores the card as a change of its own.
		a.undo.redo();
		createTask(a.doc, { columnId: columns[1]!, title: 'Third' }, a.ctx);
		expect(a.undo.undoDelete(deletes[0]!).ok).toBe(true);
		expect(liveBoardView(b.doc).deletedTasks.map((t) => t.id)).toEqual([second]);
	});

	it('refuses to undo or redo on a read-only board', () => {
		const { a, columns } = twoPeople();
		createTask(a.doc, { columnId: columns[0]!, title: 'Mine' }, a.ctx);
		a.state.readOnly = true;
		expect(a.undo.canUndo).toBe(false);
		expect(a.undo.undo().ok).toBe(false);
		a.state.readOnly = false;
		expect(a.undo.canUndo).toBe(true);
	});
});

describe('BoardUndo, one step per press', () => {
	it('does not fall through a step others overwrote onto a creation below it', () => {
		const { a, b, columns } = twoPeople();
		const [todo] = columns as [string];
		const other = createTask(a.doc, { columnId: todo, title: 'Other' }, a.ctx);
		const created = createTask(a.doc, { columnId: todo, title: 'Mine' }, a.ctx);
		updateTask(a.doc, { taskId: other, priority: 'high' }, a.ctx);
		updateTask(b.doc, { taskId: other, priority: 'low' }, b.ctx);

		// The top step has nothing left: it is dropped, and the creation below stays as it is.
		expect(a.undo.undo()).toEqual({ ok: true, value: false });
		const card = tasksMap(a.doc).get(created) as Y.Map<unknown>;
		expect(card.get('id')).toBe(created);
		expect(card.get('title')).toBe('Mine');
		// The next press undoes the creation as a soft delete, with every field kept.
		expect(a.undo.undo()).toEqual({ ok: true, value: true });
		expect(card.get('id')).toBe(created);
		expect(typeof card.get('deletedAt')).toBe('string');
		expect(where(b.doc, created).columnId).toBeNull();
	});
});
