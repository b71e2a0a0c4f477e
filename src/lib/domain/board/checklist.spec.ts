import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { initBoard } from './board.ts';
import {
	addChecklistItem,
	moveChecklistItem,
	removeChecklistItem,
	setChecklistItemText,
	toggleChecklistItem
} from './checklist.ts';
import { expectConverged, Network, type Replica } from './network-simulation.ts';
import { readBoard, type TaskView } from './read.ts';
import { checklistKey, maxChecklistItems, tasksMap } from './schema.ts';
import { createTask, deleteTask } from './tasks.ts';
import { createBoard, createRandom, expectRefused, testContext } from './testing.ts';

function card(doc: Y.Doc, id: string): TaskView {
	return readBoard(doc)
		.columns.flatMap((column) => column.tasks)
		.find((t) => t.id === id)!;
}

function boardWithCard() {
	const board = createBoard(testContext());
	const taskId = createTask(board.doc, { columnId: board.columnIds[0]!, title: 'Card' }, board.ctx);
	return { ...board, taskId };
}

const texts = (doc: Y.Doc, id: string) => card(doc, id).checklist.map((item) => item.text);

describe('checklist operations', () => {
	it('adds, rewords, ticks, reorders and removes items', () => {
		const { doc, ctx, taskId } = boardWithCard();
		const a = addChecklistItem(doc, { taskId, text: ' Write ' }, ctx);
		const b = addChecklistItem(doc, { taskId, text: 'Test' }, ctx);
		const c = addChecklistItem(doc, { taskId, text: 'First', beforeItemId: a }, ctx);
		expect(texts(doc, taskId)).toEqual(['First', 'Write', 'Test']);
		setChecklistItemText(doc, { taskId, itemId: b, text: 'Test it' }, ctx);
		toggleChecklistItem(doc, { taskId, itemId: a, done: true }, ctx);
		moveChecklistItem(doc, { taskId, itemId: c, afterItemId: b }, ctx);
		expect(card(doc, taskId).checklist).toEqual([
			{ id: a, text: 'Write', done: true },
			{ id: b, text: 'Test it', done: false },
			{ id: c, text: 'First', done: false }
		]);
		removeChecklistItem(doc, { taskId, itemId: a }, ctx);
		expect(texts(doc, taskId)).toEqual(['Test it', 'First']);
		expect(tasksMap(doc).get(taskId)).toBeInstanceOf(Y.Map);
		expect((tasksMap(doc).get(taskId) as Y.Map<unknown>).has(checklistKey(a))).toBe(false);
	});

	it('writes nothing for a change that changes nothing', () => {
		const { doc, ctx, taskId } = boardWithCard();
		const a = addChecklistItem(doc, { taskId, text: 'One' }, ctx);
		let updates = 0;
		doc.on('update', () => updates++);
		setChecklistItemText(doc, { taskId, itemId: a, text: 'One' }, ctx);
		toggleChecklistItem(doc, { taskId, itemId: a, done: false }, ctx);
		moveChecklistItem(doc, { taskId, itemId: a }, ctx);
		expect(updates).toBe(0);
	});

	it('refuses bad input before touching the document', () => {
		const { doc, ctx, taskId } = boardWithCard();
		const a = addChecklistItem(doc, { taskId, text: 'One' }, ctx);
		const add = (text: unknown) => () => addChecklistItem(doc, { taskId, text } as never, ctx);
		expectRefused(doc, add(''), 'invalid_checklist_text', 'text');
		expectRefused(doc, add('x'.repeat(501)), 'invalid_checklist_text', 'text');
		expectRefused(doc, add('two\nlines'), 'invalid_checklist_text', 'text');
		expectRefused(doc, add(7), 'invalid_checklist_text', 'text');
		expectRefused(
			doc,
			() => toggleChecklistItem(doc, { taskId, itemId: 'nope', done: true }, ctx),
			'unknown_checklist_item',
			'itemId'
		);
		expectRefused(
			doc,
			() => toggleChecklistItem(doc, { taskId, itemId: a, done: 'yes' as never }, ctx),
			'invalid_checklist_done',
			'done'
		);
		expectRefused(
			doc,
			() => moveChecklistItem(doc, { taskId, itemId: a, afterItemId: 'nope' }, ctx),
			'invalid_position',
			'afterItemId'
		);
		deleteTask(doc, { taskId }, ctx);
		expectRefused(doc, add('late'), 'task_deleted', 'taskId');
	});

	it(`holds at most ${maxChecklistItems} items`, () => {
		const { doc, ctx, taskId } = boardWithCard();
		for (let i = 0; i < maxChecklistItems; i++)
			addChecklistItem(doc, { taskId, text: `${i}` }, ctx);
		expectRefused(
			doc,
			() => addChecklistItem(doc, { taskId, text: 'one more' }, ctx),
			'checklist_full',
			'text'
		);
	});

	it('reads an old card without a checklist, and skips malformed items', () => {
		const { doc, taskId } = boardWithCard();
		expect(card(doc, taskId).checklist).toEqual([]);
		const map = tasksMap(doc).get(taskId) as Y.Map<unknown>;
		const item = new Y.Map<unknown>();
		doc.transact(() => {
			map.set('checklist:junk', 'not a map');
			map.set('checklist:odd', item);
			item.set('text', 42);
			item.set('done', 'yes');
		});
		expect(card(doc, taskId).checklist).toEqual([{ id: 'odd', text: '', done: false }]);
	});
});

/** Two synced replicas of a board with one card holding items one and two. */
function pair() {
	const network = new Network(2, createRandom(3), () => new Date('2026-03-01T00:00:00.000Z'));
	const [a, b] = network.replicas as [Replica, Replica];
	initBoard(a.doc, { title: 'Board' }, a.ctx);
	const column = readBoard(a.doc).columns[0]!.id;
	const taskId = createTask(a.doc, { columnId: column, title: 'Card' }, a.ctx);
	const one = addChecklistItem(a.doc, { taskId, text: 'one' }, a.ctx);
	const two = addChecklistItem(a.doc, { taskId, text: 'two' }, a.ctx);
	network.settle();
	return { network, a, b, taskId, one, two };
}

describe('concurrent checklist edits', () => {
	it('keeps items added at the same time by two people, even at the same spot', () => {
		const { network, a, b, taskId, one } = pair();
		addChecklistItem(a.doc, { taskId, text: 'from a', afterItemId: one }, a.ctx);
		addChecklistItem(b.doc, { taskId, text: 'from b', afterItemId: one }, b.ctx);
		network.settle();
		expectConverged(network);
		expect(texts(a.doc, taskId).toSorted()).toEqual(['from a', 'from b', 'one', 'two']);
		expect(texts(a.doc, taskId)[0]).toBe('one');
		expect(texts(a.doc, taskId)[3]).toBe('two');
	});

	it('keeps a tick and a rewording of the same item', () => {
		const { network, a, b, taskId, one } = pair();
		toggleChecklistItem(a.doc, { taskId, itemId: one, done: true }, a.ctx);
		setChecklistItemText(b.doc, { taskId, itemId: one, text: 'one, reworded' }, b.ctx);
		network.settle();
		expectConverged(network);
		expect(card(b.doc, taskId).checklist[0]).toEqual({
			id: one,
			text: 'one, reworded',
			done: true
		});
	});

	it('moves an item once when two people move it to different places', () => {
		const { network, a, b, taskId, one, two } = pair();
		const three = addChecklistItem(a.doc, { taskId, text: 'three' }, a.ctx);
		network.settle();
		moveChecklistItem(a.doc, { taskId, itemId: one, afterItemId: two }, a.ctx);
		moveChecklistItem(b.doc, { taskId, itemId: one, afterItemId: three }, b.ctx);
		network.settle();
		expectConverged(network);
		const ids = card(a.doc, taskId).checklist.map((item) => item.id);
		expect(ids.filter((id) => id === one)).toHaveLength(1);
		expect(ids).toHaveLength(3);
	});

	it('leaves a removed item removed when someone ticks it at the same time', () => {
		const { network, a, b, taskId, one } = pair();
		removeChecklistItem(a.doc, { taskId, itemId: one }, a.ctx);
		toggleChecklistItem(b.doc, { taskId, itemId: one, done: true }, b.ctx);
		network.settle();
		expectConverged(network);
		expect(texts(b.doc, taskId)).toEqual(['two']);
	});

	it('keeps first items added at once by two people to an old card without a checklist', () => {
		const { network, a, b } = pair();
		const column = readBoard(a.doc).columns[0]!.id;
		const taskId = createTask(a.doc, { columnId: column, title: 'Old' }, a.ctx);
		network.settle();
		addChecklistItem(a.doc, { taskId, text: 'from a' }, a.ctx);
		addChecklistItem(b.doc, { taskId, text: 'from b' }, b.ctx);
		network.settle();
		expectConverged(network);
		expect(texts(a.doc, taskId).toSorted()).toEqual(['from a', 'from b']);
	});
});
