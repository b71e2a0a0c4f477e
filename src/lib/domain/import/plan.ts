/**
 * What an import will create, whatever it came from (a Trello export, a CSV file, a TaskFlow
 * export): a board's columns in order with their cards, and what was left out and why. Pure
 * data, built without I/O; matching people to accounts and writing the board happen later.
 */
import {
	maxLabelLength,
	maxLabels,
	maxTitleLength,
	type ColumnCategory,
	type TaskPriority
} from '../board/schema.ts';
import { cleanText } from '../board/records.ts';
import { listed } from './json.ts';
import { hasVisibleText } from '../visible-text.ts';

/** A person named by the source, matched to an account (by email, then user name) at import. */
export interface ImportPerson {
	email: string | null;
	username: string | null;
	name: string;
}

export interface ImportComment {
	author: string;
	/** ISO 8601, as the source gave it. */
	date: string | null;
	text: string;
}

export interface ImportCard {
	title: string;
	description: string;
	/** YYYY-MM-DD. */
	dueDate: string | null;
	labels: string[];
	priority: TaskPriority;
	assignee: ImportPerson | null;
	/** Closed or archived in the source: imported as deleted (recoverable), not live. */
	deleted: boolean;
	checklist: { text: string; done: boolean }[];
	comments: ImportComment[];
}

export interface ImportColumn {
	title: string;
	/** Kept from a TaskFlow export; guessed from the name for other sources (`guessCategory`). */
	category?: ColumnCategory;
	wipLimit?: number | null;
	cards: ImportCard[];
}

export interface SkippedItem {
	what: string;
	reason: string;
}

export interface ImportPlan {
	title: string;
	columns: ImportColumn[];
	/** Label name → palette colour name, where the source gave one. */
	labelColors: Record<string, string>;
	skipped: SkippedItem[];
}

/** Refused input, with a sentence for the person importing. */
export class ImportFormatError extends Error {
	constructor(message: string) {
		super(message);
		this.name = 'ImportFormatError';
	}
}

/**
 * Comments one import may bring (each is a row written after the board): past this the file is
 * refused rather than partly imported.
 */
export const maxImportComments = 50_000;

/**
 * No cut, for `cleanText` on comment texts and authors: they are only made storable here, and
 * the importer applies the comment limit when it quotes them (`quotedComment`).
 */
export const noCut = Number.MAX_SAFE_INTEGER;

/**
 * Where a cut title is reported: `of` names what the title belongs to, from the title as kept
 * (`of “Release notes…”`, `in row 7`), after "The end of the title ".
 */
export interface TitleReport {
	skipped: SkippedItem[];
	of: (title: string) => string;
}

/**
 * One line of at most the board's title length (titles are single-line in TaskFlow), cut in
 * UTF-16 units as the board counts them but never inside a surrogate pair, with lone surrogates
 * and NUL made harmless (`cleanText`): PostgreSQL refuses both, so one such title would fail the
 * whole import. A cut is reported, worded as a cut description is: the end is lost otherwise
 * without anyone knowing.
 */
export function cleanTitle(value: unknown, fallback: string, report: TitleReport): string {
	const text = typeof value === 'string' ? oneLine(value) : '';
	const cut = cleanText(text, maxTitleLength).trim();
	// A title of nothing visible would be refused by the board (visible-text.ts).
	const title = hasVisibleText(cut) ? cut : fallback;
	if (text.length > maxTitleLength) {
		report.skipped.push({
			what: `The end of the title ${report.of(title)}`,
			reason: `longer than ${maxTitleLength} characters`
		});
	}
	return title;
}

/**
 * Runs of white space and of the control characters one-line texts refuse (`controlCharacters`
 * in visible-text.ts), each made one space; NUL is left for `cleanText` to drop.
 */
// eslint-disable-next-line no-control-regex
const breaksAndControls = /[\s\u0001-\u001f\u007f-\u009f\u2028\u2029]+/g;

/**
 * What a column of another tool counts as, from its name: a "Done" list is done (its cards are
 * neither overdue nor open in My tasks, and count in the insights), a "Doing" list in progress,
 * anything else to do. Trello and spreadsheets have no such notion; left at "to do", every
 * finished card of an imported board showed as overdue. Common names in a few languages; the
 * board owner can change a column's category afterwards.
 */
export function guessCategory(title: string): ColumnCategory {
	const name = title.toLowerCase();
	// "Not started", "To be done", "Nicht erledigt", "Review backlog": work still to do.
	if (notYetNames.test(name)) return 'todo';
	if (doneNames.test(name)) return 'done';
	if (inProgressNames.test(name)) return 'in_progress';
	return 'todo';
}

const notYetNames =
	/(^|[^\p{L}])(not|no|nicht|noch|pas|non|yet|to be|to get|backlog|todo|to do|undone)([^\p{L}]|$)/u;
const doneNames =
	/(^|[^\p{L}])(done|complete|completed|finished|closed|shipped|released|resolved|erledigt|fertig|abgeschlossen|terminé|terminée|fini|hecho|terminado|completado|feito|concluído|klaar|gotowe|zrobione)([^\p{L}]|$)/u;
const inProgressNames =
	/(^|[^\p{L}])(in progress|doing|wip|in review|review|reviewing|testing|qa|started|ongoing|working|in arbeit|en cours|en progreso|em andamento|bezig|w toku)([^\p{L}]|$)/u;

/** The text on one line: line breaks and control characters as single spaces, trimmed. */
export function oneLine(value: string): string {
	return value.replace(breaksAndControls, ' ').trim();
}

/**
 * Distinct labels within the card limits; the caller reports the rest: `dropped` past the
 * count, and `cut`, the labels kept shortened to `maxLabelLength` (as they were given).
 */
export function cleanLabels(values: readonly string[]): {
	labels: string[];
	dropped: string[];
	cut: string[];
} {
	const labels: string[] = [];
	const dropped: string[] = [];
	const cut: string[] = [];
	for (const raw of values) {
		const line = oneLine(raw);
		const label = cleanText(line, maxLabelLength).trim();
		if (!hasVisibleText(label)) continue;
		// Reported even when the cut makes it one of the labels kept: its end is gone either way.
		if (line.length > maxLabelLength) cut.push(line);
		if (labels.includes(label)) continue;
		if (labels.length >= maxLabels) dropped.push(label);
		else labels.push(label);
	}
	return { labels, dropped, cut };
}

/** The report lines of `cleanLabels`'s cuts and drops, for the card `where` names. */
export function reportLabels(
	{ dropped, cut }: { dropped: string[]; cut: string[] },
	where: string,
	skipped: SkippedItem[]
): void {
	// Listed, not joined: a hostile file's labels cell may hold thousands, each megabytes long.
	if (cut.length > 0) {
		skipped.push({
			what: `The end of labels ${where}: ${listed(cut)}`,
			reason: `longer than ${maxLabelLength} characters`
		});
	}
	if (dropped.length > 0) {
		skipped.push({
			what: `Labels ${where}: ${listed(dropped)}`,
			reason: `a card has at most ${maxLabels} labels`
		});
	}
}

/**
 * A comment's date as the file gave it, when it names a day; null otherwise. It is quoted as
 * "wrote on <day>": a date that names no day is left out, not quoted as it is.
 */
export function commentDate(value: unknown): string | null {
	return dayOf(value) === null ? null : (value as string);
}

/** A calendar day from an ISO date or date-time (the day in UTC), or null. */
export function dayOf(value: unknown): string | null {
	if (typeof value !== 'string') return null;
	const match = /^(\d{4}-\d{2}-\d{2})(?:$|T)/.exec(value.trim());
	if (!match) return null;
	const time = Date.parse(`${match[1]}T00:00:00Z`);
	return Number.isFinite(time) && new Date(time).toISOString().startsWith(match[1]!)
		? match[1]!
		: null;
}

export function cardCount(plan: ImportPlan): number {
	return plan.columns.reduce((sum, column) => sum + column.cards.length, 0);
}
