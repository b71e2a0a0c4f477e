import * as Y from 'yjs';
import { describe, expect, it } from 'vitest';
import { editDescription } from '#lib/domain/board/description.ts';
import {
	createColumn,
	deleteColumn,
	moveColumn,
	newColumnMap,
	renameColumn,
	setColumnCategory,
	setWipLimit
} from '#lib/domain/board/columns.ts';
import { createTask, moveTask, updateTask } from '#lib/domain/board/tasks.ts';
import { readTaskRecords } from '#lib/domain/board/records.ts';
import { createBoard, testContext } from '#lib/domain/board/testing.ts';
import { BoardShadow, type BoardChange } from './board-changes.ts';
import { changedFields, touchedBy, type TaskState, type Touched } from './board-shadow.ts';

describe('touchedBy', () => {
	it('is computed once per transaction and shared by every listener', () => {
		const { doc, ctx, columnIds } = createBoard();
		const seen: Readonly<Touched>[] = [];
		let reads = 0;
		const tasks = doc.getMap('tasks');
		for (let i = 0; i < 3; i++) {
			doc.on('afterTransaction', (transaction: Y.Transaction) => {
				const touched = touchedBy(doc, transaction);
				if (seen.at(-1) !== touched) reads++;
				seen.push(touched);
			});
		}
		const id = createTask(doc, { columnId: columnIds[0]!, title: 'one' }, ctx);
		expect(reads).toBe(1);
		expect(seen).toHaveLength(3);
		expect([...seen[0]!.tasks]).toEqual([id]);
		expect(tasks.size).toBe(1);
	});

	it('names only the cards the transaction touched, nested changes traced to their card', () => {
		const { doc, ctx, columnIds } = createBoard();
		const ids = Array.from({ length: 50 }, (_, i) =>
			createTask(doc, { columnId: columnIds[0]!, title: `card ${i}` }, ctx)
		);
		const touched: Readonly<Touched>[] = [];
		doc.on('afterTransaction', (transaction: Y.Transaction) =>
			touched.push(touchedBy(doc, transaction))
		);
		// A keystroke changes the card's description Y.Text, not the card map itself.
		editDescription(doc, { taskId: ids[7]!, index: 0, deleteCount: 0, insert: 'typed' }, ctx);
		moveTask(doc, { taskId: ids[9]!, columnId: columnIds[1]! }, ctx);
		expect(touched.map((t) => [...t.tasks])).toEqual([[ids[7]], [ids[9]]]);
		expect(touched.every((t) => t.columns.size === 0 && !t.board)).toBe(true);
	});
});

/** A card written as a hostile or outdated client could: no such column, unknown values. */
function rawCard(doc: Y.Doc, id: string): void {
	doc.transact(() => {
		const card = new Y.Map<unknown>();
		card.set('title', 'Raw');
		card.set('placement', { columnId: 'no-such-column', rank: 'a' });
		card.set('priority', 'whenever');
		card.set('dueDate', 'soon');
		doc.getMap('tasks').set(id, card);
	});
}

function watch(doc: Y.Doc): BoardChange[] {
	const shadow = new BoardShadow(doc, 'board');
	const seen: BoardChange[] = [];
	doc.on('afterTransaction', (transaction: Y.Transaction) =>
		seen.push(...shadow.apply(transaction).changes)
	);
	return seen;
}

const rawId = '00000000-0000-4000-8000-000000000001';

describe('BoardShadow', () => {
	it('tells a malformed card as the rows and the board show it (one card reader)', () => {
		const { doc, columnIds } = createBoard();
		const seen = watch(doc);
		rawCard(doc, rawId);
		const row = readTaskRecords(doc, [rawId]).taskById.get(rawId)!;
		expect(row).toMatchObject({ columnId: columnIds[0], priority: 'medium', dueDate: null });
		expect(seen).toEqual([
			expect.objectContaining({
				type: 'task.created',
				payload: expect.objectContaining({
					columnId: row.columnId,
					priority: row.priority,
					dueDate: row.dueDate
				})
			})
		]);
	});

	it('follows a card the columns move without telling a move of the card', () => {
		const { doc, ctx, columnIds } = createBoard();
		rawCard(doc, rawId);
		const seen = watch(doc);
		// The card sits in the first live column; moving the last column first takes it there.
		moveColumn(doc, { columnId: columnIds.at(-1)!, beforeColumnId: columnIds[0]! }, ctx);
		expect(readTaskRecords(doc, [rawId]).taskById.get(rawId)!.columnId).toBe(columnIds.at(-1));
		seen.length = 0;
		updateTask(doc, { taskId: rawId, title: 'Renamed' }, ctx);
		expect(seen.map((change) => change.type)).toEqual(['task.updated']);
	});

	it('tells column edits, deletions (marked and outright) and restorations', () => {
		const { doc, ctx, columnIds } = createBoard();
		const [first, second, third] = columnIds as [string, string, string];
		const seen = watch(doc);
		const columns = doc.getMap('columns');
		const column = (id: string) => columns.get(id) as Y.Map<unknown>;
		setColumnCategory(doc, { columnId: first, category: 'done' }, ctx);
		setWipLimit(doc, { columnId: first, wipLimit: 3 }, ctx);
		renameColumn(doc, { columnId: second, title: 'Doing now' }, ctx);
		deleteColumn(doc, { columnId: second }, ctx);
		doc.transact(() => column(second).set('deletedAt', null));
		doc.transact(() => columns.delete(third));
		doc.transact(() => columns.set('junk', 'not a column'));
		expect(seen.map(({ type, entityId, payload }) => ({ type, entityId, payload }))).toEqual([
			{
				type: 'column.updated',
				entityId: first,
				payload: { title: 'To do', changes: { category: { before: 'todo', after: 'done' } } }
			},
			{
				type: 'column.updated',
				entityId: first,
				payload: { title: 'To do', changes: { wipLimit: { before: null, after: 3 } } }
			},
			{
				type: 'column.renamed',
				entityId: second,
				payload: { before: 'In progress', after: 'Doing now' }
			},
			{ type: 'column.deleted', entityId: second, payload: { title: 'Doing now' } },
			{ type: 'column.restored', entityId: second, payload: { title: 'Doing now' } },
			{ type: 'column.deleted', entityId: third, payload: { title: 'Done', hard: true } }
		]);
	});

	it('tells a card moved within a column whose key a hostile client wrote with a NUL, with its title', () => {
		const doc = new Y.Doc();
		const ctx = testContext();
		const key = 'col\u0000umn';
		doc
			.getMap('columns')
			.set(key, newColumnMap({ id: key, title: 'Odd', rank: 'a', category: 'todo' }));
		const [a, , c] = ['A', 'B', 'C'].map((title) =>
			createTask(doc, { columnId: key, title }, ctx)
		) as [string, string, string];
		const seen = watch(doc);
		moveTask(doc, { taskId: c, columnId: key, beforeTaskId: a }, ctx);
		expect(seen).toEqual([
			expect.objectContaining({
				type: 'task.moved',
				entityId: c,
				payload: expect.objectContaining({
					position: 0,
					// Events carry the key storable (no NUL), the title as the document has it.
					fromColumnId: 'column',
					toColumnId: 'column',
					fromColumnTitle: 'Odd',
					toColumnTitle: 'Odd'
				})
			})
		]);
	});

	it('tells the creation of a card made before the board had a column', () => {
		const doc = new Y.Doc();
		const seen = watch(doc);
		rawCard(doc, rawId);
		expect(seen).toEqual([]);
		createColumn(doc, { title: 'First' }, testContext());
		expect(seen.map((change) => change.type)).toEqual(['column.created', 'task.created']);
	});
});

describe('changedFields', () => {
	const card: TaskState = {
		title: 'Card',
		columnId: 'c',
		rank: 'a',
		priority: 'medium',
		assigneeId: null,
		dueDate: null,
		labels: ['one', 'two'],
		descriptionChars: 4,
		checklist: { done: 1, total: 2 },
		deletedAt: null,
		createdBy: null
	};

	it('names each field whose value differs, and none for an equal copy', () => {
		const copy = { ...card, labels: [...card.labels], checklist: { ...card.checklist } };
		expect(changedFields(card, copy)).toEqual([]);
		expect(changedFields(card, { ...copy, checklist: { done: 2, total: 2 } })).toEqual([
			'checklist'
		]);
		expect(changedFields(card, { ...copy, checklist: { done: 1, total: 3 } })).toEqual([
			'checklist'
		]);
		expect(changedFields(card, { ...copy, labels: ['two', 'one'] })).toEqual(['labels']);
		expect(changedFields(card, { ...copy, labels: ['one'] })).toEqual(['labels']);
		expect(changedFields(card, { ...copy, title: 'Other', descriptionChars: 5 })).toEqual([
			'title',
			'description'
		]);
	});
});
