/**
 * TaskFlow's own board export (docs/export-format.md) as an import plan, so that export →
 * import → export reads the same apart from ids and times: columns keep their title, category
 * and WIP limit, cards their order (by `position`), title, description, priority, labels, due
 * day and assignee (matched again by e-mail at import).
 */
import { columnCategories, maxDescriptionLength, taskPriorities } from '../board/schema.ts';
import {
	cleanLabels,
	cleanTitle,
	dayOf,
	ImportFormatError,
	type ImportCard,
	type ImportColumn,
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
			title: cleanTitle(column.title, 'Untitled column'),
			category: category ?? 'todo',
			wipLimit,
			cards: []
		});
	}
	const cards = objects(data.cards)
		.map((card, index) => ({ card, index }))
		.sort((a, b) => position(a.card) - position(b.card) || a.index - b.index);
	for (const { card } of cards) {
		const title = cleanTitle(card.title, 'Untitled card');
		const column = columns.get(String(card.columnId));
		if (!column) {
			skipped.push({ what: `Card “${title}”`, reason: 'its column is not in the export' });
			continue;
		}
		column.cards.push(taskflowCard(card, title, skipped));
	}
	return {
		title: cleanTitle(board.title, 'Imported board'),
		columns: [...columns.values()],
		labelColors: {},
		skipped
	};
}

function taskflowCard(card: Json, title: string, skipped: SkippedItem[]): ImportCard {
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
		checklist: [],
		comments: []
	};
}
