import { describe, expect, it } from 'vitest';
import { pendingText } from './pending-text.ts';

describe('pendingText', () => {
	it('names cards and columns with their counts, leaving out kinds with none', () => {
		expect(pendingText(1, 0)).toBe('1 card');
		expect(pendingText(3, 0)).toBe('3 cards');
		expect(pendingText(0, 1)).toBe('1 column');
		expect(pendingText(2, 2)).toBe('2 cards, 2 columns');
		expect(pendingText(0, 0)).toBe('');
	});
});
