import * as Y from 'yjs';
import { describe, expect, it } from 'vitest';
import { initBoard } from './board.ts';
import { createColumn } from './columns.ts';
import {
	copyBoardContent,
	writeBoardContent,
	writeBoardContentInSteps,
	type ContentCard
} from './copy.ts';
import { readLabelColors, setLabelColor } from './label-colors.ts';
import { addChecklistItem, toggleChecklistItem } from './checklist.ts';
import { DomainError } from './errors.ts';
import { readBoard } from './read.ts';
import { createTask, deleteTask, moveTask } from './tasks.ts';

const ana = { actorId: 'ana' };

function source() {
	const doc = new Y.Doc();
	initBoard(doc, { title: 'Source' }, ana);
	const [todo, doing] = readBoard(doc).columns;
	const a = createTask(
		doc,
		{ columnId: todo!.id, title: 'A', description: 'text', labels: ['x'], assigneeId: 'ed' },
		ana
	);
	createTask(
		doc,
		{ columnId: todo!.id, title: 'B', assigneeId: 'ana', dueDate: '2030-01-01' },
		ana
	);
	const gone = createTask(doc, { columnId: doing!.id, title: 'Gone' }, ana);
	deleteTask(doc, { taskId: gone }, ana);
	moveTask(doc, { taskId: a, columnId: todo!.id }, ana);
	createColumn(doc, { title: 'Later', wipLimit: 2 }, ana);
	return readBoard(doc);
}

/** A view without ids, ranks or authorship: what a copy must keep. */
const shape = (view: ReturnType<typeof readBoard>) =>
	view.columns.map((column) => ({
		title: column.title,
		category: column.category,
		wipLimit: column.wipLimit,
		tasks: column.tasks.map(({ title, description, priority, dueDate, labels }) => ({
			title,
			description,
			priority,
			dueDate,
			labels
		}))
	}));

describe('copyBoardContent', () => {
	it('keeps checklists (text, done, order) and label colours', () => {
		const doc = new Y.Doc();
		initBoard(doc, { title: 'Source' }, ana);
		const [todo] = readBoard(doc).columns;
		const card = createTask(doc, { columnId: todo!.id, title: 'Listed', labels: ['bug'] }, ana);
		const first = addChecklistItem(doc, { taskId: card, text: 'one' }, ana);
		addChecklistItem(doc, { taskId: card, text: 'two' }, ana);
		toggleChecklistItem(doc, { taskId: card, itemId: first, done: true }, ana);
		setLabelColor(doc, { label: 'bug', color: 'red' }, ana);

		const copy = new Y.Doc();
		const ctx = { actorId: 'ana', memberIds: new Set(['ana']) };
		copyBoardContent(copy, readBoard(doc), { title: 'Copy' }, ctx);
		const copied = readBoard(copy).columns[0]!.tasks[0]!;
		expect(copied.checklist.map((i) => [i.text, i.done])).toEqual([
			['one', true],
			['two', false]
		]);
		expect({ ...readLabelColors(copy) }).toEqual({ bug: 'red' });
	});

	it('writes the live columns and cards in order, with fresh ids and no deleted cards', () => {
		const from = source();
		const doc = new Y.Doc();
		const ctx = { actorId: 'ana', memberIds: new Set(['ana']), now: () => new Date(0) };
		copyBoardContent(doc, from, { title: 'Copy' }, ctx);
		const copy = readBoard(doc);
		expect(copy.title).toBe('Copy');
		expect(copy.schemaVersion).toBe(from.schemaVersion);
		expect(shape(copy)).toEqual(shape(from));
		expect(copy.deletedTasks).toEqual([]);
		const oldIds = new Set([
			...from.columns.map((c) => c.id),
			...from.columns.flatMap((c) => c.tasks.map((t) => t.id))
		]);
		for (const column of copy.columns) {
			expect(oldIds.has(column.id)).toBe(false);
			for (const task of column.tasks) {
				expect(oldIds.has(task.id)).toBe(false);
				expect(task.columnId).toBe(column.id);
				expect(task).toMatchObject({ createdBy: 'ana', createdAt: new Date(0).toISOString() });
			}
		}
		// Ed is no member of the copy: his card is unassigned there.
		expect(copy.columns[0]!.tasks.map((t) => [t.title, t.assigneeId])).toEqual([
			['B', 'ana'],
			['A', null]
		]);
	});

	it('refuses a bad title before writing anything', () => {
		const doc = new Y.Doc();
		expect(() => copyBoardContent(doc, source(), { title: ' ' }, ana)).toThrow(DomainError);
		expect(readBoard(doc).columns).toEqual([]);
	});
});

describe('writeBoardContent', () => {
	const card = (title: string, extra: Partial<ContentCard> = {}): ContentCard => ({
		title,
		description: '',
		priority: 'medium',
		assigneeId: null,
		dueDate: null,
		labels: [],
		checklist: [],
		deleted: false,
		...extra
	});

	it('writes checklists in order, deleted cards as deleted, and palette label colours', () => {
		const doc = new Y.Doc();
		const ctx = { actorId: 'ana', memberIds: new Set(['ana', 'ed']), now: () => new Date(0) };
		const ids = writeBoardContent(
			doc,
			{
				title: 'Imported',
				labelColors: { Ready: 'green', Odd: 'not-a-colour' },
				columns: [
					{
						title: 'To do',
						cards: [
							card('First', {
								labels: ['Ready'],
								assigneeId: 'ed',
								checklist: [
									{ text: 'one', done: true },
									{ text: 'two', done: false }
								]
							}),
							card('Gone', { deleted: true, assigneeId: 'stranger' })
						]
					},
					{ title: 'Done', category: 'done', wipLimit: 4, cards: [card('Last')] }
				]
			},
			ctx
		);
		const view = readBoard(doc);
		expect(view.columns.map((c) => [c.title, c.category, c.wipLimit])).toEqual([
			['To do', 'todo', null],
			['Done', 'done', 4]
		]);
		const first = view.columns[0]!.tasks[0]!;
		expect(view.columns[0]!.tasks.map((t) => t.title)).toEqual(['First']);
		expect(first.assigneeId).toBe('ed');
		expect(first.checklist.map((i) => [i.text, i.done])).toEqual([
			['one', true],
			['two', false]
		]);
		expect(view.deletedTasks.map((t) => [t.title, t.assigneeId, t.deletedAt])).toEqual([
			['Gone', null, new Date(0).toISOString()]
		]);
		expect(readLabelColors(doc)).toEqual({ Ready: 'green' });
		expect(ids).toHaveLength(3);
		expect(ids[0]).toBe(first.id);
	});

	it('in steps: yields the cards written after each step and ends with the same board', () => {
		const content = {
			title: 'Big',
			labelColors: { Ready: 'green' },
			columns: [
				{ title: 'A', cards: Array.from({ length: 5 }, (_, i) => card(`a${i}`)) },
				{
					title: 'B',
					cards: Array.from({ length: 3 }, (_, i) => card(`b${i}`, { labels: ['Ready'] }))
				}
			]
		};
		let n = 0;
		const ctx = () => ({
			actorId: 'ana',
			memberIds: new Set(['ana']),
			now: () => new Date(0),
			newId: () => `id-${n++}`
		});
		const whole = new Y.Doc();
		n = 0;
		const wholeIds = writeBoardContent(whole, content, ctx());
		const stepped = new Y.Doc();
		n = 0;
		const steps = writeBoardContentInSteps(stepped, content, ctx(), 3);
		const yielded: number[] = [];
		let result = steps.next();
		for (; !result.done; result = steps.next()) {
			yielded.push(result.value);
			// Nothing reads as a board until the last step: the title comes at the end.
			expect(readBoard(stepped).title).toBe('');
		}
		expect(yielded).toEqual([3, 6, 8]);
		expect(result.value).toEqual(wholeIds);
		expect(readBoard(stepped)).toEqual(readBoard(whole));
		expect(readLabelColors(stepped)).toEqual({ Ready: 'green' });
	});
});
