import * as Y from 'yjs';
import { describe, expect, it } from 'vitest';
import { diffText, editDescription, setDescription } from './description.ts';
import { readBoard } from './read.ts';
import { tasksMap } from './schema.ts';
import { createTask, deleteTask } from './tasks.ts';
import { createBoard, expectRefused, testContext } from './testing.ts';

function boardWithCard(description = 'Hello world') {
	const board = createBoard();
	const taskId = createTask(
		board.doc,
		{ columnId: board.columnIds[0] as string, title: 'Card', description },
		board.ctx
	);
	return { ...board, taskId };
}

function description(doc: Y.Doc): string | undefined {
	return readBoard(doc).columns[0]?.tasks[0]?.description;
}

describe('diffText', () => {
	it('finds the changed middle', () => {
		expect(diffText('Hello world', 'Hello brave world')).toEqual({
			index: 6,
			deleteCount: 0,
			insert: 'brave '
		});
		expect(diffText('abc', 'abc')).toEqual({ index: 3, deleteCount: 0, insert: '' });
		expect(diffText('aaa', 'aa')).toEqual({ index: 2, deleteCount: 1, insert: '' });
		expect(diffText('', 'new')).toEqual({ index: 0, deleteCount: 0, insert: 'new' });
	});

	it('never splits a surrogate pair', () => {
		expect(diffText('a😀b', 'a😁b')).toEqual({ index: 1, deleteCount: 2, insert: '😁' });
	});
});

describe('editDescription', () => {
	it('inserts, deletes and replaces', () => {
		const { doc, ctx, taskId } = boardWithCard();
		editDescription(doc, { taskId, index: 5, deleteCount: 0, insert: ',' }, ctx);
		expect(description(doc)).toBe('Hello, world');
		editDescription(doc, { taskId, index: 0, deleteCount: 5, insert: 'Goodbye' }, ctx);
		expect(description(doc)).toBe('Goodbye, world');
		editDescription(doc, { taskId, index: 7, deleteCount: 7, insert: '' }, ctx);
		expect(description(doc)).toBe('Goodbye');
	});

	it('refuses ranges outside the text, overlong results and deleted cards', () => {
		const { doc, ctx, taskId } = boardWithCard('abc');
		const edit = (index: number, deleteCount: number, insert: string) => () =>
			editDescription(doc, { taskId, index, deleteCount, insert }, ctx);
		expectRefused(doc, edit(4, 0, 'x'), 'invalid_position', 'index');
		expectRefused(doc, edit(-1, 0, 'x'), 'invalid_position', 'index');
		expectRefused(doc, edit(1.5, 0, 'x'), 'invalid_position', 'index');
		expectRefused(doc, edit(2, 2, ''), 'invalid_position', 'deleteCount');
		expectRefused(doc, edit(0, 0, 'x'.repeat(19998)), 'invalid_description', 'description');
		expectRefused(doc, edit(0, 0, '\u0000'), 'invalid_description', 'insert');
		expectRefused(
			doc,
			() => editDescription(doc, { taskId: 'nope', index: 0, deleteCount: 0, insert: '' }, ctx),
			'unknown_task'
		);
		deleteTask(doc, { taskId }, ctx);
		expectRefused(doc, edit(0, 0, 'x'), 'task_deleted');
	});
});

describe('setDescription', () => {
	it('replaces the text', () => {
		const { doc, ctx, taskId } = boardWithCard();
		setDescription(doc, { taskId, text: 'Hello there, world' }, ctx);
		expect(description(doc)).toBe('Hello there, world');
		const before = Y.encodeStateAsUpdate(doc);
		setDescription(doc, { taskId, text: 'Hello there, world' }, ctx);
		expect(Y.encodeStateAsUpdate(doc)).toEqual(before);
	});

	it('merges concurrent typing in different places', () => {
		const { doc, taskId } = boardWithCard('The quick fox');
		const other = new Y.Doc();
		Y.applyUpdate(other, Y.encodeStateAsUpdate(doc));
		setDescription(doc, { taskId, text: 'The quick brown fox' }, testContext());
		setDescription(other, { taskId, text: 'The quick fox jumps' }, testContext());
		Y.applyUpdate(doc, Y.encodeStateAsUpdate(other));
		Y.applyUpdate(other, Y.encodeStateAsUpdate(doc));
		expect(description(doc)).toBe('The quick brown fox jumps');
		expect(description(other)).toBe('The quick brown fox jumps');
	});

	it('repairs a description that another client stored as a plain string', () => {
		const { doc, ctx, taskId } = boardWithCard();
		(tasksMap(doc).get(taskId) as Y.Map<unknown>).set('description', 'plain');
		expect(description(doc)).toBe('plain');
		setDescription(doc, { taskId, text: 'plain text' }, ctx);
		expect((tasksMap(doc).get(taskId) as Y.Map<unknown>).get('description')).toBeInstanceOf(Y.Text);
		editDescription(doc, { taskId, index: 0, deleteCount: 0, insert: '>' }, ctx);
		expect(description(doc)).toBe('>plain text');
	});

	it('refuses overlong text and deleted cards', () => {
		const { doc, ctx, taskId } = boardWithCard();
		expectRefused(
			doc,
			() => setDescription(doc, { taskId, text: 'x'.repeat(20001) }, ctx),
			'invalid_description',
			'description'
		);
		deleteTask(doc, { taskId }, ctx);
		expectRefused(doc, () => setDescription(doc, { taskId, text: 'x' }, ctx), 'task_deleted');
	});
});
