/**
 * Due dates bucketed by calendar day, for the board's due filter and the "My tasks" groups.
 * A due date names a day (`YYYY-MM-DD`, no time zone), so every comparison is between day
 * strings, which sort as the days do; "today" is whatever day the caller says it is (the
 * browser's local day, or the day a client passes to the API). Pure: no clock is read here.
 */

/** The groups of "My tasks", in the order they are listed. */
export const dueGroups = ['overdue', 'today', 'week', 'later', 'none'] as const;
export type DueGroup = (typeof dueGroups)[number];

const pad = (value: number, width = 2) => String(value).padStart(width, '0');

/** The local calendar day of `date` as `YYYY-MM-DD`. */
export function localDay(date: Date): string {
	return `${pad(date.getFullYear(), 4)}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;
}

/** The UTC calendar day of `date` as `YYYY-MM-DD`. */
export function utcDay(date: Date): string {
	return date.toISOString().slice(0, 10);
}

/**
 * The last day (Sunday) of the ISO week (Monday to Sunday) that holds `today`; every locale
 * gets the same week, so a shared link filters alike for everyone.
 */
export function weekEnd(today: string): string {
	const [year, month, day] = today.split('-').map(Number) as [number, number, number];
	const date = new Date(Date.UTC(year, month - 1, day));
	const toSunday = (7 - date.getUTCDay()) % 7;
	date.setUTCDate(date.getUTCDate() + toSunday);
	return utcDay(date);
}

/**
 * The group of a due date seen on day `today`: before it is overdue; `week` is the rest of
 * this ISO week after today (empty on Sundays); `later` is after this week.
 */
export function dueGroup(dueDate: string | null, today: string, end = weekEnd(today)): DueGroup {
	if (!dueDate) return 'none';
	if (dueDate < today) return 'overdue';
	if (dueDate === today) return 'today';
	return dueDate <= end ? 'week' : 'later';
}
