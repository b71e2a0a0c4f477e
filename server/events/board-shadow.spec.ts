import * as Y from 'yjs';
import { describe, expect, it } from 'vitest';
import { editDescription } from '#lib/domain/board/description.ts';
import { createTask, moveTask } from '#lib/domain/board/tasks.ts';
import { readTaskRecords } from '#lib/domain/board/records.ts';
import { createBoard } from '#lib/domain/board/testing.ts';
import { BoardShadow, type BoardChange } from './board-changes.ts';
import { touchedBy, type Touched } from './board-shadow.ts';

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

describe('BoardShadow', () => {
	it('tells a malformed card as the rows and the board show it (one card reader)', () => {
		const { doc, columnIds } = createBoard();
		const shadow = new BoardShadow(doc, 'board');
		const seen: BoardChange[] = [];
		doc.on('afterTransaction', (transaction: Y.Transaction) =>
			seen.push(...shadow.apply(transaction).changes)
		);
		// As a hostile or outdated client could write it: no such column, unknown values.
		const id = '00000000-0000-4000-8000-000000000001';
		doc.transact(() => {
			const card = new Y.Map<unknown>();
			card.set('title', 'Raw');
			card.set('placement', { columnId: 'no-such-column', rank: 'a' });
			card.set('priority', 'whenever');
			card.set('dueDate', 'soon');
			doc.getMap('tasks').set(id, card);
		});
		const row = readTaskRecords(doc, [id]).taskById.get(id)!;
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
});
