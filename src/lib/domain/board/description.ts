/**
 * Editing a card's description, a Y.Text so that people typing in the same description at once
 * have their keystrokes merged instead of one overwriting the other.
 */
import * as Y from 'yjs';
import { commit, type OpContext } from './context.ts';
import { DomainError } from './errors.ts';
import { readNamedTask, requireLiveTask } from './lookup.ts';
import { readDescription } from './records.ts';
import { maxDescriptionLength } from './schema.ts';
import { assertWritable, validateDescription } from './validate.ts';

/** Input of `editDescription`: delete `deleteCount` code units at `index`, then insert there. */
export interface EditDescriptionInput {
	taskId: string;
	index: number;
	deleteCount: number;
	insert: string;
}

/** Input of `setDescription`: the whole new text. */
export interface SetDescriptionInput {
	taskId: string;
	text: string;
}

/** One splice of the text; the smallest that turns the old text into the new. */
export interface TextSplice {
	index: number;
	deleteCount: number;
	insert: string;
}

function isHighSurrogate(code: number): boolean {
	return code >= 0xd800 && code <= 0xdbff;
}

function isLowSurrogate(code: number): boolean {
	return code >= 0xdc00 && code <= 0xdfff;
}

/**
 * The change between two texts as one splice after their common prefix and before their common
 * suffix, never cutting a surrogate pair (so concurrent edits cannot leave half a character).
 */
export function diffText(before: string, after: string): TextSplice {
	const limit = Math.min(before.length, after.length);
	let prefix = 0;
	while (prefix < limit && before.charCodeAt(prefix) === after.charCodeAt(prefix)) prefix++;
	if (prefix > 0 && isHighSurrogate(before.charCodeAt(prefix - 1))) prefix--;
	let suffix = 0;
	const room = limit - prefix;
	while (
		suffix < room &&
		before.charCodeAt(before.length - 1 - suffix) === after.charCodeAt(after.length - 1 - suffix)
	) {
		suffix++;
	}
	if (suffix > 0 && isLowSurrogate(before.charCodeAt(before.length - suffix))) suffix--;
	return {
		index: prefix,
		deleteCount: before.length - prefix - suffix,
		insert: after.slice(prefix, after.length - suffix)
	};
}

/**
 * Applies a splice to the card's Y.Text. A description that another client stored as something
 * else than Y.Text is replaced by a Y.Text of the edited content.
 */
function applySplice(doc: Y.Doc, map: Y.Map<unknown>, splice: TextSplice, ctx: OpContext) {
	const stored = map.get('description');
	commit(doc, ctx, () => {
		if (stored instanceof Y.Text) {
			if (splice.deleteCount > 0) stored.delete(splice.index, splice.deleteCount);
			if (splice.insert) stored.insert(splice.index, splice.insert);
		} else {
			const text = readDescription(map);
			const edited =
				text.slice(0, splice.index) + splice.insert + text.slice(splice.index + splice.deleteCount);
			map.set('description', new Y.Text(edited));
		}
	});
}

function isCount(value: unknown, max: number): value is number {
	return Number.isInteger(value) && (value as number) >= 0 && (value as number) <= max;
}

/** Splices the description of a live card (indexes in UTF-16 code units, as Y.Text counts). */
export function editDescription(doc: Y.Doc, input: EditDescriptionInput, ctx: OpContext): void {
	assertWritable(doc);
	const task = requireLiveTask(readNamedTask(doc, input.taskId), input.taskId);
	const stored = task.map.get('description');
	const length = stored instanceof Y.Text ? stored.length : readDescription(task.map).length;
	if (!isCount(input.index, length)) {
		throw new DomainError('invalid_position', 'The edit starts outside the text.', 'index');
	}
	if (!isCount(input.deleteCount, length - input.index)) {
		throw new DomainError('invalid_position', 'The edit runs past the text.', 'deleteCount');
	}
	const insert = validateDescription(input.insert, 'insert');
	const newLength = length - input.deleteCount + insert.length;
	// A text already too long (written by another client) may still be shortened.
	if (newLength > maxDescriptionLength && insert.length > input.deleteCount) {
		throw new DomainError(
			'invalid_description',
			`Keep the description to ${maxDescriptionLength} characters or fewer.`,
			'description'
		);
	}
	if (input.deleteCount === 0 && !insert) return;
	applySplice(doc, task.map, { index: input.index, deleteCount: input.deleteCount, insert }, ctx);
}

/**
 * Replaces the description of a live card by writing only the changed middle, so that text
 * typed concurrently elsewhere in the description survives.
 */
export function setDescription(doc: Y.Doc, input: SetDescriptionInput, ctx: OpContext): void {
	const text = validateDescription(input.text);
	assertWritable(doc);
	const task = requireLiveTask(readNamedTask(doc, input.taskId), input.taskId);
	const stored = task.map.get('description');
	const current = stored instanceof Y.Text ? stored.toString() : null;
	if (current === text) return;
	const before = current ?? readDescription(task.map);
	applySplice(doc, task.map, diffText(before, text), ctx);
}
