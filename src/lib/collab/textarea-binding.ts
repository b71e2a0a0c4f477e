/**
 * A plain <textarea> kept in step with a card's description Y.Text. Local typing is written as
 * the smallest splice; remote changes rewrite the textarea and move the local selection by the
 * remote delta, so two people typing in one description both keep every character and neither
 * cursor jumps.
 */
import * as Y from 'yjs';
import { tasksMap } from '$lib/domain/board';
import { diffText } from '$lib/domain/board/description';
import { mapPosition, spliceAtCaret, type Splice } from './text-splices';
import type { Outcome } from './board-state.svelte';
import { LocalOrigin } from './local-origin';

export interface TextareaBindingOptions {
	doc: Y.Doc;
	taskId: string;
	/** Writes the whole new text (the domain computes the minimal diff). */
	write: (text: string, origin: LocalOrigin) => Outcome;
	/** Applies one splice at a known place (typing at the caret, IME compositions). */
	splice: (splice: Splice, origin: LocalOrigin) => Outcome;
	/** Called with each refused write (null once a write succeeds again). */
	onError: (message: string | null) => void;
}

export function bindTextarea(textarea: HTMLTextAreaElement, options: TextareaBindingOptions) {
	// Its own instance, to tell its echo apart; of the class that per-user undo tracks.
	const origin = new LocalOrigin('typing');
	const task = () => tasksMap(options.doc).get(options.taskId);
	let text: Y.Text | null = null;
	let composing = false;
	let raced = false;
	let compositionBase = '';
	let compositionAnchor: Y.RelativePosition | null = null;
	let compositionStart = 0;

	const render = (selection?: { start: number; end: number }) => {
		const value = text ? text.toString() : '';
		const scroll = textarea.scrollTop;
		if (textarea.value !== value) textarea.value = value;
		textarea.scrollTop = scroll;
		if (selection && document.activeElement === textarea) {
			textarea.setSelectionRange(selection.start, selection.end, textarea.selectionDirection);
		}
	};

	const onRemote = (event: Y.YTextEvent) => {
		if (event.transaction.origin === origin) return;
		if (composing) {
			// Rewriting the value mid-composition would abort the IME; catch up at its end.
			raced = true;
			return;
		}
		const delta = event.delta;
		const start = mapPosition(textarea.selectionStart, delta);
		const end = mapPosition(textarea.selectionEnd, delta);
		render({ start, end });
	};

	const bind = () => {
		const map = task();
		const next = map instanceof Y.Map ? map.get('description') : null;
		const found = next instanceof Y.Text ? next : null;
		if (found === text) return;
		text?.unobserve(onRemote);
		text = found;
		text?.observe(onRemote);
		render();
	};

	const onTaskChange = (event: Y.YMapEvent<unknown>) => {
		if (event.keysChanged.has('description')) bind();
	};
	const onTasksChange = (event: Y.YMapEvent<unknown>) => {
		if (event.keysChanged.has(options.taskId)) watchTask();
	};
	let watched: Y.Map<unknown> | null = null;
	const watchTask = () => {
		watched?.unobserve(onTaskChange);
		const map = task();
		watched = map instanceof Y.Map ? (map as Y.Map<unknown>) : null;
		watched?.observe(onTaskChange);
		bind();
	};

	const report = (outcome: Outcome) => {
		options.onError(outcome.ok ? null : outcome.error.message);
		// A refused edit must not leave the textarea showing text that nobody else sees.
		if (!outcome.ok) render();
	};

	const onInput = () => {
		if (composing) return;
		const after = textarea.value;
		const change = text ? spliceAtCaret(text.toString(), after, textarea.selectionEnd) : null;
		if (change && change.deleteCount === 0 && !change.insert) return;
		report(change ? options.splice(change, origin) : options.write(after, origin));
		// The description was not a Y.Text before this edit: pick up the one just created.
		if (!text) bind();
	};

	const onCompositionStart = () => {
		composing = true;
		raced = false;
		compositionBase = textarea.value;
		compositionStart = textarea.selectionStart;
		compositionAnchor = text ? Y.createRelativePositionFromTypeIndex(text, compositionStart) : null;
	};

	const onCompositionEnd = () => {
		composing = false;
		if (!raced || !compositionAnchor) return onInput();
		const change = diffText(compositionBase, textarea.value);
		const moved = Y.createAbsolutePositionFromRelativePosition(compositionAnchor, options.doc);
		const shift = moved ? moved.index - compositionStart : 0;
		const index = change.index + shift;
		report(options.splice({ ...change, index }, origin));
		const caret = index + change.insert.length;
		render({ start: caret, end: caret });
	};

	tasksMap(options.doc).observe(onTasksChange);
	watchTask();
	textarea.addEventListener('input', onInput);
	textarea.addEventListener('compositionstart', onCompositionStart);
	textarea.addEventListener('compositionend', onCompositionEnd);

	return {
		destroy() {
			tasksMap(options.doc).unobserve(onTasksChange);
			watched?.unobserve(onTaskChange);
			text?.unobserve(onRemote);
			textarea.removeEventListener('input', onInput);
			textarea.removeEventListener('compositionstart', onCompositionStart);
			textarea.removeEventListener('compositionend', onCompositionEnd);
		}
	};
}
