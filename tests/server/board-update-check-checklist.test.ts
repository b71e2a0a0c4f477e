/**
 * The contract check for checklists and label colours: what the domain operations write is
 * accepted (removing an item included), malformed items and colours are refused, and so is a
 * checklist past its limit. Pure: the check is a function of the update and the document.
 */
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import {
	addChecklistItem,
	moveChecklistItem,
	removeChecklistItem,
	setChecklistItemText,
	toggleChecklistItem
} from '../../src/lib/domain/board/checklist.ts';
import { setLabelColor } from '../../src/lib/domain/board/label-colors.ts';
import { readBoard } from '../../src/lib/domain/board/read.ts';
import { labelColorsMap, maxChecklistItems, tasksMap } from '../../src/lib/domain/board/schema.ts';
import { createTask } from '../../src/lib/domain/board/tasks.ts';
import { createBoard, testContext } from '../../src/lib/domain/board/testing.ts';
import { RefusedUpdate } from '../../server/board-guard/refusal.ts';
import { BoardUpdateCheck } from '../../server/board-guard/update-check.ts';
import { checkUpdateShape } from '../../server/board-guard/update-shape.ts';

/** A server copy of a board with one card, and a client whose every update is checked. */
function setup() {
	const { doc: client, ctx } = createBoard(testContext());
	const taskId = createTask(
		client,
		{ columnId: readBoard(client).columns[0]!.id, title: 'C' },
		ctx
	);
	const server = new Y.Doc();
	Y.applyUpdate(server, Y.encodeStateAsUpdate(client));
	const check = new BoardUpdateCheck(server, { maxCards: 100, maxColumns: 20 });
	/** Makes `edit` on the client; returns the refusal's message, or null when accepted. */
	const send = (edit: (doc: Y.Doc) => void): string | null => {
		const before = Y.encodeStateVector(client);
		edit(client);
		const update = Y.encodeStateAsUpdate(client, before);
		try {
			checkUpdateShape(update);
			check.check(update);
		} catch (error) {
			if (!(error instanceof RefusedUpdate)) throw error;
			return error.message;
		}
		Y.applyUpdate(server, update);
		return null;
	};
	const card = (doc: Y.Doc) => tasksMap(doc).get(taskId) as Y.Map<unknown>;
	return { client, ctx, taskId, server, send, card };
}

describe('board update check: checklists and label colours', () => {
	it('accepts every checklist and label colour operation, and the server reads the result', () => {
		const { ctx, taskId, server, send } = setup();
		let one = '';
		let two = '';
		expect(send((d) => (one = addChecklistItem(d, { taskId, text: 'one' }, ctx)))).toBeNull();
		expect(send((d) => (two = addChecklistItem(d, { taskId, text: 'two' }, ctx)))).toBeNull();
		expect(
			send((d) => setChecklistItemText(d, { taskId, itemId: one, text: 'uno' }, ctx))
		).toBeNull();
		expect(
			send((d) => toggleChecklistItem(d, { taskId, itemId: two, done: true }, ctx))
		).toBeNull();
		expect(
			send((d) => moveChecklistItem(d, { taskId, itemId: two, beforeItemId: one }, ctx))
		).toBeNull();
		expect(send((d) => removeChecklistItem(d, { taskId, itemId: one }, ctx))).toBeNull();
		expect(send((d) => setLabelColor(d, { label: 'bug', color: 'red' }, ctx))).toBeNull();
		expect(send((d) => setLabelColor(d, { label: 'bug', color: null }, ctx))).toBeNull();
		expect(send((d) => setLabelColor(d, { label: 'ui', color: 'teal' }, ctx))).toBeNull();
		const onServer = readBoard(server);
		expect(onServer.columns[0]!.tasks[0]!.checklist).toEqual([
			{ id: two, text: 'two', done: true }
		]);
		expect(onServer.labelColors).toEqual({ ui: 'teal' });
	});

	/** A new item map under `key` with the given fields, written in one transaction. */
	const item =
		(fields: Record<string, unknown>, key = 'checklist:x') =>
		(card: Y.Map<unknown>) => {
			const map = new Y.Map<unknown>();
			for (const [name, value] of Object.entries(fields)) map.set(name, value);
			card.set(key, map);
		};
	const complete = { id: 'x', text: 'fine', done: false, rank: 'a0' };

	const refusals: [string, RegExp, (card: Y.Map<unknown>, doc: Y.Doc) => void][] = [
		[
			'an item that is not a Y.Map',
			/checklist item must be a Y.Map/,
			(c) => c.set('checklist:x', 'a')
		],
		['an item missing fields', /lacks "rank"/, item({ id: 'x', text: 'a', done: false })],
		['an item text above 500 characters', /text/, item({ ...complete, text: 'x'.repeat(501) })],
		['an item text with a line break', /text/, item({ ...complete, text: 'two\nlines' })],
		['an empty item text', /text/, item({ ...complete, text: '  ' })],
		['done that is not a boolean', /done/, item({ ...complete, done: 'yes' })],
		['an unknown item field', /no field "colour"/, item({ ...complete, colour: 'red' })],
		['a colour outside the palette', /palette/, (_c, d) => labelColorsMap(d).set('bug', 'plaid')],
		[
			'a colour for a label no card could have',
			/label/,
			(_c, d) => labelColorsMap(d).set('a\nb', 'red')
		],
		['a colour as a shared type', /palette/, (_c, d) => labelColorsMap(d).set('bug', new Y.Map())]
	];
	for (const [name, reason, edit] of refusals) {
		it(`refuses ${name}`, () => {
			const { send, card } = setup();
			const refused = send((d) => d.transact(() => edit(card(d), d)));
			expect(refused).toMatch(reason);
		});
	}

	it('accepts ticking an item that someone else has just removed (Yjs discards the tick)', () => {
		const { ctx, taskId, send, client, server } = setup();
		let id = '';
		expect(send((d) => (id = addChecklistItem(d, { taskId, text: 'one' }, ctx)))).toBeNull();
		const other = new Y.Doc();
		Y.applyUpdate(other, Y.encodeStateAsUpdate(client));
		expect(send((d) => removeChecklistItem(d, { taskId, itemId: id }, ctx))).toBeNull();
		const before = Y.encodeStateVector(other);
		toggleChecklistItem(other, { taskId, itemId: id, done: true }, testContext());
		setChecklistItemText(other, { taskId, itemId: id, text: 'reworded' }, testContext());
		const update = Y.encodeStateAsUpdate(other, before);
		const check = new BoardUpdateCheck(server, { maxCards: 100, maxColumns: 20 });
		checkUpdateShape(update);
		expect(() => check.check(update)).not.toThrow();
		Y.applyUpdate(server, update);
		expect(readBoard(server).columns[0]!.tasks[0]!.checklist).toEqual([]);
	});

	it('refuses a large write into an item someone else removed (it would be logged unchecked)', () => {
		const { ctx, taskId, send, client, server } = setup();
		let id = '';
		expect(send((d) => (id = addChecklistItem(d, { taskId, text: 'one' }, ctx)))).toBeNull();
		const other = new Y.Doc();
		Y.applyUpdate(other, Y.encodeStateAsUpdate(client));
		expect(send((d) => removeChecklistItem(d, { taskId, itemId: id }, ctx))).toBeNull();
		const before = Y.encodeStateVector(other);
		const stale = (tasksMap(other).get(taskId) as Y.Map<unknown>).get(
			`checklist:${id}`
		) as Y.Map<unknown>;
		other.transact(() => {
			stale.set('text', 'x'.repeat(100_000));
			stale.set('junk', new Y.Map());
		});
		const update = Y.encodeStateAsUpdate(other, before);
		const check = new BoardUpdateCheck(server, { maxCards: 100, maxColumns: 20 });
		checkUpdateShape(update);
		expect(() => check.check(update)).toThrow(/removed/);
	});

	it('refuses removing one field of an item, but not the item as a whole', () => {
		const { ctx, taskId, send, card, client } = setup();
		let id = '';
		expect(send((d) => (id = addChecklistItem(d, { taskId, text: 'one' }, ctx)))).toBeNull();
		const stored = card(client).get(`checklist:${id}`) as Y.Map<unknown>;
		expect(send(() => stored.delete('text'))).toMatch(/required field "text"/);
	});

	it(`refuses item ${2 * maxChecklistItems + 1} in one update (twice the limit: room for honest races)`, () => {
		const { send, card } = setup();
		const many = (d: Y.Doc, count: number) =>
			d.transact(() => {
				for (let i = 0; i < count; i++) {
					item({ ...complete, id: `i${i}` }, `checklist:i${i}`)(card(d));
				}
			});
		expect(send((d) => many(d, 2 * maxChecklistItems + 1))).toMatch(/at most 200 items/);
	});

	it('accepts two people adding the last items at once, and an offline remove-and-add at the limit', () => {
		const { ctx, taskId, send, client, server } = setup();
		expect(
			send((d) =>
				d.transact(() => {
					for (let i = 0; i < maxChecklistItems - 1; i++)
						addChecklistItem(d, { taskId, text: `${i}` }, ctx);
				})
			)
		).toBeNull();
		// Another person, offline with the same 199 items, adds one while this client adds one.
		const other = new Y.Doc();
		Y.applyUpdate(other, Y.encodeStateAsUpdate(client));
		expect(send((d) => addChecklistItem(d, { taskId, text: 'mine' }, ctx))).toBeNull();
		const before = Y.encodeStateVector(other);
		addChecklistItem(other, { taskId, text: 'theirs' }, testContext());
		const update = Y.encodeStateAsUpdate(other, before);
		const check = new BoardUpdateCheck(server, { maxCards: 100, maxColumns: 20 });
		checkUpdateShape(update);
		expect(() => check.check(update)).not.toThrow();
	});

	it(`accepts ${2 * maxChecklistItems} items and refuses one more in a later update`, () => {
		const { send, card } = setup();
		expect(
			send((d) =>
				d.transact(() => {
					for (let i = 0; i < 2 * maxChecklistItems; i++)
						item({ ...complete, id: `i${i}` }, `checklist:i${i}`)(card(d));
				})
			)
		).toBeNull();
		expect(send((d) => item({ ...complete, id: 'extra' }, 'checklist:extra')(card(d)))).toMatch(
			/at most 200 items/
		);
	});
});
