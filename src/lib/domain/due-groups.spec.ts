import { describe, expect, it } from 'vitest';
import { dueGroup, localDay, utcDay, weekEnd } from './due-groups';

describe('due groups', () => {
	it('ends the ISO week on Sunday', () => {
		expect(weekEnd('2026-12-04')).toBe('2026-12-06'); // Friday
		expect(weekEnd('2026-12-07')).toBe('2026-12-13'); // Monday
		expect(weekEnd('2026-12-06')).toBe('2026-12-06'); // Sunday
		expect(weekEnd('2026-12-28')).toBe('2027-01-03'); // across a year
	});

	it('groups a due date as seen on a given day', () => {
		const today = '2026-12-04';
		expect(dueGroup('2026-12-03', today)).toBe('overdue');
		expect(dueGroup('2026-12-04', today)).toBe('today');
		expect(dueGroup('2026-12-05', today)).toBe('week');
		expect(dueGroup('2026-12-06', today)).toBe('week');
		expect(dueGroup('2026-12-07', today)).toBe('later');
		expect(dueGroup(null, today)).toBe('none');
	});

	it('writes calendar days', () => {
		expect(utcDay(new Date(Date.UTC(2026, 1, 28, 23, 59)))).toBe('2026-02-28');
		expect(localDay(new Date(2026, 0, 5, 23, 59))).toBe('2026-01-05');
	});
});
