import * as Y from 'yjs';
import { describe, expect, it } from 'vitest';
import { BatchRefused, createTasks, updateTasks } from './batch.ts';
import { initBoard } from './board.ts';
import { readBoard, readColumns } from './read.ts';

const ctx = { actorId: 'actor' };

function board() {
	const doc = new Y.Doc();
	initBoard(doc, { title: 'Board' }, ctx);
	return { doc, columns: readColumns(doc).map((column) => column.id) };
}

const titles = (doc: Y.Doc, column: number) =>
	readBoard(doc).columns[column]!.tasks.map((task) => task.title);

describe('createTasks', () => {
	it('appends every item to its column in order, in one transaction', () => {
		const { doc, columns } = board();
		let transactions = 0;
		doc.on('afterTransaction', () => transactions++);
		const ids = createTasks(
			doc,
			[{ title: 'a' }, { title: 'b', columnId: columns[1] }, { title: 'c' }],
			ctx
		);
		expect(ids).toHaveLength(3);
		expect(transactions).toBe(1);
		expect(titles(doc, 0)).toEqual(['a', 'c']);
		expect(titles(doc, 1)).toEqual(['b']);
	});

	it('refuses the whole batch, naming every bad item, and writes nothing', () => {
		const { doc } = board();
		const before = Y.encodeStateVector(doc);
		let refusal: unknown;
		try {
			createTasks(
				doc,
				[{ title: 'fine' }, { title: '' }, { title: 'x', dueDate: 'soon', labels: 'no' as never }],
				{ ...ctx, memberIds: new Set(['actor']) }
			);
		} catch (error) {
			refusal = error;
		}
		expect(refusal).toBeInstanceOf(BatchRefused);
		expect((refusal as BatchRefused).errors.map((e) => [e.index, e.field])).toEqual([
			[1, 'title'],
			[2, 'dueDate'],
			[2, 'labels']
		]);
		expect(Y.encodeStateVector(doc)).toEqual(before);
	});
});

describe('updateTasks', () => {
	it('changes and moves cards in order; position counts the other live cards', () => {
		const { doc, columns } = board();
		const [a, b, c] = createTasks(doc, [{ title: 'a' }, { title: 'b' }, { title: 'c' }], ctx);
		updateTasks(
			doc,
			[
				{ id: c!, position: 0, title: 'C' },
				{ id: a!, columnId: columns[1] },
				{ id: b!, columnId: columns[1], position: 0 }
			],
			ctx
		);
		expect(titles(doc, 0)).toEqual(['C']);
		expect(titles(doc, 1)).toEqual(['b', 'a']);
	});

	it('refuses unknown, repeated and misplaced items without writing', () => {
		const { doc } = board();
		const [a] = createTasks(doc, [{ title: 'a' }], ctx);
		const before = Y.encodeStateVector(doc);
		expect(() =>
			updateTasks(
				doc,
				[
					{ id: a!, title: 'A' },
					{ id: 'missing', title: 'B' },
					{ id: a!, priority: 'low' },
					{ id: a!, columnId: 'nowhere' }
				],
				ctx
			)
		).toThrow(BatchRefused);
		expect(Y.encodeStateVector(doc)).toEqual(before);
		expect(titles(doc, 0)).toEqual(['a']);
	});
});
