import * as Y from 'yjs';
import { describe, expect, it } from 'vitest';
import { initBoard, renameBoard } from './board.ts';
import { readBoard } from './read.ts';
import { boardMap, columnsMap, schemaVersion } from './schema.ts';
import { createBoard, expectRefused, testContext } from './testing.ts';

describe('initBoard', () => {
	it('writes the title, schema version and the three default columns', () => {
		const { doc, view } = createBoard();
		expect(view.title).toBe('Launch');
		expect(view.schemaVersion).toBe(schemaVersion);
		expect(boardMap(doc).get('schemaVersion')).toBe(1);
		expect(view.columns.map((column) => [column.title, column.category])).toEqual([
			['To do', 'todo'],
			['In progress', 'in_progress'],
			['Done', 'done']
		]);
		expect(view.columns.every((column) => column.wipLimit === null)).toBe(true);
		expect(view.deletedTasks).toEqual([]);
	});

	it('stores every column field, with the id inside the map matching its key', () => {
		const { doc } = createBoard();
		for (const [id, value] of columnsMap(doc)) {
			const column = (value as Y.Map<unknown>).toJSON();
			expect(column).toMatchObject({ id, wipLimit: null, deletedAt: null });
			expect(Object.keys(column).sort()).toEqual(
				['category', 'deletedAt', 'id', 'rank', 'title', 'wipLimit'].sort()
			);
		}
	});

	it('does nothing on an initialized document', () => {
		const { doc, ctx } = createBoard();
		const before = Y.encodeStateAsUpdate(doc);
		initBoard(doc, { title: 'Other' }, ctx);
		initBoard(doc, { title: '' }, ctx);
		expect(Y.encodeStateAsUpdate(doc)).toEqual(before);
	});

	it('keeps columns a document already has', () => {
		const doc = new Y.Doc();
		columnsMap(doc).set('c', new Y.Map());
		initBoard(doc, { title: 'Kept' }, testContext());
		expect(columnsMap(doc).size).toBe(1);
	});

	it('refuses an invalid title and leaves the document empty', () => {
		const doc = new Y.Doc();
		expectRefused(doc, () => initBoard(doc, { title: '  ' }, testContext()), 'invalid_title');
		expect(boardMap(doc).size).toBe(0);
	});

	it('writes in one transaction with the given origin', () => {
		const doc = new Y.Doc();
		const origins: unknown[] = [];
		doc.on('afterTransaction', (transaction) => origins.push(transaction.origin));
		initBoard(doc, { title: 'Board' }, testContext({ origin: 'server' }));
		expect(origins).toEqual(['server']);
	});
});

describe('renameBoard', () => {
	it('renames, trimming the title', () => {
		const { doc, ctx } = createBoard();
		renameBoard(doc, { title: '  Roadmap ' }, ctx);
		expect(readBoard(doc).title).toBe('Roadmap');
	});

	it('leaves the document untouched when the title is the same', () => {
		const { doc, ctx } = createBoard();
		const before = Y.encodeStateAsUpdate(doc);
		renameBoard(doc, { title: 'Launch' }, ctx);
		expect(Y.encodeStateAsUpdate(doc)).toEqual(before);
	});

	it('refuses empty, whitespace and overlong titles', () => {
		const { doc, ctx } = createBoard();
		for (const title of ['', ' \t ', 'x'.repeat(256)]) {
			expectRefused(doc, () => renameBoard(doc, { title }, ctx), 'invalid_title', 'title');
		}
	});

	it('refuses to write a document of another schema version', () => {
		const { doc, ctx } = createBoard();
		boardMap(doc).set('schemaVersion', 2);
		expectRefused(doc, () => renameBoard(doc, { title: 'New' }, ctx), 'unsupported_schema');
	});
});
