import { describe, expect, it } from 'vitest';
import { countOf } from './count-words.ts';

describe('countOf', () => {
	it('says one thing in the singular and any other count in the plural', () => {
		expect(countOf(1, 'card')).toBe('1 card');
		expect(countOf(0, 'card')).toBe('0 cards');
		expect(countOf(2, 'checklist item')).toBe('2 checklist items');
		expect(countOf(3, 'person', 'people')).toBe('3 people');
	});
});
