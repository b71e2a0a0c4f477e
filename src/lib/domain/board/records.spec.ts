import * as Y from 'yjs';
import { describe, expect, it } from 'vitest';
import { deleteColumn } from './columns.ts';
import { readColumnCards, readRecords } from './records.ts';
import { columnsMap, tasksMap } from './schema.ts';
import { createTask, deleteTask, moveTask } from './tasks.ts';
import { cardIds, createBoard } from './testing.ts';

/** A board with live, deleted and misplaced cards, and cards of a deleted column. */
function untidyBoard() {
	const board = createBoard();
	const [todo, doing, done] = board.columnIds as [string, string, string];
	const { doc, ctx } = board;
	for (const columnId of [todo, doing, done, todo, doing]) {
		createTask(doc, { columnId, title: 'Card' }, ctx);
	}
	const gone = createTask(doc, { columnId: doing, title: 'Gone' }, ctx);
	deleteTask(doc, { taskId: gone }, ctx);
	// What other clients may write: placements naming no column, of the wrong shape, or none.
	const misplaced: unknown[] = [{ columnId: 'nowhere', rank: 'a' }, 'sideways', null, undefined];
	misplaced.forEach((placement, i) => {
		const map = new Y.Map<unknown>();
		map.set('id', `odd-${i}`);
		map.set('title', 'Odd');
		if (placement !== undefined) map.set('placement', placement);
		tasksMap(doc).set(`odd-${i}`, map);
	});
	tasksMap(doc).set('not-a-map', 'text');
	return { ...board, todo, doing, done };
}

/** Each column's cards as `readRecords` places them, against `readColumnCards`. */
function expectSameColumns(doc: Y.Doc, columnIds: string[]) {
	const all = readRecords(doc).tasks;
	for (const columnId of [...columnIds, 'nowhere']) {
		const expected = all.filter((task) => task.columnId === columnId);
		const read = readColumnCards(doc, columnId).cards;
		expect(read).toEqual(
			expected.map(({ id, rank, deletedAt, map }) => ({ id, rank, deletedAt, map }))
		);
	}
}

describe('readColumnCards', () => {
	it("reads one column's cards exactly as readRecords does, misplaced ones included", () => {
		const { doc, ctx, columnIds, todo } = untidyBoard();
		expectSameColumns(doc, columnIds);
		// Misplaced cards follow the first live column.
		deleteColumn(doc, { columnId: todo }, ctx);
		expectSameColumns(doc, columnIds);
	});

	it('puts misplaced cards in the first column when no column is live', () => {
		const { doc, columnIds } = untidyBoard();
		for (const id of columnIds) {
			(columnsMap(doc).get(id) as Y.Map<unknown>).set('deletedAt', '2026-03-01T00:00:00.000Z');
		}
		expectSameColumns(doc, columnIds);
	});
});

describe('readColumnCards after changes', () => {
	it('stays exact as cards move, vanish, come from another replica or change mid-transaction', () => {
		const { doc, ctx, columnIds, todo, doing, done } = untidyBoard();
		const check = () => expectSameColumns(doc, columnIds);
		check(); // builds the index
		const [first, second] = readColumnCards(doc, todo).cards.map((card) => card.id);
		moveTask(doc, { taskId: first!, columnId: done }, ctx);
		check();
		(tasksMap(doc).get(second!) as Y.Map<unknown>).set('placement', { columnId: 'nowhere' });
		check();
		tasksMap(doc).delete(first!);
		tasksMap(doc).set('odd-0', 'no longer a card');
		check();
		// Another replica's edits arrive as an update.
		const other = new Y.Doc();
		Y.applyUpdate(other, Y.encodeStateAsUpdate(doc));
		const moved = readColumnCards(other, doing).cards[0]!.id;
		moveTask(other, { taskId: moved, columnId: todo }, { ...ctx, actorId: 'user-2' });
		createTask(other, { columnId: done, title: 'There' }, { ...ctx, actorId: 'user-2' });
		Y.applyUpdate(doc, Y.encodeStateAsUpdate(other, Y.encodeStateVector(doc)));
		check();
		// Inside one transaction, each creation sees the ones before it.
		doc.transact(() => {
			const ids = [0, 1, 2].map((i) => createTask(doc, { columnId: doing, title: `n${i}` }, ctx));
			moveTask(doc, { taskId: ids[0]!, columnId: todo }, ctx);
			check();
			const last = readColumnCards(doc, doing)
				.cards.filter((card) => !card.deletedAt)
				.at(-1);
			expect(last?.id).toBe(ids[2]);
		});
		check();
	});
});

describe('createTask on an untidy board', () => {
	it('appends after the misplaced cards its column shows', () => {
		const { doc, ctx, todo } = untidyBoard();
		const before = cardIds(doc)[0]!;
		const id = createTask(doc, { columnId: todo, title: 'Last' }, ctx);
		expect(cardIds(doc)[0]).toEqual([...before, id]);
		expect(before.some((card) => card.startsWith('odd-'))).toBe(true);
	});
});

describe('timestamps read from cards', () => {
	it('come out canonical, the same on every read, past the bound of remembered forms', () => {
		const board = createBoard();
		const { doc, ctx } = board;
		const id = createTask(doc, { columnId: board.columnIds[0]!, title: 'Dated' }, ctx);
		const card = tasksMap(doc).get(id) as Y.Map<unknown>;
		const read = () => readRecords(doc).taskById.get(id)!;
		const cases: [unknown, string, string | null][] = [
			['2026-03-01T10:00:00Z', '2026-03-01T10:00:00.000Z', '2026-03-01T10:00:00.000Z'],
			['2026-03-01T12:00:00+02:00', '2026-03-01T10:00:00.000Z', '2026-03-01T10:00:00.000Z'],
			// Unparseable: the epoch for creation, and still a deletion (dated at the epoch).
			['not a date', '1970-01-01T00:00:00.000Z', '1970-01-01T00:00:00.000Z'],
			[42, '1970-01-01T00:00:00.000Z', null]
		];
		for (const [value, createdAt, deletedAt] of cases) {
			card.set('createdAt', value);
			card.set('deletedAt', value);
			for (let i = 0; i < 2; i++) {
				expect(read().createdAt).toBe(createdAt);
				expect(read().deletedAt).toBe(deletedAt);
			}
		}
		// Many distinct times (more than are remembered), then the first again.
		for (let i = 0; i < 5000; i++) {
			card.set('createdAt', new Date(Date.UTC(2026, 0, 1, 0, 0, i)).toISOString());
			expect(read().createdAt).toBe(new Date(Date.UTC(2026, 0, 1, 0, 0, i)).toISOString());
		}
		card.set('createdAt', '2026-03-01T12:00:00+02:00');
		expect(read().createdAt).toBe('2026-03-01T10:00:00.000Z');
	});
});
