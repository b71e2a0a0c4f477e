/**
 * Checks of operation inputs. Inputs may come straight from JSON bodies or websocket messages,
 * so each check takes `unknown` and returns the normalized value or throws a DomainError naming
 * the offending field.
 */
import type * as Y from 'yjs';
import type { OpContext } from './context.ts';
import { DomainError } from './errors.ts';
import {
	boardMap,
	isCalendarDate,
	isColumnCategory,
	isTaskPriority,
	maxDescriptionLength,
	maxLabelLength,
	maxLabels,
	maxTitleLength,
	schemaVersion,
	type ColumnCategory,
	type TaskPriority
} from './schema.ts';
// Titles are single-line labels; NUL in particular cannot be stored by PostgreSQL.
import { controlCharacters, hasVisibleText } from '../visible-text.ts';

/** A trimmed, non-empty, single-line title of at most `maxTitleLength`. */
export function validateTitle(value: unknown, field = 'title'): string {
	if (typeof value !== 'string') throw new DomainError('invalid_title', 'Enter a title.', field);
	const title = value.trim();
	if (!hasVisibleText(title)) throw new DomainError('invalid_title', 'Enter a title.', field);
	if (title.length > maxTitleLength) {
		throw new DomainError(
			'invalid_title',
			`Keep the title to ${maxTitleLength} characters or fewer.`,
			field
		);
	}
	if (controlCharacters.test(title)) {
		throw new DomainError('invalid_title', 'The title cannot contain line breaks or tabs.', field);
	}
	return title;
}

/** Description text: any length up to `maxDescriptionLength`, newlines allowed, NUL not. */
export function validateDescription(value: unknown, field = 'description'): string {
	if (typeof value !== 'string') {
		throw new DomainError('invalid_description', 'The description must be text.', field);
	}
	if (value.length > maxDescriptionLength) {
		throw new DomainError(
			'invalid_description',
			`Keep the description to ${maxDescriptionLength} characters or fewer.`,
			field
		);
	}
	if (value.includes('\u0000')) {
		throw new DomainError('invalid_description', 'The description contains a NUL.', field);
	}
	return value;
}

export function validatePriority(value: unknown): TaskPriority {
	if (!isTaskPriority(value)) {
		throw new DomainError('invalid_priority', 'Choose low, medium, high or urgent.', 'priority');
	}
	return value;
}

export function validateCategory(value: unknown): ColumnCategory {
	if (!isColumnCategory(value)) {
		throw new DomainError('invalid_category', 'Choose to do, in progress or done.', 'category');
	}
	return value;
}

/** No limit (null) or a whole number of cards from 1 to 999. */
export function validateWipLimit(value: unknown): number | null {
	if (value === null) return null;
	if (!Number.isInteger(value) || (value as number) < 1 || (value as number) > 999) {
		throw new DomainError(
			'invalid_wip_limit',
			'The limit must be a whole number from 1 to 999, or none.',
			'wipLimit'
		);
	}
	return value as number;
}

/** No due date (null) or a real calendar day as `YYYY-MM-DD`. */
export function validateDueDate(value: unknown): string | null {
	if (value === null) return null;
	if (!isCalendarDate(value)) {
		throw new DomainError('invalid_date', 'Enter a date as YYYY-MM-DD.', 'dueDate');
	}
	return value;
}

/** Nobody (null) or a user id; a member of the board when the context lists the members. */
export function validateAssignee(value: unknown, ctx: OpContext): string | null {
	if (value === null) return null;
	if (typeof value !== 'string' || !value || value.length > 255) {
		throw new DomainError('invalid_assignee', 'Choose someone to assign.', 'assigneeId');
	}
	if (ctx.memberIds && !ctx.memberIds.has(value)) {
		throw new DomainError(
			'invalid_assignee',
			'Only members of this board can be assigned.',
			'assigneeId'
		);
	}
	return value;
}

/** Trimmed, distinct (first occurrence kept), non-empty labels within the limits. */
export function validateLabels(value: unknown): string[] {
	if (!Array.isArray(value)) {
		throw new DomainError('invalid_label', 'Labels must be a list.', 'labels');
	}
	const labels: string[] = [];
	for (const item of value) {
		// trim(), not hasVisibleText: the list holds the card's stored labels too, and a label
		// stored before the visible-text rule must not stop the adding of another.
		if (typeof item !== 'string' || !item.trim() || controlCharacters.test(item)) {
			throw new DomainError(
				'invalid_label',
				'Labels must be non-empty, single-line text.',
				'labels'
			);
		}
		const label = item.trim();
		if (label.length > maxLabelLength) {
			throw new DomainError(
				'invalid_label',
				`Keep each label to ${maxLabelLength} characters or fewer.`,
				'labels'
			);
		}
		if (!labels.includes(label)) labels.push(label);
	}
	if (labels.length > maxLabels) {
		throw new DomainError(
			'invalid_label',
			`A card can have at most ${maxLabels} labels.`,
			'labels'
		);
	}
	return labels;
}

/**
 * Refuses to write into a document of another schema version: this code would misread it. An
 * uninitialized document (no version yet) is accepted.
 */
export function assertWritable(doc: Y.Doc): void {
	const version = boardMap(doc).get('schemaVersion');
	if (version !== undefined && version !== schemaVersion) {
		throw new DomainError(
			'unsupported_schema',
			`This board uses schema version ${String(version)}; only ${schemaVersion} is supported.`
		);
	}
}
