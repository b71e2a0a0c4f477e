/**
 * The board's keyboard shortcuts, read from the page's keydown events. The board keys (`n`,
 * arrows, Enter, `e`, Delete, `?`) never fire while someone types in a field, in a dialog or with
 * Ctrl, Alt or Cmd held. Undo and redo work everywhere on the page except in a text field, whose
 * own undo (of text not yet saved) they leave alone; the card description is the exception: its
 * typing is saved keystroke by keystroke and undone in steps of the board's undo.
 */
import type { FocusDirection } from './card-focus';

/** What has the focus when a key is pressed, read from the page (`readTarget`). */
export interface ShortcutTarget {
	/** A text input, textarea, select or contenteditable element. */
	typing: boolean;
	/** A field whose text the board's undo covers (the card description). */
	boardText: boolean;
	/** A text field with the browser's own undo (of text not saved yet): Ctrl+Z stays its own. */
	ownUndo: boolean;
	/** Inside a dialog: the board behind it is not what the keys are for. */
	inDialog: boolean;
	/** The card that has the focus (or holds it, as its title link does). */
	cardId: string | null;
	/** The column holding the focus. */
	columnId: string | null;
}

/** The parts of a KeyboardEvent the shortcuts read. */
export type KeyPress = Pick<
	KeyboardEvent,
	'key' | 'ctrlKey' | 'metaKey' | 'altKey' | 'shiftKey' | 'repeat' | 'isComposing'
>;

export type Shortcut =
	| { action: 'undo' | 'redo' | 'help' }
	| { action: 'new'; columnId: string | null }
	| { action: 'focus'; cardId: string; columnId: string | null; direction: FocusDirection }
	| { action: 'open' | 'edit' | 'delete'; cardId: string };

const arrows: Record<string, FocusDirection> = {
	ArrowUp: 'up',
	ArrowDown: 'down',
	ArrowLeft: 'left',
	ArrowRight: 'right'
};

/** What a key press asks for, or null to leave it to the browser. */
export function shortcutFor(
	event: KeyPress,
	target: ShortcutTarget,
	{ readOnly }: { readOnly: boolean }
): Shortcut | null {
	if (event.isComposing) return null;
	const command = event.ctrlKey || event.metaKey;
	if (command && !event.altKey) {
		if (target.ownUndo) return null;
		const key = event.key.toLowerCase();
		if (key === 'z') return { action: event.shiftKey ? 'redo' : 'undo' };
		if (key === 'y' && event.ctrlKey && !event.shiftKey) return { action: 'redo' };
		return null;
	}
	if (command || event.altKey || target.typing || target.inDialog) return null;
	if (event.key === '?') return { action: 'help' };
	if (event.shiftKey) return null;
	const { cardId, columnId } = target;
	if (event.key === 'n') return readOnly ? null : { action: 'new', columnId };
	if (!cardId) return null;
	const direction = arrows[event.key];
	if (direction) return { action: 'focus', cardId, columnId, direction };
	if (event.key === 'Enter') return { action: 'open', cardId };
	if (readOnly || event.repeat) return null;
	if (event.key === 'e') return { action: 'edit', cardId };
	if (event.key === 'Delete' || event.key === 'Backspace') return { action: 'delete', cardId };
	return null;
}

/** Reads what has the focus from the element a key event came from. */
export function readTarget(element: EventTarget | null): ShortcutTarget {
	const el = element instanceof Element ? element : null;
	const field = el?.closest(
		'input, textarea, select, [contenteditable]:not([contenteditable="false"])'
	);
	// Buttons and checkboxes take keys but no typing.
	const typing =
		field !== null &&
		field !== undefined &&
		!(
			field instanceof HTMLInputElement &&
			['button', 'checkbox', 'radio', 'submit', 'reset'].includes(field.type)
		);
	const boardText = typing && field?.hasAttribute('data-board-undo') === true;
	return {
		typing,
		boardText,
		// A select has no text to undo: Ctrl+Z there undoes the board change it made.
		ownUndo: typing && !boardText && !(field instanceof HTMLSelectElement),
		inDialog: el?.closest('dialog') != null,
		cardId: el?.closest<HTMLElement>('[data-card-id]')?.dataset.cardId ?? null,
		columnId: el?.closest<HTMLElement>('[data-column-id]')?.dataset.columnId ?? null
	};
}

export interface BoardShortcutsOptions {
	readOnly: () => boolean;
	/** Carries out a shortcut; called only for key presses that `shortcutFor` maps. */
	run: (shortcut: Shortcut) => void;
	/** Where the focus is; the page by default. */
	target?: (event: KeyboardEvent) => ShortcutTarget;
}

/** The page-wide keydown listener, and whether the shortcut help is open. */
export class BoardShortcuts {
	helpOpen = $state(false);
	readonly #options: BoardShortcutsOptions;

	constructor(options: BoardShortcutsOptions) {
		this.#options = options;
	}

	keydown = (event: KeyboardEvent) => {
		// Keys a card or a field already used (a keyboard move in progress, a form's Enter).
		if (event.defaultPrevented) return;
		const target = this.#options.target?.(event) ?? readTarget(event.target);
		const shortcut = shortcutFor(event, target, { readOnly: this.#options.readOnly() });
		if (!shortcut) return;
		event.preventDefault();
		if (shortcut.action === 'help') this.helpOpen = true;
		else this.#options.run(shortcut);
	};

	/** The Edit menu's undo in a board text field goes to the board's undo, as Ctrl+Z does. */
	beforeinput = (event: InputEvent) => {
		if (event.inputType !== 'historyUndo' && event.inputType !== 'historyRedo') return;
		if (!readTarget(event.target).boardText) return;
		event.preventDefault();
		this.#options.run({ action: event.inputType === 'historyUndo' ? 'undo' : 'redo' });
	};
}
