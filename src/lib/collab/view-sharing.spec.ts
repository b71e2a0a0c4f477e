import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { createTask, initBoard, readBoard, updateTask } from '../domain/board/index.ts';
import { shareView } from './view-sharing.ts';

function board() {
	const doc = new Y.Doc();
	const ctx = { actorId: 'user-1' };
	initBoard(doc, { title: 'Board' }, ctx);
	const [todo, doing] = readBoard(doc).columns;
	const a = createTask(doc, { columnId: todo!.id, title: 'A', labels: ['x'] }, ctx);
	const b = createTask(doc, { columnId: doing!.id, title: 'B' }, ctx);
	return { doc, ctx, a, b };
}

describe('shareView', () => {
	it('returns the previous view when nothing changed', () => {
		const { doc } = board();
		const first = readBoard(doc);
		expect(shareView(first, readBoard(doc))).toBe(first);
	});

	it('keeps untouched columns and cards, replaces only what changed', () => {
		const { doc, ctx, a } = board();
		const first = readBoard(doc);
		updateTask(doc, { taskId: a, title: 'A2' }, ctx);
		const next = shareView(first, readBoard(doc));
		expect(next).not.toBe(first);
		expect(next.columns[0]).not.toBe(first.columns[0]);
		expect(next.columns[0]!.tasks[0]!.title).toBe('A2');
		expect(next.columns[1]).toBe(first.columns[1]);
		expect(next.columns[1]!.tasks[0]).toBe(first.columns[1]!.tasks[0]);
	});

	it('compares labels by content', () => {
		const { doc, ctx, a } = board();
		const first = readBoard(doc);
		updateTask(doc, { taskId: a, labels: ['x', 'y'] }, ctx);
		const next = shareView(first, readBoard(doc));
		expect(next.columns[0]!.tasks[0]!.labels).toEqual(['x', 'y']);
		expect(next).toEqual(readBoard(doc));
	});
});
