import { describe, expect, it } from 'vitest';
import { guardFormula, unguardFormula } from './csv-formula.ts';

describe('CSV formula guard', () => {
	it('quotes what a spreadsheet would run, and the import takes the quote off', () => {
		for (const value of [
			'=1+1',
			'+31 6',
			'-2+3@qa.test',
			'@SUM(A1)',
			'\tx',
			'plain',
			"'quoted",
			"'=x"
		]) {
			expect(unguardFormula(guardFormula(value)), value).toBe(value);
		}
		expect(guardFormula('=1+1')).toBe("'=1+1");
		expect(guardFormula('plain')).toBe('plain');
		// A quote a person typed before other text stays.
		expect(unguardFormula("'tis the season")).toBe("'tis the season");
	});
});
