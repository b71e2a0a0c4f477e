import { describe, expect, it } from 'vitest';
import { dispositionName } from './save-blob.ts';

describe('dispositionName', () => {
	it('takes filename* first, then filename, then the fallback', () => {
		const both = `attachment; filename="round-trip.csv"; filename*=UTF-8''Round%20trip%20%F0%9F%9A%80.csv`;
		expect(dispositionName(both, 'x')).toBe('Round trip 🚀.csv');
		expect(dispositionName('attachment; filename="audit-log-2026.csv"', 'x')).toBe(
			'audit-log-2026.csv'
		);
		expect(dispositionName(`attachment; filename*=UTF-8''%E0%A4`, 'x')).toBe('x');
		expect(dispositionName(null, 'board.json')).toBe('board.json');
	});
});
