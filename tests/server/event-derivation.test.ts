/**
 * Which events the domain operations produce, read from Yjs transactions alone (no server):
 * moves within and across columns, neighbours re-ranked to make room (not moves), column
 * deletion with its cards, soft delete and restore.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import {
	createColumn,
	createTask,
	deleteColumn,
	deleteTask,
	initBoard,
	moveColumn,
	moveTask,
	readBoard,
	renameBoard,
	restoreTask,
	setDescription,
	updateTask
} from '../../src/lib/domain/board/index.ts';
import { BoardShadow, type BoardChange } from '../../server/events/board-changes.ts';

const ctx = { actorId: 'ana' };
let doc: Y.Doc;
let seen: BoardChange[];
let columns: string[];

beforeEach(() => {
	doc = new Y.Doc();
	initBoard(doc, { title: 'Derivation' }, ctx);
	const shadow = new BoardShadow(doc, 'board-1');
	seen = [];
	doc.on('afterTransaction', (tr: Y.Transaction) => seen.push(...shadow.apply(tr).changes));
	columns = readBoard(doc).columns.map((c) => c.id);
});

const types = () => seen.map((c) => `${c.type} ${c.entityId}`);
const card = (title: string, column = columns[0]!) =>
	createTask(doc, { columnId: column, title }, ctx);

describe('board event derivation', () => {
	it('tells a card’s life: created, updated, moved, deleted, restored', () => {
		const a = card('A');
		updateTask(doc, { taskId: a, title: 'A2', priority: 'urgent' }, ctx);
		setDescription(doc, { taskId: a, text: 'hello' }, ctx);
		moveTask(doc, { taskId: a, columnId: columns[1]! }, ctx);
		deleteTask(doc, { taskId: a }, ctx);
		restoreTask(doc, { taskId: a }, ctx);
		expect(types()).toEqual([
			`task.created ${a}`,
			`task.updated ${a}`,
			`task.updated ${a}`,
			`task.moved ${a}`,
			`task.deleted ${a}`,
			`task.restored ${a}`
		]);
		expect(seen[1]!.payload.changes).toEqual({
			title: { before: 'A', after: 'A2' },
			priority: { before: 'medium', after: 'urgent' }
		});
		expect(seen[1]!.fields).toEqual(['title', 'priority']);
		expect(seen[2]!.payload.changes).toEqual({
			description: { before: { chars: 0 }, after: { chars: 5 } }
		});
		expect(seen[3]!.payload).toMatchObject({
			fromColumnTitle: 'To do',
			toColumnTitle: 'In progress'
		});
	});

	it('reports a reorder within a column as one move, not the neighbours made room for', () => {
		const [a, b, , d] = [card('A'), card('B'), card('C'), card('D')];
		// Two cards sharing a rank (as concurrent inserts can) leave no room between them.
		const tasks = doc.getMap('tasks');
		const rankOf = (id: string) => ((tasks.get(id) as Y.Map<any>).get('placement') as any).rank;
		(tasks.get(b) as Y.Map<unknown>).set('placement', { columnId: columns[0], rank: rankOf(a) });
		const [first, second] = a < b ? [a, b] : [b, a];
		seen.length = 0;
		moveTask(
			doc,
			{ taskId: d, columnId: columns[0]!, afterTaskId: first, beforeTaskId: second },
			ctx
		);
		expect(readBoard(doc).columns[0]!.tasks.map((t) => t.id)).toEqual([
			first,
			d,
			second,
			expect.any(String)
		]);
		expect(types()).toEqual([`task.moved ${d}`]);
		expect(seen[0]!.payload).toMatchObject({ fromColumnId: columns[0], toColumnId: columns[0] });
		expect(seen[0]!.payload.position).toBe(1);
	});

	it('does not call neighbours re-ranked for a new card moves', () => {
		const [a, b] = [card('A'), card('B')];
		const tasks = doc.getMap('tasks');
		const rank = ((tasks.get(a) as Y.Map<any>).get('placement') as any).rank;
		(tasks.get(b) as Y.Map<unknown>).set('placement', { columnId: columns[0], rank });
		seen.length = 0;
		const c = createTask(doc, { columnId: columns[0]!, title: 'C', afterTaskId: a }, ctx);
		expect(types()).toEqual([`task.created ${c}`]);
	});

	it('deletes a column after moving its cards, and tells column moves and renames', () => {
		const [a, b] = [card('A'), card('B')];
		const extra = createColumn(doc, { title: 'Later' }, ctx);
		moveColumn(doc, { columnId: extra, beforeColumnId: columns[0]! }, ctx);
		seen.length = 0;
		deleteColumn(doc, { columnId: columns[0]!, moveTasksTo: extra }, ctx);
		expect(types()).toEqual([`task.moved ${a}`, `task.moved ${b}`, `column.deleted ${columns[0]}`]);
		seen.length = 0;
		moveColumn(doc, { columnId: columns[2]!, beforeColumnId: extra }, ctx);
		renameBoard(doc, { title: 'Renamed' }, ctx);
		expect(types()).toEqual([`column.moved ${columns[2]}`, 'board.renamed board-1']);
		expect(seen[1]!.payload).toEqual({ before: 'Derivation', after: 'Renamed' });
	});

	it('deletes the cards of a column deleted without a target', () => {
		const a = card('A', columns[1]!);
		seen.length = 0;
		deleteColumn(doc, { columnId: columns[1]! }, ctx);
		expect(types()).toEqual([`task.deleted ${a}`, `column.deleted ${columns[1]}`]);
	});
});
