import type { BoardVersionDto } from '$lib/api/board-versions';

const absolute = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });
const day = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeZone: 'UTC' });

/** A version's name as the page says it: its own, or what kind of version it is. */
export function versionTitle(version: BoardVersionDto): string {
	return version.name ?? 'Automatic checkpoint';
}

export function absoluteTime(iso: string): string {
	return absolute.format(new Date(iso));
}

/** A due date (a calendar day, stored without a zone) in the reader's words. */
export function dueText(due: string): string {
	const time = Date.parse(due.length === 10 ? `${due}T00:00:00Z` : due);
	return Number.isNaN(time) ? due : day.format(time);
}
