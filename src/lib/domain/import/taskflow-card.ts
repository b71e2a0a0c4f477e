/**
 * One card of a TaskFlow export (docs/export-format.md) as an import card. Each field is read
 * as the export writes it; a value that is not (a hand-edited or broken file) is dropped or
 * changed to what the board can hold, and every such change is reported, one line per card and
 * kind, so the report's "Skipped or changed" says what the new board does not hold.
 */
import { countOf } from '../../count-words.ts';
import { cleanText } from '../board/records.ts';
import { maxDescriptionLength, taskPriorities } from '../board/schema.ts';
import { hasVisibleText } from '../visible-text.ts';
import { cleanChecklist } from './checklist.ts';
import { isObject, objects, shown, type Json } from './json.ts';
import {
	cleanLabels,
	commentDate,
	reportLabels,
	dayOf,
	ImportFormatError,
	maxImportComments,
	noCut,
	oneLine,
	type ImportCard,
	type ImportComment,
	type SkippedItem
} from './plan.ts';

/** Counts the file's comments, so a file of too many is refused before it is planned whole. */
export function commentCounter() {
	let count = 0;
	return (added: number) => {
		count += added;
		if (count > maxImportComments) {
			throw new ImportFormatError(
				`This export holds more than ${maxImportComments} comments; import at most ${maxImportComments} at a time.`
			);
		}
	};
}

/** Absent from the file (older exports, optional fields): nothing to report. */
const absent = (value: unknown) => value === undefined || value === null;

/** `title` is the card's title as imported (`cleanTitle`), naming it in the report. */
export function taskflowCard(
	card: Json,
	title: string,
	skipped: SkippedItem[],
	countComments: (added: number) => void
): ImportCard {
	const dueDate = dayOf(card.dueDate);
	if (!absent(card.dueDate) && !dueDate) {
		skipped.push({
			what: `Due date “${shown(card.dueDate)}” of “${title}”`,
			reason: 'not a YYYY-MM-DD date'
		});
	}
	const priority = taskPriorities.find((value) => value === card.priority);
	if (!absent(card.priority) && !priority) {
		skipped.push({
			what: `Priority “${shown(card.priority)}” of “${title}”`,
			reason: 'not low, medium, high or urgent; medium used'
		});
	}
	const email = typeof card.assigneeEmail === 'string' ? card.assigneeEmail.trim() : '';
	if (!absent(card.assigneeEmail) && !email) {
		skipped.push({
			what: `Assignee “${shown(card.assigneeEmail)}” of “${title}”`,
			reason: 'not an e-mail address; left unassigned'
		});
	}
	return {
		title,
		description: taskflowDescription(card.description, title, skipped),
		dueDate,
		labels: taskflowLabels(card.labels, title, skipped),
		priority: priority ?? 'medium',
		assignee: email ? { email, username: null, name: email } : null,
		deleted: false,
		checklist: taskflowChecklist(card.checklist, title, skipped),
		comments: taskflowComments(card.comments, title, skipped, countComments)
	};
}

function taskflowDescription(value: unknown, title: string, skipped: SkippedItem[]): string {
	if (absent(value)) return '';
	if (typeof value !== 'string') {
		skipped.push({ what: `The description of “${title}”`, reason: 'not a text' });
		return '';
	}
	if (value.length > maxDescriptionLength) {
		skipped.push({
			what: `The end of the description of “${title}”`,
			reason: `longer than ${maxDescriptionLength} characters`
		});
	}
	// Cut, if at all, where a pair is not split (a half emoji is not text PostgreSQL stores).
	return cleanText(value, maxDescriptionLength);
}

/** The labels `cleanLabels` keeps; what it leaves out or cuts is reported here. */
function taskflowLabels(value: unknown, title: string, skipped: SkippedItem[]): string[] {
	if (absent(value)) return [];
	if (!Array.isArray(value)) {
		skipped.push({ what: `The labels of “${title}”`, reason: 'not a list' });
		return [];
	}
	const texts = value.filter((label): label is string => typeof label === 'string');
	const cleaned = cleanLabels(texts);
	const unusable = value.filter(
		(label) => typeof label !== 'string' || !hasVisibleText(oneLine(label))
	);
	if (unusable.length > 0) {
		skipped.push({
			what: `Labels of “${title}”: ${unusable.map(shown).join(', ')}`,
			reason: 'not a text with something visible'
		});
	}
	reportLabels(cleaned, `of “${title}”`, skipped);
	return cleaned.labels;
}

/** The card's checklist items that have a text; the rest are reported by `cleanChecklist`. */
function taskflowChecklist(value: unknown, title: string, skipped: SkippedItem[]) {
	if (!absent(value) && !Array.isArray(value)) {
		skipped.push({ what: `The checklist of “${title}”`, reason: 'not a list' });
	}
	// An entry without a text reads as blank, so it is left out and reported with the blank ones.
	const items = (Array.isArray(value) ? value : []).map((item: unknown) => ({
		text: isObject(item) && typeof item.text === 'string' ? item.text : '',
		done: isObject(item) && item.done === true
	}));
	return cleanChecklist(items, title, skipped);
}

/**
 * A card's comments, oldest first, as Trello's are imported: the words with their author's name
 * (null once the account is gone: "Someone") and date, quoted by the importer.
 */
function taskflowComments(
	value: unknown,
	title: string,
	skipped: SkippedItem[],
	count: (added: number) => void
): ImportComment[] {
	const list = Array.isArray(value) ? value : [];
	const comments = objects(list)
		.filter((comment) => typeof comment.body === 'string' && comment.body.trim() !== '')
		.map((comment) => ({
			author: cleanText(typeof comment.author === 'string' ? comment.author : 'Someone', noCut),
			date: commentDate(comment.createdAt),
			text: cleanText(comment.body as string, noCut)
		}));
	count(comments.length);
	const left = list.length - comments.length;
	if (left > 0 || (!absent(value) && !Array.isArray(value))) {
		skipped.push({
			what: `${Array.isArray(value) ? countOf(left, 'comment') : 'The comments'} of “${title}”`,
			reason: 'not a comment with text'
		});
	}
	return comments;
}
