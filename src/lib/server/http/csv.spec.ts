import { describe, expect, it } from 'vitest';
import { csvCell, csvRow } from './csv.ts';

describe('csv', () => {
	it('quotes fields with commas, quotes and line breaks, doubling quotes (RFC 4180)', () => {
		expect(csvCell('plain')).toBe('plain');
		expect(csvCell('a,b')).toBe('"a,b"');
		expect(csvCell('say "hi"')).toBe('"say ""hi"""');
		expect(csvCell('two\nlines')).toBe('"two\nlines"');
		expect(csvCell('cr\rlf')).toBe('"cr\rlf"');
		expect(csvCell(null)).toBe('');
		expect(csvCell('')).toBe('');
	});

	it('prefixes cells a spreadsheet would run as a formula with a quote', () => {
		expect(csvCell('=1+2')).toBe("'=1+2");
		expect(csvCell('+1')).toBe("'+1");
		expect(csvCell('-2')).toBe("'-2");
		expect(csvCell('@SUM(A1)')).toBe("'@SUM(A1)");
		expect(csvCell('\t=1')).toBe("'\t=1");
		expect(csvCell('=HYPERLINK("x","y")')).toBe('"\'=HYPERLINK(""x"",""y"")"');
		expect(csvCell('a=b')).toBe('a=b');
	});

	it('ends each row with CRLF', () => {
		expect(csvRow(['a', null, 'b,c'])).toBe('a,,"b,c"\r\n');
	});
});
