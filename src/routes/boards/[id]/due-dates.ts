/**
 * How urgent a card's due date is. A due date names a calendar day, so a card is overdue once
 * that day has ended where the viewer is, and due soon when that moment is at most 24 h away.
 */

export type DueState = 'overdue' | 'soon' | null;

const day = 24 * 60 * 60 * 1000;

/** The end of a `YYYY-MM-DD` day in the local time zone. */
function endOfDay(date: string): number {
	const [year, month, dayOfMonth] = date.split('-').map(Number) as [number, number, number];
	return new Date(year, month - 1, dayOfMonth + 1).getTime();
}

/** Cards in a done column are finished, so their due dates no longer warn. */
export function dueState(dueDate: string | null, now: number, done: boolean): DueState {
	if (!dueDate || done) return null;
	const deadline = endOfDay(dueDate);
	if (now >= deadline) return 'overdue';
	return deadline - now <= day ? 'soon' : null;
}

const dateFormat = new Intl.DateTimeFormat(undefined, { month: 'short', day: 'numeric' });
const longFormat = new Intl.DateTimeFormat(undefined, { dateStyle: 'full' });

/** A due date as a short local label ("Mar 4"), read as a calendar day, not an instant. */
export function formatDue(dueDate: string, long = false): string {
	const [year, month, dayOfMonth] = dueDate.split('-').map(Number) as [number, number, number];
	const date = new Date(year, month - 1, dayOfMonth);
	return (long ? longFormat : dateFormat).format(date);
}

/** Words for the due date, for screen readers and hover titles. */
export function describeDue(dueDate: string, state: DueState): string {
	const when = formatDue(dueDate, true);
	if (state === 'overdue') return `Overdue: was due ${when}`;
	if (state === 'soon') return `Due soon: ${when}`;
	return `Due ${when}`;
}
