import { describe, expect, it } from 'vitest';
import { containsPattern, pageOf } from './paging.ts';

describe('containsPattern', () => {
	it('matches anywhere and takes LIKE wildcards and the escape literally', () => {
		expect(containsPattern('ana')).toBe('%ana%');
		expect(containsPattern('50%_off\\')).toBe('%50\\%\\_off\\\\%');
	});
});

describe('pageOf', () => {
	const rows = [1, 2, 3].map((n) => ({
		id: `id-${n}`,
		cursor_time: `2026-01-0${n}T00:00:00.000001Z`
	}));

	it('gives a cursor at the last row shown only when a further row was fetched', () => {
		const page = pageOf(rows, 2, (r) => r.id);
		expect(page.items).toEqual(['id-1', 'id-2']);
		const decoded = JSON.parse(Buffer.from(page.nextCursor!, 'base64url').toString('utf8'));
		// Microseconds survive: the next page starts exactly after this row.
		expect(decoded).toEqual(['2026-01-02T00:00:00.000001Z', 'id-2']);
		expect(pageOf(rows, 3, (r) => r.id).nextCursor).toBeNull();
	});
});
