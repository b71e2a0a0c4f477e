import { describe, expect, it } from 'vitest';
import { timeAgo } from './time-ago.ts';

describe('timeAgo', () => {
	it('tells time relative to now', () => {
		const at = Date.parse('2026-01-01T10:00:00.000Z');
		expect(timeAgo('2026-01-01T10:00:00.000Z', at + 10_000)).toBe('just now');
		expect(timeAgo('2026-01-01T10:00:00.000Z', at + 120_000)).toBe('2 min ago');
		expect(timeAgo('2026-01-01T10:00:00.000Z', at + 3 * 3600_000)).toBe('3 h ago');
		expect(timeAgo('2026-01-01T10:00:00.000Z', at + 30 * 3600_000)).toBe('yesterday');
		expect(timeAgo('2026-01-01T10:00:00.000Z', at + 4 * 86_400_000)).toBe('4 days ago');
	});
});
