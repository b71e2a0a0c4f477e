import { describe, expect, it } from 'vitest';
import {
	BoardShortcuts,
	shortcutFor,
	type KeyPress,
	type Shortcut,
	type ShortcutTarget
} from './board-shortcuts.svelte';

const onCard: ShortcutTarget = {
	typing: false,
	boardText: false,
	ownUndo: false,
	inDialog: false,
	cardId: 'card-1',
	columnId: 'todo'
};
const nowhere: ShortcutTarget = { ...onCard, cardId: null, columnId: null };
const inTitle: ShortcutTarget = { ...nowhere, typing: true, ownUndo: true, inDialog: true };
const inDescription: ShortcutTarget = { ...inTitle, boardText: true, ownUndo: false };
const inSelect: ShortcutTarget = { ...nowhere, typing: true, inDialog: true };

const press = (key: string, more: Partial<KeyPress> = {}): KeyPress => ({
	key,
	ctrlKey: false,
	metaKey: false,
	altKey: false,
	shiftKey: false,
	repeat: false,
	isComposing: false,
	...more
});
const editor = { readOnly: false };

describe('shortcutFor', () => {
	it('maps the board keys on a focused card', () => {
		expect(shortcutFor(press('ArrowDown'), onCard, editor)).toEqual({
			action: 'focus',
			cardId: 'card-1',
			columnId: 'todo',
			direction: 'down'
		});
		expect(shortcutFor(press('ArrowLeft'), onCard, editor)).toMatchObject({ direction: 'left' });
		expect(shortcutFor(press('Enter'), onCard, editor)).toEqual({
			action: 'open',
			cardId: 'card-1'
		});
		expect(shortcutFor(press('e'), onCard, editor)).toEqual({ action: 'edit', cardId: 'card-1' });
		expect(shortcutFor(press('Delete'), onCard, editor)).toEqual({
			action: 'delete',
			cardId: 'card-1'
		});
		expect(shortcutFor(press('Backspace'), onCard, editor)).toMatchObject({ action: 'delete' });
		expect(shortcutFor(press('n'), onCard, editor)).toEqual({ action: 'new', columnId: 'todo' });
		expect(shortcutFor(press('?', { shiftKey: true }), onCard, editor)).toEqual({ action: 'help' });
	});

	it('needs a focused card for card keys, but not for n and ?', () => {
		expect(shortcutFor(press('ArrowDown'), nowhere, editor)).toBeNull();
		expect(shortcutFor(press('Enter'), nowhere, editor)).toBeNull();
		expect(shortcutFor(press('Delete'), nowhere, editor)).toBeNull();
		expect(shortcutFor(press('n'), nowhere, editor)).toEqual({ action: 'new', columnId: null });
		expect(shortcutFor(press('?'), nowhere, editor)).toEqual({ action: 'help' });
	});

	it('fires nothing while typing, in a dialog, or with modifier keys', () => {
		for (const key of ['n', 'e', 'Delete', 'Backspace', 'ArrowDown', 'Enter', '?']) {
			expect(shortcutFor(press(key), { ...onCard, typing: true }, editor)).toBeNull();
			expect(shortcutFor(press(key), { ...onCard, inDialog: true }, editor)).toBeNull();
			expect(shortcutFor(press(key, { altKey: true }), onCard, editor)).toBeNull();
			expect(shortcutFor(press(key, { ctrlKey: true }), onCard, editor)).toBeNull();
			expect(shortcutFor(press(key, { metaKey: true }), onCard, editor)).toBeNull();
			expect(shortcutFor(press(key, { isComposing: true }), onCard, editor)).toBeNull();
		}
		expect(shortcutFor(press('N', { shiftKey: true }), onCard, editor)).toBeNull();
		expect(shortcutFor(press('ArrowDown', { shiftKey: true }), onCard, editor)).toBeNull();
	});

	it('does not change a read-only board, nor delete on a held key', () => {
		const viewer = { readOnly: true };
		expect(shortcutFor(press('n'), onCard, viewer)).toBeNull();
		expect(shortcutFor(press('e'), onCard, viewer)).toBeNull();
		expect(shortcutFor(press('Delete'), onCard, viewer)).toBeNull();
		expect(shortcutFor(press('Enter'), onCard, viewer)).toMatchObject({ action: 'open' });
		expect(shortcutFor(press('Delete', { repeat: true }), onCard, editor)).toBeNull();
	});

	it('maps undo and redo everywhere but in a field whose own undo they would replace', () => {
		const ctrl = (key: string, shiftKey = false) => press(key, { ctrlKey: true, shiftKey });
		const cmd = (key: string, shiftKey = false) => press(key, { metaKey: true, shiftKey });
		for (const target of [
			onCard,
			nowhere,
			{ ...nowhere, inDialog: true },
			inDescription,
			inSelect
		]) {
			expect(shortcutFor(ctrl('z'), target, editor)).toEqual({ action: 'undo' });
			expect(shortcutFor(cmd('z'), target, editor)).toEqual({ action: 'undo' });
			expect(shortcutFor(ctrl('Z', true), target, editor)).toEqual({ action: 'redo' });
			expect(shortcutFor(cmd('z', true), target, editor)).toEqual({ action: 'redo' });
			expect(shortcutFor(ctrl('y'), target, editor)).toEqual({ action: 'redo' });
		}
		expect(shortcutFor(ctrl('z'), inTitle, editor)).toBeNull();
		expect(shortcutFor(ctrl('y'), inTitle, editor)).toBeNull();
		expect(shortcutFor(press('z', { ctrlKey: true, altKey: true }), onCard, editor)).toBeNull();
	});
});

describe('BoardShortcuts', () => {
	function keyEvent(key: string, more: Partial<KeyPress> & { defaultPrevented?: boolean } = {}) {
		const event = { ...press(key), defaultPrevented: false, ...more } as KeyboardEvent & {
			prevented: boolean;
		};
		event.prevented = false;
		event.preventDefault = () => (event.prevented = true);
		return event;
	}

	function shortcuts(target: ShortcutTarget) {
		const ran: Shortcut[] = [];
		const keys = new BoardShortcuts({
			readOnly: () => false,
			run: (shortcut) => ran.push(shortcut),
			target: () => target
		});
		return { keys, ran };
	}

	it('runs a mapped key and takes it from the browser', () => {
		const { keys, ran } = shortcuts(onCard);
		const event = keyEvent('Enter');
		keys.keydown(event);
		expect(ran).toEqual([{ action: 'open', cardId: 'card-1' }]);
		expect(event.prevented).toBe(true);
	});

	it('leaves keys alone that something else already used or that map to nothing', () => {
		const { keys, ran } = shortcuts(onCard);
		const used = keyEvent('ArrowDown', { defaultPrevented: true });
		keys.keydown(used);
		const plain = keyEvent('x');
		keys.keydown(plain);
		expect(ran).toEqual([]);
		expect(plain.prevented).toBe(false);
	});

	it('opens the help on ?', () => {
		const { keys, ran } = shortcuts(nowhere);
		keys.keydown(keyEvent('?', { shiftKey: true }));
		expect(keys.helpOpen).toBe(true);
		expect(ran).toEqual([]);
	});
});
