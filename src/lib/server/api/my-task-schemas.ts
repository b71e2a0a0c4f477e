/** Query and answer of `GET /api/v1/me/tasks` ("My tasks"). */
import { z } from 'zod';
import type { MyTaskDto, MyTaskPageDto } from '../../api/my-tasks.ts';
import { columnCategories, isCalendarDate, taskPriorities } from '../../domain/board/schema.ts';
import { dueGroups } from '../../domain/due-groups.ts';
import { responseComponents } from './response-schemas.ts';
import { defaultPageSize, maxPageSize } from './schemas.ts';

const limitMessage = `Give a whole number from 1 to ${maxPageSize}.`;

export const myTasksQuery = z.strictObject({
	limit: z
		.string()
		.regex(/^\d{1,4}$/, limitMessage)
		.transform(Number)
		.refine((n) => n >= 1 && n <= maxPageSize, limitMessage)
		.optional()
		.describe(`Page size, 1 to ${maxPageSize}; default ${defaultPageSize}.`),
	cursor: z.string().min(1).max(2000).optional().describe('`nextCursor` of the previous page.'),
	today: z
		.string()
		.refine(isCalendarDate, 'Send a day of the calendar as YYYY-MM-DD, e.g. 2026-02-28.')
		.optional()
		.describe(
			"The caller's day (YYYY-MM-DD) that the groups are made for; default: today in UTC. The order and the pages do not depend on it."
		)
});
export type MyTasksQuery = z.infer<typeof myTasksQuery>;

function component<T extends z.ZodType>(name: string, schema: T): T {
	responseComponents.set(name, schema);
	return schema;
}

const id = z.guid();

export const myTaskSchema = component(
	'MyTask',
	z.object({
		id,
		boardId: id,
		boardTitle: z.string(),
		columnId: id.nullable(),
		columnTitle: z.string().nullable(),
		title: z.string(),
		status: z.enum(columnCategories as ['todo', 'in_progress', 'done']),
		priority: z.enum(taskPriorities as ['low', 'medium', 'high', 'urgent']),
		labels: z.array(z.string()),
		dueDate: z.iso.date().nullable().describe('A calendar day, no time zone.'),
		group: z
			.enum(dueGroups)
			.describe(
				'Seen on `today`: overdue (before it), today, week (later this ISO week, Monday to Sunday), later, none (no due date).'
			),
		link: z.string().describe('The app page that opens the card.')
	})
);

export const myTaskPageSchema = component(
	'MyTaskPage',
	z.object({
		items: z.array(myTaskSchema),
		nextCursor: z
			.string()
			.nullable()
			.describe('Pass as `cursor` for the next page; null on the last page.'),
		today: z.iso.date().describe('The day the groups were made for.')
	})
);

// These fail to compile when a schema and its type disagree.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const agree = <T extends true>(value: T) => value;
agree<Same<z.infer<typeof myTaskSchema>, MyTaskDto>>(true);
agree<Same<z.infer<typeof myTaskPageSchema>, MyTaskPageDto>>(true);
