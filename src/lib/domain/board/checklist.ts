/**
 * Checklist operations. Each item is its own entry of the card's map (`checklist:<id>`, see
 * schema.ts) with separate `text`, `done` and `rank` keys, so one person ticking an item while
 * another rewords it keeps both, and concurrent adds all survive. Order comes from ranks, as
 * for cards: a move writes only the moved item's rank (plus neighbours when there is no room).
 */
import * as Y from 'yjs';
import { commit, nextId, type OpContext } from './context.ts';
import { DomainError } from './errors.ts';
import { placeAmong, readNamedTask, requireLiveTask, type Sibling } from './lookup.ts';
import { anchorIndex } from './ordering.ts';
import type { ChecklistItemRecord, TaskRecord } from './records.ts';
import { checklistKey, maxChecklistItems, maxChecklistTextLength } from './schema.ts';
import { assertWritable } from './validate.ts';
// Items are single-line; NUL in particular cannot be stored by PostgreSQL.
import { controlCharacters, hasVisibleText } from '../visible-text.ts';

/** Input of `addChecklistItem`; without anchors the item goes last. */
export interface AddChecklistItemInput {
	taskId: string;
	text: string;
	done?: boolean;
	afterItemId?: string | null;
	beforeItemId?: string | null;
}

/** Input of `moveChecklistItem`; without anchors the item goes last. */
export interface MoveChecklistItemInput {
	taskId: string;
	itemId: string;
	afterItemId?: string | null;
	beforeItemId?: string | null;
}

const anchorFields = { after: 'afterItemId', before: 'beforeItemId' };

/** Trimmed, non-empty, single-line text of at most `maxChecklistTextLength`. */
export function validateChecklistText(value: unknown, field = 'text'): string {
	const text = typeof value === 'string' ? value.trim() : '';
	if (!hasVisibleText(text)) {
		throw new DomainError('invalid_checklist_text', 'Enter the item’s text.', field);
	}
	if (text.length > maxChecklistTextLength) {
		throw new DomainError(
			'invalid_checklist_text',
			`Keep an item to ${maxChecklistTextLength} characters or fewer.`,
			field
		);
	}
	if (controlCharacters.test(text)) {
		throw new DomainError('invalid_checklist_text', 'An item cannot contain line breaks.', field);
	}
	return text;
}

function validateDone(value: unknown): boolean {
	if (typeof value !== 'boolean') {
		throw new DomainError('invalid_checklist_done', 'Done must be true or false.', 'done');
	}
	return value;
}

function requireItem(task: TaskRecord, itemId: unknown): ChecklistItemRecord {
	const item = task.checklist.find((candidate) => candidate.id === itemId);
	if (!item) {
		throw new DomainError('unknown_checklist_item', 'There is no such checklist item.', 'itemId');
	}
	return item;
}

function liveCard(doc: Y.Doc, taskId: unknown): TaskRecord {
	assertWritable(doc);
	return requireLiveTask(readNamedTask(doc, taskId), taskId);
}

function siblings(task: TaskRecord, exceptId?: string): Sibling[] {
	return task.checklist
		.filter((item) => item.id !== exceptId)
		.map(({ id, rank, map }) => ({ id, rank, map }));
}

function writeRanks(writes: readonly { map: Y.Map<unknown>; rank: string }[]): void {
	for (const { map, rank } of writes) map.set('rank', rank);
}

/** Adds an item to a live card's checklist and returns its id. */
export function addChecklistItem(doc: Y.Doc, input: AddChecklistItemInput, ctx: OpContext): string {
	const text = validateChecklistText(input.text);
	const done = input.done === undefined ? false : validateDone(input.done);
	const task = liveCard(doc, input.taskId);
	if (task.checklist.length >= maxChecklistItems) {
		throw new DomainError(
			'checklist_full',
			`A checklist holds at most ${maxChecklistItems} items.`,
			'text'
		);
	}
	const list = siblings(task);
	const index = anchorIndex(
		list.map((item) => item.id),
		input.afterItemId,
		input.beforeItemId,
		anchorFields
	);
	const id = nextId(ctx);
	const map = new Y.Map<unknown>();
	const { rank, writes } = placeAmong(list, index, { id, map });
	for (const [key, value] of [
		['id', id],
		['text', text],
		['done', done],
		['rank', rank]
	] as const) {
		map.set(key, value);
	}
	commit(doc, ctx, () => {
		writeRanks(writes);
		task.map.set(checklistKey(id), map);
	});
	return id;
}

/** Rewords an item; the same text writes nothing (it would win over a concurrent edit). */
export function setChecklistItemText(
	doc: Y.Doc,
	input: { taskId: string; itemId: string; text: string },
	ctx: OpContext
): void {
	const text = validateChecklistText(input.text);
	const item = requireItem(liveCard(doc, input.taskId), input.itemId);
	if (item.map.get('text') === text) return;
	commit(doc, ctx, () => item.map.set('text', text));
}

/**
 * Ticks or unticks an item. It takes the wanted state rather than flipping it, so two people
 * ticking the same item at once leave it ticked instead of cancelling out.
 */
export function toggleChecklistItem(
	doc: Y.Doc,
	input: { taskId: string; itemId: string; done: boolean },
	ctx: OpContext
): void {
	const done = validateDone(input.done);
	const item = requireItem(liveCard(doc, input.taskId), input.itemId);
	if (item.map.get('done') === done) return;
	commit(doc, ctx, () => item.map.set('done', done));
}

/** Moves an item within its checklist. */
export function moveChecklistItem(doc: Y.Doc, input: MoveChecklistItemInput, ctx: OpContext): void {
	const task = liveCard(doc, input.taskId);
	const item = requireItem(task, input.itemId);
	const list = siblings(task, item.id);
	const index = anchorIndex(
		list.map((sibling) => sibling.id),
		input.afterItemId,
		input.beforeItemId,
		anchorFields
	);
	if (task.checklist.indexOf(item) === index) return;
	const { rank, writes } = placeAmong(list, index, { id: item.id, map: item.map });
	commit(doc, ctx, () => {
		writeRanks(writes);
		item.map.set('rank', rank);
	});
}

/**
 * Removes an item. Unlike cards, items are removed outright: nothing refers to them, and a
 * removed item edited at the same time by someone else stays removed.
 */
export function removeChecklistItem(
	doc: Y.Doc,
	input: { taskId: string; itemId: string },
	ctx: OpContext
): void {
	const task = liveCard(doc, input.taskId);
	const item = requireItem(task, input.itemId);
	// The stored key, which a hostile id could make differ from the id as read.
	const key = item.map._item?.parentSub ?? checklistKey(item.id);
	commit(doc, ctx, () => task.map.delete(key));
}
