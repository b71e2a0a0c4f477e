/**
 * What each key of the board document may hold (docs/board-document.md), as checks of one
 * incoming value. Shared types are named by kind; plain values are checked with the domain's
 * own rules, so the server refuses exactly what the operations would never write.
 */
import { isLabelColor } from '#lib/domain/board/label-colors.ts';
import {
	isCalendarDate,
	isColumnCategory,
	isTaskPriority,
	maxChecklistTextLength,
	maxLabelLength,
	maxTitleLength,
	schemaVersion
} from '#lib/domain/board/schema.ts';
import { controlCharacters } from '#lib/domain/visible-text.ts';

/** A value as it arrives: a plain value, or a new shared type of one of the board's kinds. */
export type Incoming = { plain: unknown } | { type: 'map' | 'text' | 'array' };

/** Returns a problem, or null when the value is allowed. */
export type Rule = (value: Incoming) => string | null;

/*
 * Text in updates: non-empty after trim(), no control character; not `hasVisibleText`, which
 * new input gets (visible-text.ts). The guard checks what an update writes, and an undo writes
 * back a value stored before that rule: refusing it would close the socket, and the browser's
 * kept copy would send it again on every reconnection, so the board could no longer be saved.
 */
const maxIdLength = 255;
/** As `records.ts` reads ranks: longer ones are not produced by honest clients. */
const maxRankLength = 1024;
const maxTimestampLength = 64;

function plain(check: (value: unknown) => boolean, expected: string): Rule {
	return (value) => ('plain' in value && check(value.plain) ? null : `must be ${expected}`);
}

function shared(kind: 'map' | 'text' | 'array', expected: string): Rule {
	return (value) => ('type' in value && value.type === kind ? null : `must be ${expected}`);
}

const isTitle = (v: unknown) =>
	typeof v === 'string' &&
	v.trim().length > 0 &&
	v.length <= maxTitleLength &&
	!controlCharacters.test(v);
const isId = (v: unknown) => typeof v === 'string' && v.length > 0 && v.length <= maxIdLength;
const isTimestamp = (v: unknown) =>
	typeof v === 'string' && v.length <= maxTimestampLength && Number.isFinite(Date.parse(v));
const orNull = (check: (v: unknown) => boolean) => (v: unknown) => v === null || check(v);

const title = plain(isTitle, `a single-line title of 1-${maxTitleLength} characters`);
const id = plain(isId, `an id of 1-${maxIdLength} characters`);
const rank = plain((v) => typeof v === 'string' && v.length <= maxRankLength, 'a rank (a string)');
const deletedAt = plain(orNull(isTimestamp), 'null or an ISO timestamp');

export const boardRules: Record<string, Rule> = {
	title,
	schemaVersion: plain((v) => v === schemaVersion, `${schemaVersion} (the schema version)`)
};

export const columnRules: Record<string, Rule> = {
	id,
	title,
	rank,
	category: plain(isColumnCategory, 'todo, in_progress or done'),
	wipLimit: plain(
		orNull((v) => Number.isInteger(v) && (v as number) >= 1 && (v as number) <= 999),
		'null or a whole number from 1 to 999'
	),
	deletedAt
};

export const taskRules: Record<string, Rule> = {
	id,
	title,
	description: shared('text', 'a Y.Text'),
	placement: plain((v) => {
		if (typeof v !== 'object' || v === null || Array.isArray(v)) return false;
		const { columnId, rank, ...rest } = v as Record<string, unknown>;
		return (
			isId(columnId) &&
			typeof rank === 'string' &&
			rank.length <= maxRankLength &&
			Object.keys(rest).length === 0
		);
	}, 'an object { columnId, rank } of two strings'),
	priority: plain(isTaskPriority, 'low, medium, high or urgent'),
	assigneeId: plain(orNull(isId), 'null or a user id'),
	dueDate: plain(orNull(isCalendarDate), 'null or a YYYY-MM-DD day'),
	labels: shared('array', 'a Y.Array of labels'),
	createdBy: id,
	createdAt: plain(isTimestamp, 'an ISO timestamp'),
	deletedAt
};

/** An item under a card's `checklist:<id>` key (docs/board-document.md). */
export const checklistItemRules: Record<string, Rule> = {
	id,
	text: plain(
		(v) =>
			typeof v === 'string' &&
			v.trim().length > 0 &&
			v.length <= maxChecklistTextLength &&
			!controlCharacters.test(v),
		`single-line text of 1-${maxChecklistTextLength} characters`
	),
	done: plain((v) => typeof v === 'boolean', 'true or false'),
	rank
};

/** A value of the `labelColors` map: a palette colour's name. */
export const labelColorRule: Rule = plain(isLabelColor, 'a palette colour name');

/** A label as `validateLabels` accepts it. */
export function labelProblem(value: unknown): string | null {
	return typeof value === 'string' &&
		value.trim().length > 0 &&
		value.trim().length <= maxLabelLength &&
		!controlCharacters.test(value)
		? null
		: `a label must be single-line text of 1-${maxLabelLength} characters`;
}
