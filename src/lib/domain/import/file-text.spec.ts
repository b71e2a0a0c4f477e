import { describe, expect, it } from 'vitest';
import { fileText } from './file-text.ts';

describe('fileText', () => {
	it('reads UTF-8 and drops its byte-order mark', () => {
		const bytes = new TextEncoder().encode('\uFEFFCafé crème 😀');
		expect(fileText(bytes)).toBe('Café crème 😀');
	});

	it('reads UTF-16 by its byte-order mark', () => {
		const le = Uint8Array.from([0xff, 0xfe, 0x43, 0x00, 0xe9, 0x00, 0x0a, 0x00]);
		const be = Uint8Array.from([0xfe, 0xff, 0x00, 0x43, 0x00, 0xe9, 0x00, 0x0a]);
		expect(fileText(le)).toBe('Cé\n');
		expect(fileText(be)).toBe('Cé\n');
	});

	it('reads a file that is not UTF-8 as Windows-1252', () => {
		// "Café crème – 5 €" as Excel on Windows saves it.
		const bytes = Uint8Array.from([
			0x43, 0x61, 0x66, 0xe9, 0x20, 0x63, 0x72, 0xe8, 0x6d, 0x65, 0x20, 0x96, 0x20, 0x35, 0x20, 0x80
		]);
		expect(fileText(bytes)).toBe('Café crème – 5 €');
	});
});
