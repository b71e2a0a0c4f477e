/**
 * TaskFlow's own board export (docs/export-format.md) as an import plan, so that export →
 * import → export reads the same apart from ids and times: columns keep their title, category
 * and WIP limit, cards their order (by `position`), title, description, priority, labels, due
 * day, assignee (matched again by e-mail at import) and checklist, the board its label colours;
 * comments become comments by the importer quoting their author and date, as Trello's do.
 * Files from before checklists, colours and comments were exported have none of them.
 */
import { countOf } from '../../count-words.ts';
import { isLabelColor, labelColors, maxLabelColors } from '../board/label-colors.ts';
import { cleanText } from '../board/records.ts';
import { columnCategories, maxDescriptionLength, taskPriorities } from '../board/schema.ts';
import { cleanChecklist } from './checklist.ts';
import {
	cleanLabels,
	cleanTitle,
	dayOf,
	ImportFormatError,
	maxImportComments,
	noCut,
	type ImportCard,
	type ImportColumn,
	type ImportComment,
	type ImportPlan,
	type SkippedItem
} from './plan.ts';

type Json = Record<string, unknown>;
const isObject = (value: unknown): value is Json =>
	typeof value === 'object' && value !== null && !Array.isArray(value);
const objects = (value: unknown): Json[] => (Array.isArray(value) ? value.filter(isObject) : []);
const position = (item: Json): number =>
	typeof item.position === 'number' && Number.isFinite(item.position) ? item.position : 0;

/** Whether a parsed JSON file looks like a TaskFlow export (rather than a Trello one). */
export function isTaskflowExport(input: unknown): boolean {
	return isObject(input) && input.format === 'taskflow.board';
}

export function planFromTaskflow(input: unknown): ImportPlan {
	if (!isTaskflowExport(input)) {
		throw new ImportFormatError(
			'This is not a TaskFlow board export: it has no "format": "taskflow.board". Export a board with GET /api/v1/boards/:id/export?format=json.'
		);
	}
	const data = input as Json;
	if (data.version !== 1) {
		throw new ImportFormatError(
			`This TaskFlow export has version ${JSON.stringify(data.version)}; only version 1 can be imported.`
		);
	}
	if (!Array.isArray(data.columns) || !Array.isArray(data.cards)) {
		throw new ImportFormatError('This TaskFlow export has no "columns" and "cards" lists.');
	}
	const skipped: SkippedItem[] = [];
	const board = isObject(data.board) ? data.board : {};
	const columns = new Map<string, ImportColumn>();
	for (const column of objects(data.columns).sort((a, b) => position(a) - position(b))) {
		const category = columnCategories.find((value) => value === column.category);
		const wipLimit =
			typeof column.wipLimit === 'number' && Number.isInteger(column.wipLimit)
				? Math.min(999, Math.max(1, column.wipLimit))
				: null;
		columns.set(String(column.id), {
			title: cleanTitle(column.title, 'Untitled column', {
				skipped,
				of: (title) => `of column “${title}”`
			}),
			category: category ?? 'todo',
			wipLimit,
			cards: []
		});
	}
	const cards = objects(data.cards)
		.map((card, index) => ({ card, index }))
		.sort((a, b) => position(a.card) - position(b.card) || a.index - b.index);
	const comments = commentCounter();
	for (const { card } of cards) {
		const column = columns.get(String(card.columnId));
		if (!column) {
			// The card is left out whole, so a cut in its name here is not news.
			const title = cleanTitle(card.title, 'Untitled card', { skipped: [], of: () => '' });
			skipped.push({ what: `Card “${title}”`, reason: 'its column is not in the export' });
			continue;
		}
		const title = cleanTitle(card.title, 'Untitled card', { skipped, of: (t) => `of “${t}”` });
		column.cards.push(taskflowCard(card, title, skipped, comments));
	}
	return {
		title: cleanTitle(board.title, 'Imported board', { skipped, of: () => 'of the board' }),
		columns: [...columns.values()],
		labelColors: taskflowLabelColors(data.labelColors, skipped),
		skipped
	};
}

/**
 * The board's label colours: keys that are labels as a card holds them (`cleanLabels`), colours
 * of the palette, at most `maxLabelColors` as the board reads them. The rest is reported.
 */
function taskflowLabelColors(value: unknown, skipped: SkippedItem[]): Record<string, string> {
	// Keys are label names people typed ("__proto__" included): no prototype.
	const colors = Object.create(null) as Record<string, string>;
	if (value === undefined) return colors;
	if (!isObject(value)) {
		skipped.push({ what: 'The label colours', reason: 'not an object of label → colour' });
		return colors;
	}
	let over = 0;
	for (const [label, color] of Object.entries(value)) {
		if (cleanLabels([label]).labels[0] !== label) {
			skipped.push({ what: `The colour of “${label}”`, reason: 'not a label a card can have' });
		} else if (!isLabelColor(color)) {
			skipped.push({
				what: `The colour of label “${label}”`,
				reason: `not one of ${labelColors.join(', ')}`
			});
		} else if (Object.keys(colors).length >= maxLabelColors) over += 1;
		else colors[label] = color;
	}
	if (over > 0) {
		skipped.push({
			what: `The colours of ${countOf(over, 'label')}`,
			reason: `a board colours at most ${maxLabelColors} labels`
		});
	}
	return colors;
}

/** Counts the file's comments, so a file of too many is refused before it is planned whole. */
function commentCounter() {
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
			date: typeof comment.createdAt === 'string' ? comment.createdAt : null,
			text: cleanText(comment.body as string, noCut)
		}));
	count(comments.length);
	const left = list.length - comments.length;
	if (left > 0 || (value !== undefined && !Array.isArray(value))) {
		skipped.push({
			what: `${Array.isArray(value) ? countOf(left, 'comment') : 'The comments'} of “${title}”`,
			reason: 'not a comment with text'
		});
	}
	return comments;
}

/** The card's checklist items that have a text; the rest are reported by `cleanChecklist`. */
function taskflowChecklist(value: unknown, title: string, skipped: SkippedItem[]) {
	// An entry without a text reads as blank, so it is left out and reported with the blank ones.
	const items = (Array.isArray(value) ? value : []).map((item: unknown) => ({
		text: isObject(item) && typeof item.text === 'string' ? item.text : '',
		done: isObject(item) && item.done === true
	}));
	return cleanChecklist(items, title, skipped);
}

function taskflowCard(
	card: Json,
	title: string,
	skipped: SkippedItem[],
	countComments: (added: number) => void
): ImportCard {
	const { labels, dropped } = cleanLabels(
		Array.isArray(card.labels) ? card.labels.filter((l) => typeof l === 'string') : []
	);
	for (const label of dropped) {
		skipped.push({
			what: `Label “${label}” on “${title}”`,
			reason: 'a card has at most 20 labels'
		});
	}
	const email = typeof card.assigneeEmail === 'string' ? card.assigneeEmail.trim() : '';
	return {
		title,
		description:
			typeof card.description === 'string' ? card.description.slice(0, maxDescriptionLength) : '',
		dueDate: dayOf(card.dueDate),
		labels,
		priority: taskPriorities.find((value) => value === card.priority) ?? 'medium',
		assignee: email ? { email, username: null, name: email } : null,
		deleted: false,
		checklist: taskflowChecklist(card.checklist, title, skipped),
		comments: taskflowComments(card.comments, title, skipped, countComments)
	};
}
