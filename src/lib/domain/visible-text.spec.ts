import { describe, expect, it } from 'vitest';
import { controlCharacters, hasVisibleText } from './visible-text.ts';

describe('hasVisibleText', () => {
	it('is false for white space, zero-width and direction characters only', () => {
		for (const text of [
			'',
			'   ',
			'\u200b',
			'\u202e\u200b',
			'\ufeff\u2060',
			'\u00a0\u3000',
			'\u180e',
			'\u2800\u2800'
		]) {
			expect(hasVisibleText(text), JSON.stringify(text)).toBe(false);
		}
	});

	it('is true as soon as one character shows, in any script or as an emoji', () => {
		for (const text of ['a', ' x ', '\u200bTitle', 'Ünïcödé', '日本', '🚀', '\u202eabc', '0']) {
			expect(hasVisibleText(text), JSON.stringify(text)).toBe(true);
		}
	});
});

describe('controlCharacters', () => {
	it('finds line breaks, tabs and NUL, not ordinary text', () => {
		for (const text of ['a\nb', 'a\tb', 'a\u0000', '\r', 'a\u007fb'])
			expect(controlCharacters.test(text)).toBe(true);
		expect(controlCharacters.test('One line — fine')).toBe(false);
	});
});
