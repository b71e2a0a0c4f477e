import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { mapPosition, spliceAtCaret } from './text-splices.ts';

/** The delta a remote change produces on a Y.Text holding `before`. */
function remoteDelta(before: string, change: (text: Y.Text) => void): Y.YTextEvent['delta'] {
	const doc = new Y.Doc();
	const text = doc.getText('t');
	text.insert(0, before);
	let delta: Y.YTextEvent['delta'] = [];
	text.observe((event) => (delta = event.delta));
	change(text);
	return delta;
}

describe('spliceAtCaret', () => {
	it('puts a typed character at the caret even where a plain diff would guess later', () => {
		// "a|b": typing "b" at 1 must not be read as an insert after the existing "b".
		expect(spliceAtCaret('ab', 'abb', 2)).toEqual({ index: 1, deleteCount: 0, insert: 'b' });
	});

	it('reads backspace, delete and replacing a selection', () => {
		expect(spliceAtCaret('abc', 'ac', 1)).toEqual({ index: 1, deleteCount: 1, insert: '' });
		expect(spliceAtCaret('hello world', 'hello there', 11)).toEqual({
			index: 6,
			deleteCount: 5,
			insert: 'there'
		});
	});

	it('never splits a surrogate pair', () => {
		const splice = spliceAtCaret('a😀', 'a😃', 3);
		expect(splice).toEqual({ index: 1, deleteCount: 2, insert: '😃' });
	});

	it('gives up when the edit did not end at the caret', () => {
		expect(spliceAtCaret('abc', 'abx', 1)).toBeNull();
	});
});

describe('mapPosition', () => {
	it('shifts for remote text before the position and not for text after it', () => {
		const before = remoteDelta('hello', (text) => text.insert(0, '>> '));
		expect(mapPosition(2, before)).toBe(5);
		const after = remoteDelta('hello', (text) => text.insert(4, '!'));
		expect(mapPosition(2, after)).toBe(2);
	});

	it('stays in front of text inserted exactly at the position', () => {
		// Keeps each person's typing together when two people type at the same spot.
		expect(
			mapPosition(
				2,
				remoteDelta('hello', (text) => text.insert(2, 'XY'))
			)
		).toBe(2);
	});

	it('moves back over deleted text and clamps inside a deleted range', () => {
		expect(
			mapPosition(
				5,
				remoteDelta('hello', (text) => text.delete(0, 2))
			)
		).toBe(3);
		expect(
			mapPosition(
				3,
				remoteDelta('hello', (text) => text.delete(1, 3))
			)
		).toBe(1);
	});
});
