/**
 * TaskFlow's own board export (docs/export-format.md) as an import plan, so that export →
 * import → export reads the same apart from ids and times: columns keep their title, category
 * and WIP limit, cards their order (by `position`), title, description, priority, labels, due
 * day, assignee (matched again by e-mail at import) and checklist, the board its label colours;
 * comments become comments by the importer quoting their author and date, as Trello's do.
 * Files from before checklists, colours and comments were exported have none of them. Whatever
 * a malformed file holds that the board cannot is dropped or changed, and reported.
 */
import { countOf } from '../../count-words.ts';
import { isLabelColor, labelColors, maxLabelColors } from '../board/label-colors.ts';
import { columnCategories, type ColumnCategory } from '../board/schema.ts';
import { isObject, objects, shown, type Json } from './json.ts';
import { commentCounter, taskflowCard } from './taskflow-card.ts';
import {
	cleanLabels,
	cleanTitle,
	ImportFormatError,
	type ImportColumn,
	type ImportPlan,
	type SkippedItem
} from './plan.ts';

const position = (item: Json): number =>
	typeof item.position === 'number' && Number.isFinite(item.position) ? item.position : 0;
/** A column's id or the one a card names; numbers are taken as their text, anything else is none. */
const idOf = (value: unknown): string | null =>
	typeof value === 'string' || typeof value === 'number' ? String(value) : null;

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
	reportNonObjects(data.columns, 'column', skipped);
	reportNonObjects(data.cards, 'card', skipped);
	const board = isObject(data.board) ? data.board : {};
	const { columns, byId } = taskflowColumns(data.columns, skipped);
	const cards = objects(data.cards)
		.map((card, index) => ({ card, index }))
		.sort((a, b) => position(a.card) - position(b.card) || a.index - b.index);
	const countComments = commentCounter();
	for (const { card } of cards) {
		const id = idOf(card.columnId);
		const column = id === null ? undefined : byId.get(id);
		if (!column) {
			// The card is left out whole, so a cut in its name here is not news.
			const title = cleanTitle(card.title, 'Untitled card', { skipped: [], of: () => '' });
			skipped.push({ what: `Card “${title}”`, reason: 'its column is not in the export' });
			continue;
		}
		const title = cleanTitle(card.title, 'Untitled card', { skipped, of: (t) => `of “${t}”` });
		if (title === 'Untitled card' && card.title !== title) {
			skipped.push({
				what: `The title of a card in “${column.title}”`,
				reason: 'missing or nothing visible; “Untitled card” used'
			});
		}
		column.cards.push(taskflowCard(card, title, skipped, countComments));
	}
	return {
		title: cleanTitle(board.title, 'Imported board', { skipped, of: () => 'of the board' }),
		columns,
		labelColors: taskflowLabelColors(data.labelColors, skipped),
		skipped
	};
}

function reportNonObjects(list: unknown[], kind: string, skipped: SkippedItem[]): void {
	const others = list.filter((item) => !isObject(item)).length;
	if (others > 0) {
		skipped.push({
			what: `${countOf(others, 'entry', 'entries')} of the ${kind}s list`,
			reason: `not a ${kind}`
		});
	}
}

/**
 * The file's columns in board order, and the one each id puts cards in. Two columns with one id
 * (a hand-edited or merged file) are both kept, with whatever else they hold; as a card names
 * its column only by id, the cards of that id cannot be told apart and all go to one of them:
 * the least advanced (to do before in progress before done, then the first in board order). A
 * wrong guess then leaves a card open rather than marks it completed, which would take it out
 * of My tasks and count it in the insights. Each other column of that id is reported.
 */
function taskflowColumns(
	list: unknown[],
	skipped: SkippedItem[]
): { columns: ImportColumn[]; byId: Map<string, ImportColumn> } {
	const columns: ImportColumn[] = [];
	const sharing = new Map<string, ImportColumn[]>();
	for (const column of objects(list).sort((a, b) => position(a) - position(b))) {
		const imported = taskflowColumn(column, skipped);
		columns.push(imported);
		const id = idOf(column.id);
		if (id === null) continue;
		const same = sharing.get(id);
		if (same) same.push(imported);
		else sharing.set(id, [imported]);
	}
	const stage = (column: ImportColumn) => columnCategories.indexOf(column.category ?? 'todo');
	const byId = new Map<string, ImportColumn>();
	for (const [id, same] of sharing) {
		// Stable: among columns of one stage, the first in board order stays first.
		const [target, ...others] = [...same].sort((a, b) => stage(a) - stage(b));
		byId.set(id, target!);
		for (const other of others) {
			skipped.push({
				what: `Column “${other.title}”`,
				reason: `has the same id as column “${target!.title}”; the cards with that id are all in “${target!.title}”`
			});
		}
	}
	return { columns, byId };
}

function taskflowColumn(column: Json, skipped: SkippedItem[]): ImportColumn {
	const title = cleanTitle(column.title, 'Untitled column', {
		skipped,
		of: (t) => `of column “${t}”`
	});
	if (title === 'Untitled column' && column.title !== title) {
		skipped.push({
			what: 'The title of a column',
			reason: 'missing or nothing visible; “Untitled column” used'
		});
	}
	const category: ColumnCategory | undefined = columnCategories.find((c) => c === column.category);
	if (!category && column.category !== undefined) {
		skipped.push({
			what: `Category “${shown(column.category)}” of column “${title}”`,
			reason: 'not todo, in_progress or done; todo used'
		});
	}
	const limit = column.wipLimit;
	const wipLimit =
		typeof limit === 'number' && Number.isInteger(limit) ? Math.min(999, Math.max(1, limit)) : null;
	if (limit !== undefined && limit !== null && wipLimit !== limit) {
		skipped.push({
			what: `WIP limit “${shown(limit)}” of column “${title}”`,
			reason: `not a whole number from 1 to 999; ${wipLimit === null ? 'no limit' : wipLimit} used`
		});
	}
	return { title, category: category ?? 'todo', wipLimit, cards: [] };
}

/**
 * The board's label colours: keys that are labels as a card holds them (`cleanLabels`), colours
 * of the palette, at most `maxLabelColors` as the board reads them. The rest is reported.
 */
function taskflowLabelColors(value: unknown, skipped: SkippedItem[]): Record<string, string> {
	// Keys are label names people typed ("__proto__" included): no prototype.
	const colors = Object.create(null) as Record<string, string>;
	if (value === undefined || value === null) return colors;
	if (!isObject(value)) {
		skipped.push({ what: 'The label colours', reason: 'not an object of label → colour' });
		return colors;
	}
	let kept = 0;
	let over = 0;
	for (const [label, color] of Object.entries(value)) {
		if (cleanLabels([label]).labels[0] !== label) {
			skipped.push({
				what: `The colour of “${shown(label)}”`,
				reason: 'not a label a card can have'
			});
		} else if (!isLabelColor(color)) {
			skipped.push({
				what: `The colour of label “${label}”`,
				reason: `not one of ${labelColors.join(', ')}`
			});
		} else if (kept >= maxLabelColors) over += 1;
		else {
			colors[label] = color;
			kept += 1;
		}
	}
	if (over > 0) {
		skipped.push({
			what: `The colours of ${countOf(over, 'label')}`,
			reason: `a board colours at most ${maxLabelColors} labels`
		});
	}
	return colors;
}
