/**
 * Request bodies and query strings of the column and task endpoints. These check shapes and
 * types; the domain operations check the values (titles, limits, dates, assignees) and their
 * refusals come back as 422 field errors too.
 */
import { z } from 'zod';
import {
	columnCategories,
	isCalendarDate,
	maxLabelLength,
	maxLabels,
	maxTitleLength,
	taskPriorities,
	type ColumnCategory,
	type TaskPriority
} from '../../domain/board/schema.ts';

const id = z.uuid({ error: 'Give an id.' });
const optionalId = id.nullable().optional();
const category = z.enum(columnCategories as readonly [ColumnCategory, ...ColumnCategory[]], {
	error: `Choose one of ${columnCategories.join(', ')}.`
});
const priority = z.enum(taskPriorities as readonly [TaskPriority, ...TaskPriority[]], {
	error: `Choose one of ${taskPriorities.join(', ')}.`
});
const text = z.string({ error: 'Send text.' });
// Descriptions below feed the OpenAPI document; the limits they name are the domain's checks.
const title = text.describe(`At most ${maxTitleLength} characters, one line.`);
const wipLimit = z
	.number({ error: 'Send a number or null.' })
	.nullable()
	.describe('Cards allowed in the column, 1 to 999; null for no limit.');
const dueDate = z
	.string({ error: 'Send a date as YYYY-MM-DD, or null.' })
	.nullable()
	.describe('A calendar day as YYYY-MM-DD, or null for none.');
const labels = z
	.array(text, { error: 'Send a list of labels.' })
	.describe(`At most ${maxLabels} labels of at most ${maxLabelLength} characters each.`);
// The domain checks the length again; this bounds the work before it (and the 20,000 limit).
const description = text.max(20_000, 'Keep the description to 20000 characters or fewer.');
const assigneeId = id.nullable().describe('A member of the board, or null for nobody.');
const anchor = (what: string, where: 'before' | 'after') =>
	optionalId.describe(`Place it directly ${where} this ${what}.`);

/** Anchors: both may be given when they are neighbours; neither puts the item last. */
export const createColumnBody = z.strictObject({
	title,
	category: category.optional().describe('Default `todo`.'),
	wipLimit: wipLimit.optional(),
	beforeColumnId: anchor('column', 'before'),
	afterColumnId: anchor('column', 'after')
});

/** Sending `beforeColumnId` or `afterColumnId` (null: last) moves the column. */
export const updateColumnBody = z
	.strictObject({
		title: title.optional(),
		category: category.optional(),
		wipLimit: wipLimit.optional(),
		beforeColumnId: optionalId.describe('Move it directly before this column.'),
		afterColumnId: optionalId.describe('Move it directly after this column; null: last.')
	})
	.refine((body) => Object.keys(body).length > 0, {
		message: 'Send at least one field to change.'
	});

export const createTaskBody = z.strictObject({
	columnId: id.optional().describe('Default: the first column of the board.'),
	title,
	description: description.optional(),
	priority: priority.optional().describe('Default `medium`.'),
	assigneeId: assigneeId.optional(),
	dueDate: dueDate.optional(),
	labels: labels.optional(),
	beforeTaskId: anchor('task of the column', 'before'),
	afterTaskId: anchor('task of the column', 'after')
});

export const updateTaskBody = z
	.strictObject({
		title: title.optional(),
		description: description.optional(),
		priority: priority.optional(),
		assigneeId: assigneeId.optional(),
		dueDate: dueDate.optional(),
		labels: labels.optional().describe('Replaces the whole list.')
	})
	.refine((body) => Object.values(body).some((value) => value !== undefined), {
		message: 'Send at least one field to change.'
	});

export const moveTaskBody = z.strictObject({
	columnId: id.describe('The column to move the task into (may be its own).'),
	beforeTaskId: anchor('task of that column', 'before'),
	afterTaskId: anchor('task of that column', 'after')
});

const flag = z
	.enum(['true', 'false'], { error: 'Send true or false.' })
	.transform((v) => v === 'true');
const day = z
	.string()
	.regex(/^\d{4}-\d{2}-\d{2}$/, 'Send a date as YYYY-MM-DD.')
	.refine(isCalendarDate, 'Send a day of the calendar, e.g. 2026-02-28.');
const list = <T extends z.ZodType>(item: T) =>
	z.string().transform((value, ctx) => {
		const items = value.split(',').map((part) => part.trim());
		const parsed = z.array(item).safeParse(items);
		if (!parsed.success) {
			ctx.addIssue({ code: 'custom', message: parsed.error.issues[0]!.message });
			return z.NEVER;
		}
		return parsed.data as z.infer<T>[];
	});

export const taskSorts = ['rank', 'createdAt', 'updatedAt', 'dueDate', 'priority'] as const;
export type TaskSort = (typeof taskSorts)[number];

export const listTasksQuery = z.strictObject({
	status: list(category)
		.optional()
		.describe('Comma-separated column categories: todo, in_progress, done.'),
	priority: list(priority)
		.optional()
		.describe('Comma-separated priorities: low, medium, high, urgent.'),
	columnId: id.optional().describe('Only tasks in this column.'),
	assigneeId: z
		.union([id, z.literal('none')], { error: 'Give a user id or none.' })
		.optional()
		.describe("A member's id, or `none` for unassigned tasks."),
	dueBefore: day.optional().describe('Due strictly before this day (YYYY-MM-DD).'),
	dueAfter: day.optional().describe('Due strictly after this day (YYYY-MM-DD).'),
	q: z
		.string()
		.min(1)
		.max(200, 'Use at most 200 characters.')
		.optional()
		.describe('Text in the title or description, case-insensitive.'),
	includeDeleted: flag.optional().describe('`true` adds deleted tasks.'),
	sort: z
		.string()
		.regex(
			new RegExp(`^-?(${taskSorts.join('|')})$`),
			`Sort by ${taskSorts.join(', ')} (prefix - for descending).`
		)
		.optional()
		.describe(
			`One of ${taskSorts.join(', ')}; prefix \`-\` for descending. Default \`rank\` (board order).`
		),
	limit: z
		.string()
		.regex(/^\d{1,3}$/, 'Give a whole number from 1 to 200.')
		.transform(Number)
		.refine((n) => n >= 1 && n <= 200, 'Give a whole number from 1 to 200.')
		.optional()
		.describe('Page size, 1 to 200; default 50.'),
	cursor: z
		.string()
		.min(1)
		.max(2000)
		.optional()
		.describe('`nextCursor` of the previous page, with the same `sort`.')
});

export type ListTasksQuery = z.infer<typeof listTasksQuery>;

export const listColumnsQuery = z.object({
	includeDeleted: flag.optional().describe('`true` adds soft-deleted columns.'),
	limit: listTasksQuery.shape.limit,
	cursor: listTasksQuery.shape.cursor.describe('`nextCursor` of the previous page.')
});

export const deleteColumnQuery = z.object({
	moveTasksTo: z
		.guid({ error: 'Give the id of a column of this board.' })
		.optional()
		.describe(
			"A live column that receives the deleted column's tasks; without it they are deleted too."
		)
});

export const exportQuery = z.strictObject({
	format: z
		.enum(['json', 'csv'], { error: 'Choose json or csv.' })
		.optional()
		.describe('`json` (default): TaskFlow’s export format; `csv`: one row per card.')
});

/** The problem type of a task id that names cards on several of the caller's boards. */
export const ambiguousTaskType = 'urn:taskflow:problem:ambiguous-task';

/** The optional `?boardId=` every task endpoint accepts (other query parameters pass through). */
export const taskBoardQuery = z.object({
	boardId: z
		.uuid({ error: 'Give the id of a board.' })
		.optional()
		.describe(
			'The board holding the task. Card ids are unique per board only; without it, an id held by more than one board you may read is refused with 409 (`ambiguous-task`).'
		)
});
