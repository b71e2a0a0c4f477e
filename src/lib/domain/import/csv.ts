/**
 * A CSV file (RFC 4180: quoted fields, doubled quotes, line breaks inside quotes, CRLF or LF,
 * an optional byte-order mark) as an import plan, through a mapping from TaskFlow's card fields
 * to the file's columns. `suggestMapping` guesses the mapping from the header row; the person
 * importing confirms or changes it before anything is created.
 */
import { cleanText } from '../board/records.ts';
import { unguardFormula } from '../csv-formula.ts';
import { maxDescriptionLength, taskPriorities, type TaskPriority } from '../board/schema.ts';
import {
	cleanLabels,
	reportLabels,
	cleanTitle,
	dayOf,
	guessCategory,
	ImportFormatError,
	type ImportColumn,
	type ImportPlan,
	type SkippedItem
} from './plan.ts';

export const csvFields = [
	'title',
	'description',
	'column',
	'labels',
	'due',
	'priority',
	'assignee'
] as const;
export type CsvField = (typeof csvFields)[number];
/** Field → index of the file's column, or null when the file has none for it. */
export type CsvMapping = Record<CsvField, number | null>;

export const maxCsvRows = 10_000;
/** Columns a row may have: a card has seven fields, so this is room for any real export. */
export const maxCsvFields = 100;
/** Characters in one cell: more than a description holds (longer ones are cut and reported). */
export const maxCsvCellLength = 50_000;

/**
 * Rows of fields; the first is the header. The limits are checked while reading, so a hostile
 * file (millions of empty rows, one row of millions of commas) is refused after reading no more
 * than the limits allow, not after building all of it. Fields are separated by commas, or by
 * semicolons or tabs when the header row has more of those (`separatorOf`).
 */
export function parseCsv(input: string): string[][] {
	const text = input.startsWith('\uFEFF') ? input.slice(1) : input;
	const separator = separatorOf(text);
	const rows: string[][] = [];
	let row: string[] = [];
	let field = '';
	let quoted = false;
	const endField = () => {
		if (row.length === maxCsvFields) {
			throw new ImportFormatError(
				`Row ${rows.length + 1} of the CSV file has more than ${maxCsvFields} columns; a file may have at most ${maxCsvFields}.`
			);
		}
		// Well-formed and without NUL, so no cell can make PostgreSQL refuse what it ends up in.
		row.push(cleanText(field, maxCsvCellLength));
		field = '';
	};
	const endRow = () => {
		endField();
		if (row.some((f) => f !== '') || row.length > 1) {
			if (rows.length > maxCsvRows) {
				throw new ImportFormatError(
					`The CSV file has more than ${maxCsvRows} rows; import at most ${maxCsvRows} at a time.`
				);
			}
			rows.push(row);
		}
		row = [];
	};
	const add = (ch: string) => {
		if (field.length >= maxCsvCellLength) {
			throw new ImportFormatError(
				`Column ${row.length + 1} of row ${rows.length + 1} of the CSV file is longer than ${maxCsvCellLength} characters${quoted ? ': is a closing " missing?' : '.'}`
			);
		}
		field += ch;
	};
	let i = 0;
	while (i < text.length) {
		const ch = text[i]!;
		if (quoted) {
			if (ch === '"' && text[i + 1] === '"') {
				add('"');
				i += 2;
				continue;
			}
			if (ch === '"') quoted = false;
			else add(ch);
			i += 1;
			continue;
		}
		if (ch === '"' && field === '') quoted = true;
		else if (ch === separator) endField();
		else if (ch === '\n' || ch === '\r') {
			endRow();
			if (ch === '\r' && text[i + 1] === '\n') i += 1;
		} else add(ch);
		i += 1;
	}
	if (quoted)
		throw new ImportFormatError('The CSV file ends inside a quoted field: a closing " is missing.');
	endRow();
	if (rows.length === 0) throw new ImportFormatError('The CSV file is empty.');
	return rows;
}

/**
 * The field separator: whichever of comma, semicolon and tab the first row holds most of
 * outside quotes (a comma on a tie or none). Spreadsheets in locales whose decimal mark is a
 * comma save "CSV" with semicolons, which read as one column holding the whole row.
 */
function separatorOf(text: string): string {
	const counts = new Map([
		[',', 0],
		[';', 0],
		['\t', 0]
	]);
	// Quotes as `parseCsv` reads them: one opens a field only at its start.
	let quoted = false;
	let fieldStart = true;
	for (let i = 0; i < text.length && i < maxCsvCellLength; i++) {
		const ch = text[i]!;
		if (quoted) {
			if (ch === '"' && text[i + 1] === '"') i += 1;
			else if (ch === '"') quoted = false;
			continue;
		}
		if (ch === '"' && fieldStart) quoted = true;
		else if (ch === '\n' || ch === '\r') break;
		else if (counts.has(ch)) counts.set(ch, counts.get(ch)! + 1);
		fieldStart = counts.has(ch);
	}
	let best = ',';
	for (const [ch, count] of counts) if (count > counts.get(best)!) best = ch;
	return best;
}

const synonyms: Record<CsvField, string[]> = {
	title: ['title', 'name', 'card', 'task', 'summary', 'card name'],
	description: ['description', 'desc', 'details', 'notes', 'body'],
	column: ['column', 'list', 'status', 'stage', 'list name'],
	labels: ['labels', 'label', 'tags', 'tag'],
	due: ['due', 'due date', 'deadline', 'due on'],
	priority: ['priority'],
	assignee: ['assignee', 'assignee email', 'owner', 'assigned to', 'email']
};

/** A first guess from the header row: each field takes the first column whose name fits. */
export function suggestMapping(header: readonly string[]): CsvMapping {
	const names = header.map((h) => h.trim().toLowerCase());
	const mapping = {} as CsvMapping;
	const taken = new Set<number>();
	for (const field of csvFields) {
		const index = names.findIndex((name, i) => !taken.has(i) && synonyms[field].includes(name));
		mapping[field] = index >= 0 ? index : null;
		if (index >= 0) taken.add(index);
	}
	return mapping;
}

const isPriority = (value: string): value is TaskPriority =>
	(taskPriorities as readonly string[]).includes(value);

export function planFromCsv(
	rows: readonly string[][],
	mapping: CsvMapping,
	title: string
): ImportPlan {
	if (mapping.title === null)
		throw new ImportFormatError('Choose which column holds the card titles.');
	const width = rows[0]?.length ?? 0;
	for (const field of csvFields) {
		const index = mapping[field];
		if (index !== null && (!Number.isInteger(index) || index < 0 || index >= width)) {
			throw new ImportFormatError(`The ${field} column is not in the file.`);
		}
	}
	const skipped: SkippedItem[] = [];
	const columns = new Map<string, ImportColumn>();
	// The quote TaskFlow's own CSV export puts before a would-be formula comes off; a description
	// keeps its leading spaces (indented Markdown), other cells are trimmed.
	const cell = (row: readonly string[], field: CsvField) => {
		const index = mapping[field];
		const value = index === null ? '' : unguardFormula(row[index] ?? '');
		return field === 'description' ? value.trimEnd() : value.trim();
	};
	rows.slice(1).forEach((row, n) => {
		const line = n + 2;
		const rawTitle = cell(row, 'title');
		if (!rawTitle) {
			skipped.push({ what: `Row ${line}`, reason: 'it has no title' });
			return;
		}
		const cardTitle = cleanTitle(rawTitle, 'Untitled card', {
			skipped,
			of: () => `in row ${line}`
		});
		// A column is named on every row of its cards: its cut title is reported on the first.
		const columnCut: SkippedItem[] = [];
		const columnTitle = cleanTitle(cell(row, 'column'), 'To do', {
			skipped: columnCut,
			of: (title) => `of column “${title}” in row ${line}`
		});
		if (!columns.has(columnTitle)) skipped.push(...columnCut);
		const column = columns.get(columnTitle) ?? {
			title: columnTitle,
			category: guessCategory(columnTitle),
			cards: []
		};
		columns.set(columnTitle, column);

		const dueText = cell(row, 'due');
		const dueDate = dayOf(dueText);
		if (dueText && !dueDate)
			skipped.push({
				what: `Due date “${dueText}” in row ${line}`,
				reason: 'not a YYYY-MM-DD date'
			});
		const priorityText = cell(row, 'priority').toLowerCase();
		const priority = isPriority(priorityText) ? priorityText : 'medium';
		if (priorityText && !isPriority(priorityText)) {
			skipped.push({
				what: `Priority “${priorityText}” in row ${line}`,
				reason: 'not low, medium, high or urgent; medium used'
			});
		}
		const cleaned = cleanLabels(cell(row, 'labels').split(/[,;]/));
		reportLabels(cleaned, `in row ${line}`, skipped);
		const { labels } = cleaned;
		let description = cell(row, 'description');
		if (description.length > maxDescriptionLength) {
			description = cleanText(description, maxDescriptionLength);
			skipped.push({
				what: `The end of the description in row ${line}`,
				reason: `longer than ${maxDescriptionLength} characters`
			});
		}
		const email = cell(row, 'assignee');
		column.cards.push({
			title: cardTitle,
			description,
			dueDate,
			labels,
			priority,
			assignee: email ? { email, username: null, name: email } : null,
			deleted: false,
			checklist: [],
			comments: []
		});
	});
	return {
		title: cleanTitle(title, 'Imported from CSV', { skipped, of: () => 'of the board' }),
		columns: columns.size > 0 ? [...columns.values()] : [{ title: 'To do', cards: [] }],
		labelColors: {},
		skipped
	};
}
