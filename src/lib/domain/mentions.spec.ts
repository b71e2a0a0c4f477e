import { describe, expect, it } from 'vitest';
import { findMentions, mentionQueryAt, suggestMembers } from './mentions.ts';

const members = [
	{ id: 'ana', name: 'Ana' },
	{ id: 'ana-lopez', name: 'Ana Lopez' },
	{ id: 'ben', name: 'Ben' }
];

describe('findMentions', () => {
	it('finds members by display name, the longest name winning, each once', () => {
		expect(findMentions('@Ben hello', members)).toEqual(['ben']);
		expect(findMentions('@ana lopez and @Ana, @BEN @ben', members).sort()).toEqual(
			['ana', 'ana-lopez', 'ben'].sort()
		);
		expect(findMentions('@Ana Lopez', members)).toEqual(['ana-lopez']);
	});

	it('ignores names that are no member, partial names and addresses', () => {
		expect(findMentions('@Zed hello', members)).toEqual([]);
		expect(findMentions('@Benjamin', members)).toEqual([]);
		expect(findMentions('mail ben@Ben.io', members)).toEqual([]);
		expect(findMentions('no mention', members)).toEqual([]);
		expect(findMentions('@', [{ id: 'x', name: '' }])).toEqual([]);
	});
});

describe('mentionQueryAt', () => {
	it('finds the name being typed before the caret', () => {
		expect(mentionQueryAt('hi @Be', 6)).toEqual({ start: 3, query: 'Be' });
		expect(mentionQueryAt('@', 1)).toEqual({ start: 0, query: '' });
		expect(mentionQueryAt('@Ana Lo', 7)).toEqual({ start: 0, query: 'Ana Lo' });
	});

	it('is null outside a mention', () => {
		expect(mentionQueryAt('hello', 5)).toBeNull();
		expect(mentionQueryAt('ben@ex', 6)).toBeNull();
		expect(mentionQueryAt('@ben\nnext', 9)).toBeNull();
		expect(mentionQueryAt('@ x', 3)).toBeNull();
		expect(mentionQueryAt(`@${'x'.repeat(60)}`, 61)).toBeNull();
	});
});

describe('suggestMembers', () => {
	it('puts names starting with the query first', () => {
		expect(suggestMembers(members, 'an').map((m) => m.id)).toEqual(['ana', 'ana-lopez']);
		expect(suggestMembers(members, 'e').map((m) => m.id)).toEqual(['ana-lopez', 'ben']);
		expect(suggestMembers(members, '').length).toBe(3);
		expect(suggestMembers(members, '', 2).length).toBe(2);
	});
});
