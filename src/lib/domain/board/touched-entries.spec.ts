import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { initBoard, renameBoard } from './board.ts';
import { createColumn, deleteColumn, renameColumn } from './columns.ts';
import { editDescription } from './description.ts';
import { readBoard } from './read.ts';
import { createTask, moveTask, updateTask } from './tasks.ts';
import { touchedEntries, type TouchedEntries } from './touched-entries.ts';

const ctx = { actorId: 'u1' };

/** What each transaction run by `edit` touched, as sorted plain lists. */
function touchedBy(doc: Y.Doc, edit: () => void) {
	const seen: TouchedEntries[] = [];
	const listener = (transaction: Y.Transaction) =>
		seen.push(touchedEntries(doc, transaction.changed));
	doc.on('afterTransaction', listener);
	doc.transact(edit);
	doc.off('afterTransaction', listener);
	expect(seen).toHaveLength(1);
	const [touched] = seen as [TouchedEntries];
	return {
		cards: [...touched.cards].sort(),
		columns: [...touched.columns].sort(),
		board: touched.board
	};
}

function board() {
	const doc = new Y.Doc();
	initBoard(doc, { title: 'Plan' }, ctx);
	const [todo, doing] = readBoard(doc).columns.map((c) => c.id) as [string, string];
	const card = createTask(doc, { columnId: todo, title: 'First' }, ctx);
	return { doc, todo, doing, card };
}

describe('touchedEntries', () => {
	it('names a created card, and a card whose field, description or labels changed', () => {
		const { doc, todo, card } = board();
		let created = '';
		expect(
			touchedBy(doc, () => (created = createTask(doc, { columnId: todo, title: 'New' }, ctx)))
		).toEqual({ cards: [created], columns: [], board: false });
		expect(touchedBy(doc, () => updateTask(doc, { taskId: card, title: 'Renamed' }, ctx))).toEqual({
			cards: [card],
			columns: [],
			board: false
		});
		expect(
			touchedBy(doc, () =>
				editDescription(doc, { taskId: card, index: 0, deleteCount: 0, insert: 'Hi' }, ctx)
			)
		).toEqual({ cards: [card], columns: [], board: false });
		expect(
			touchedBy(doc, () => updateTask(doc, { taskId: card, labels: ['urgent'] }, ctx))
		).toEqual({ cards: [card], columns: [], board: false });
	});

	it('names a moved card once, and columns created, renamed or deleted with their cards', () => {
		const { doc, todo, doing, card } = board();
		expect(touchedBy(doc, () => moveTask(doc, { taskId: card, columnId: doing }, ctx))).toEqual({
			cards: [card],
			columns: [],
			board: false
		});
		let added = '';
		expect(touchedBy(doc, () => (added = createColumn(doc, { title: 'Review' }, ctx)))).toEqual({
			cards: [],
			columns: [added],
			board: false
		});
		expect(
			touchedBy(doc, () => renameColumn(doc, { columnId: todo, title: 'Later' }, ctx))
		).toEqual({ cards: [], columns: [todo], board: false });
		expect(touchedBy(doc, () => deleteColumn(doc, { columnId: doing }, ctx))).toEqual({
			cards: [card],
			columns: [doing],
			board: false
		});
	});

	it("says when the board's own fields changed", () => {
		const { doc } = board();
		expect(touchedBy(doc, () => renameBoard(doc, { title: 'Renamed' }, ctx))).toEqual({
			cards: [],
			columns: [],
			board: true
		});
	});
});
