/**
 * Response bodies of /api/v1 as zod schemas: the OpenAPI document is generated from them and the
 * server tests validate every answer against that document. `component(name, schema)` makes a
 * schema a named entry of `components.schemas`; unnamed schemas are written inline.
 */
import { z } from 'zod';
import { labelColors } from '../../domain/board/label-colors.ts';
import { columnCategories, taskPriorities } from '../../domain/board/schema.ts';
import { boardRoles, type BoardRole } from '../../domain/policy.ts';
import type { CommentCountsDto, CommentDto } from '../../api/comments.ts';
import type { EventDto } from '../../api/events.ts';
import type { ApiTokenDto } from '../auth/api-tokens.ts';
import type { BoardDto } from '../boards.ts';
import type { MemberDto } from '../members.ts';
import {
	notificationKinds,
	type BroadcastDto,
	type NotificationDto,
	type NotificationPageDto
} from '../notifications/types.ts';
import type { UserDto } from '../users.ts';
import type { AdminBoardDto } from '../admin/boards.ts';
import type { AdminUserDto } from '../admin/users.ts';

/** Named response schemas, in the order the document lists them. */
export const responseComponents = new Map<string, z.ZodType>();

export function component<T extends z.ZodType>(name: string, schema: T): T {
	responseComponents.set(name, schema);
	return schema;
}

// Ids of tasks and columns are written by clients into the board document, so any 8-4-4-4-12
// hex string can appear (z.uuid() would insist on RFC 9562 version and variant bits).
const id = z.guid();
const instant = z.iso.datetime();
const role = z.enum(boardRoles as [BoardRole, ...BoardRole[]]);

/** RFC 9457 problem details; every error of the API has this shape. */
export const problemSchema = component(
	'Problem',
	z
		.object({
			type: z
				.string()
				.describe(
					'`about:blank` (the status code says what happened), or a URN naming a problem the status alone does not: `urn:taskflow:problem:ambiguous-task`.'
				),
			title: z.string().describe('The reason phrase of the status code.'),
			status: z.number().int(),
			detail: z.string().describe('What went wrong, in a sentence meant for people.'),
			instance: z.string().optional().describe('The request path.'),
			errors: z
				.record(z.string(), z.string())
				.optional()
				.describe('Field errors (422, some 409): field name (or `_`) to message.'),
			itemErrors: z
				.array(
					z.object({
						index: z.number().int().min(0).describe('Position of the item in `items`.'),
						field: z.string().describe('The field of the item, or `_` for the item.'),
						detail: z.string()
					})
				)
				.optional()
				.describe('Batch endpoints (422): every refused item; nothing was written.'),
			boards: z
				.array(z.object({ id: z.uuid(), title: z.string() }))
				.optional()
				.describe(
					'`ambiguous-task` (409): the boards you may read that hold a card with this id; pass one as `?boardId=`.'
				),
			requestId: z
				.string()
				.optional()
				.describe(
					'On a 500: quote it when reporting the failure (it names the request in our logs).'
				)
		})
		.describe('An error, as `application/problem+json` (RFC 9457).')
);

export const taskSchema = component(
	'Task',
	z
		.object({
			id,
			boardId: id,
			columnId: id.nullable(),
			rank: z
				.string()
				.describe('Fractional index; a column lists its tasks in code-unit order of ranks.'),
			title: z.string(),
			description: z.string(),
			status: z
				.enum(columnCategories as [string, ...string[]])
				.describe("The category of the task's column."),
			priority: z.enum(taskPriorities as [string, ...string[]]),
			assigneeId: id.nullable(),
			creatorId: id.nullable(),
			labels: z.array(z.string()),
			checklist: z
				.array(
					z
						.object({ id: z.string(), text: z.string(), done: z.boolean() })
						.describe('A checklist item.')
				)
				.describe('The card’s checklist in order (empty when it has none).'),
			dueDate: z.iso.date().nullable().describe('A calendar day, no time zone.'),
			createdAt: instant,
			updatedAt: instant,
			completedAt: instant.nullable().describe('When the task last entered a done column.'),
			deletedAt: instant.nullable().describe('Set while the task is deleted (restorable).'),
			version: z
				.number()
				.int()
				.describe('Grows with every stored change; the ETag is this number in quotes.')
		})
		.describe('A task (card), as stored after its last change.')
);
export type TaskDto = z.infer<typeof taskSchema>;

export const preconditionProblemSchema = component(
	'PreconditionProblem',
	problemSchema
		.extend({
			current: taskSchema
				.nullable()
				.describe(
					'The task as it is now; send its `version` in quotes (the `ETag`) as the next `If-Match`.'
				)
		})
		.describe('412: the task changed since the `If-Match` version.')
);

export const columnSchema = component(
	'Column',
	z.object({
		id,
		boardId: id,
		title: z.string(),
		rank: z.string().describe('Fractional index; the board lists columns in code-unit order.'),
		category: z.enum(columnCategories as [string, ...string[]]),
		wipLimit: z.number().int().nullable().describe('Work-in-progress limit; null for none.'),
		deletedAt: instant.nullable(),
		createdAt: instant,
		updatedAt: instant,
		version: z.number().int()
	})
);
export type ColumnDto = z.infer<typeof columnSchema>;

export const boardSchema = component(
	'Board',
	z.object({
		id,
		title: z.string(),
		ownerId: id,
		archivedAt: instant.nullable(),
		createdAt: instant,
		updatedAt: instant,
		myRole: role.nullable().describe("The caller's role; null for an admin who is not a member.")
	})
);

export const userSchema = component(
	'User',
	z.object({
		id,
		email: z.string(),
		name: z.string(),
		role: z.enum(['user', 'admin']).describe('Admins manage accounts and may read every board.'),
		disabledAt: instant.nullable(),
		createdAt: instant
	})
);

const sessionToken = z
	.string()
	.describe('A session id; send it as `Authorization: Bearer <sessionToken>`.');

export const signupAcceptedSchema = component(
	'SignupAccepted',
	z
		.object({ detail: z.string() })
		.describe('The same answer whether or not the address already had an account.')
);

export const loginResultSchema = component(
	'LoginResult',
	z.object({ user: userSchema, sessionToken })
);

export const memberSchema = component(
	'Member',
	z.object({ userId: id, email: z.string(), name: z.string(), role, addedAt: instant })
);

export const apiTokenSchema = component(
	'ApiToken',
	z.object({
		id,
		name: z.string(),
		scope: z.enum(['read', 'read-write']).describe('`read` tokens get 403 on every write.'),
		lastUsedAt: instant.nullable(),
		expiresAt: instant.nullable(),
		revokedAt: instant.nullable(),
		createdAt: instant
	})
);

export const createdApiTokenSchema = component(
	'CreatedApiToken',
	apiTokenSchema
		.extend({
			token: z
				.string()
				.regex(/^tf_[\w-]+$/)
				.describe('The secret. It is shown in this response only; store it now.')
		})
		.describe('A new token with its secret.')
);

/** An audit event as the feeds show it (`revision` left out, `metadata` for admins only). */
export const eventSchema = component(
	'Event',
	z.object({
		id: z.uuid(),
		type: z.string().describe('`task.created`, `task.updated`, `member.added`, …'),
		actorId: id.nullable(),
		actorName: z.string().nullable(),
		entityId: z.string().nullable(),
		entityType: z.enum([
			'task',
			'column',
			'board',
			'member',
			'user',
			'broadcast',
			'token',
			'comment'
		]),
		boardId: id.nullable(),
		payload: z
			.record(z.string(), z.unknown())
			.describe('Depends on the type; updates carry `changes` with `before` and `after`.'),
		metadata: z
			.object({
				userAgent: z.string().nullable(),
				ipAddress: z.string().nullable(),
				sessionId: z.string().nullable().describe('A fingerprint of the session, not its id.'),
				instance: z.string()
			})
			.nullable()
			.describe('Where the change came from; null unless the caller is an admin.'),
		correlationId: z.string(),
		createdAt: instant
	})
);

/** The list envelope every collection answers with; `nextCursor` is null on the last page. */
export const page = <T extends z.ZodType>(name: string, item: T) =>
	component(
		name,
		z.object({
			items: z.array(item),
			nextCursor: z
				.string()
				.nullable()
				.describe('Pass as `cursor` for the next page; null on the last page.')
		})
	);

/** One notification as the bell and the API show it. */
export const notificationSchema = component(
	'Notification',
	z.object({
		id: z.uuid(),
		kind: z.enum(notificationKinds),
		text: z.string().describe('One sentence, e.g. "Ana assigned you to “Fix login” on Web".'),
		body: z.string().nullable().describe("A system message's body; null for the other kinds."),
		board: z.object({ id, title: z.string() }).nullable(),
		task: z.object({ id, title: z.string() }).nullable(),
		actor: z.object({ id, name: z.string() }).nullable(),
		dueDate: z.iso.date().nullable().describe('The due date a reminder is about.'),
		link: z.string().nullable().describe('Where it leads in the app (a board, a card).'),
		createdAt: instant,
		readAt: instant.nullable()
	})
);

export const notificationPageSchema = component(
	'NotificationPage',
	z.object({
		items: z.array(notificationSchema),
		nextCursor: z.string().nullable().describe('Pass as `cursor` for the next page.'),
		unreadCount: z.number().int().min(0).describe('Unread notifications in all, not this page.')
	})
);

export const markReadResultSchema = component(
	'MarkReadResult',
	z.object({
		updated: z.number().int().min(0).describe('How many of yours were unread and are now read.'),
		unreadCount: z.number().int().min(0)
	})
);

export const broadcastSchema = component(
	'Broadcast',
	z.object({
		id: z.uuid(),
		title: z.string(),
		body: z.string(),
		recipients: z.number().int().min(0).describe('Active accounts that received it.'),
		createdAt: instant
	})
);

/** One account as the admin console lists it. */
export const adminUserSchema = component(
	'AdminUser',
	z.object({
		id,
		name: z.string(),
		email: z.string(),
		role: z.enum(['user', 'admin']),
		status: z.enum(['active', 'disabled']),
		disabledAt: instant.nullable(),
		createdAt: instant,
		lastActiveAt: instant
			.nullable()
			.describe('Last sign-in or authenticated request, to within five minutes; null: never.'),
		boards: z.number().int().min(0).describe('Boards the account is a member of.')
	})
);

/** One board as the admin console lists it. */
export const adminBoardSchema = component(
	'AdminBoard',
	z.object({
		id,
		title: z.string(),
		archivedAt: instant.nullable(),
		createdAt: instant,
		owners: z.array(z.object({ id, name: z.string(), email: z.string() })),
		members: z.number().int().min(0),
		cards: z.number().int().min(0).describe('Cards that are not deleted.'),
		lastActivityAt: instant.describe('The latest change to the board or one of its cards.')
	})
);

export const passwordResetLinkSchema = component(
	'PasswordResetLink',
	z.object({
		url: z.string().describe('The one-time link; it is in this answer only.'),
		expiresAt: instant
	})
);

export const sessionsRevokedSchema = component(
	'SessionsRevoked',
	z.object({ sessionsEnded: z.number().int().min(0) })
);

const dependencySchema = z.looseObject({
	status: z.enum(['up', 'down']),
	latencyMs: z.number().min(0),
	error: z.string().optional()
});

export const systemSchema = component(
	'AdminSystem',
	z.object({
		status: z.enum(['ok', 'degraded']),
		dependencies: z
			.record(z.string(), dependencySchema)
			.describe('What `/health/ready` checks: each dependency with its status and latency.'),
		instances: z
			.array(
				z.object({
					id: z.string(),
					startedAt: instant,
					self: z.boolean().describe('The instance that answered this request.'),
					connections: z.number().int().min(0),
					authenticatedConnections: z.number().int().min(0),
					boardsLoaded: z.number().int().min(0)
				})
			)
			.describe('Instances that sent a heartbeat in the last 15 s (over Redis), this one first.'),
		outbox: z.object({ depth: z.number().int().min(0), lagSeconds: z.number().min(0) }).nullable(),
		series: z
			.array(
				z.object({
					minute: instant,
					requestsPerSecond: z.number().min(0),
					p95Ms: z.number().min(0).nullable(),
					errorRate: z.number().min(0).max(1),
					connections: z.number().int().min(0),
					updatesPerSecond: z.number().min(0)
				})
			)
			.describe('The last hour, one point a minute, summed over the instances.')
	})
);

export const taskPageSchema = page('TaskPage', taskSchema);
export const taskBatchSchema = component(
	'TaskBatch',
	z.object({ items: z.array(taskSchema).describe('The tasks as stored, in the order sent.') })
);
export const columnPageSchema = page('ColumnPage', columnSchema);
export const boardPageSchema = page('BoardPage', boardSchema);
export const memberPageSchema = page('MemberPage', memberSchema);
export const apiTokenPageSchema = page('ApiTokenPage', apiTokenSchema);
export const eventPageSchema = page('EventPage', eventSchema);
export const adminUserPageSchema = page('AdminUserPage', adminUserSchema);
export const adminBoardPageSchema = page('AdminBoardPage', adminBoardSchema);

/** The shape of this document itself, loosely: it is described by the OpenAPI 3.1 schema. */
export const openApiSchema = component(
	'OpenApiDocument',
	z.looseObject({
		openapi: z.string(),
		info: z.looseObject({ title: z.string(), version: z.string() }),
		paths: z.record(z.string(), z.unknown())
	})
);

// The DTO types below are declared beside the code that builds them; these lines fail to compile
// when a schema and its type disagree, so the document cannot drift from what handlers return.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const agree = <T extends true>(value: T) => value;
agree<Same<z.infer<typeof boardSchema>, BoardDto>>(true);
agree<Same<z.infer<typeof userSchema>, UserDto>>(true);
agree<Same<z.infer<typeof memberSchema>, MemberDto>>(true);
agree<Same<z.infer<typeof eventSchema>, EventDto>>(true);
agree<Same<z.infer<typeof apiTokenSchema>, ApiTokenDto>>(true);
agree<Same<z.infer<typeof notificationSchema>, NotificationDto>>(true);
agree<Same<z.infer<typeof notificationPageSchema>, NotificationPageDto>>(true);
agree<Same<z.infer<typeof broadcastSchema>, BroadcastDto>>(true);
agree<Same<z.infer<typeof adminUserSchema>, AdminUserDto>>(true);
agree<Same<z.infer<typeof adminBoardSchema>, AdminBoardDto>>(true);

const count = z.number().int().min(0);
const categoryEnum = z.enum(columnCategories as [string, ...string[]]);
const calendarDay = z.iso.date();

export const boardInsightsSchema = component(
	'BoardInsights',
	z.object({
		from: calendarDay.describe('First day of the range (UTC).'),
		to: calendarDay.describe('Last day of the range (UTC), included.'),
		cumulativeFlow: z
			.array(z.object({ date: calendarDay, todo: count, inProgress: count, done: count }))
			.describe('Cards in each column category at the end of each day of the range.'),
		throughput: z
			.array(
				z.object({
					week: z.string().describe('ISO week, e.g. 2026-W49.'),
					weekStart: calendarDay.describe('Its Monday.'),
					completed: count
				})
			)
			.describe('Entries into a done column per ISO week; the first and last may be partial.'),
		cycleTime: z
			.object({
				cards: z.array(
					z.object({ taskId: id, title: z.string(), completedAt: instant, hours: z.number() })
				),
				medianHours: z.number().nullable(),
				p85Hours: z.number().nullable()
			})
			.describe(
				'From first entering an in-progress column to the last entry into done within the range, for cards completed in it.'
			),
		wip: z
			.array(
				z.object({
					columnId: id,
					title: z.string(),
					category: categoryEnum,
					cards: count,
					limit: z.number().int().nullable()
				})
			)
			.describe('Live columns in board order with their live cards now, against the WIP limit.')
	})
);

/** One comment on a card. */
export const commentSchema = component(
	'Comment',
	z.object({
		id: z.uuid(),
		boardId: z.uuid(),
		taskId: id,
		author: z
			.object({ id: z.uuid(), name: z.string() })
			.nullable()
			.describe("Null once the author's account is gone."),
		body: z.string().describe('The Markdown source as written.'),
		bodyHtml: z
			.string()
			.describe(
				'`body` rendered to HTML by the server: a safe subset (paragraphs, emphasis, code, lists, quotes, http(s) and mailto links); everything else is escaped text.'
			),
		createdAt: instant,
		updatedAt: instant,
		edited: z.boolean(),
		canEdit: z.boolean().describe('The caller may edit it (their own, on a board they may edit).'),
		canDelete: z.boolean().describe('The caller may delete it (their own, or an owner: any).')
	}) satisfies z.ZodType<CommentDto>
);

export const commentPageSchema = component(
	'CommentPage',
	z.object({
		items: z.array(commentSchema).describe('Oldest first.'),
		nextCursor: z.string().nullable().describe('Pass as `cursor` for newer comments.'),
		total: z.number().int().min(0).describe("The card's comments in all.")
	})
);

export const commentCountsSchema = component(
	'CommentCounts',
	z.object({
		counts: z
			.record(z.string(), z.number().int().min(1))
			.describe('Card id to its number of comments; cards without comments are left out.')
	}) satisfies z.ZodType<CommentCountsDto>
);

export const boardVersionSchema = component(
	'BoardVersion',
	z.object({
		id,
		boardId: id,
		name: z.string().nullable().describe('Null for an automatic checkpoint.'),
		automatic: z.boolean(),
		undo: z
			.boolean()
			.describe(
				'A restore\'s "Before restoring …" version: not counted against VERSION_MAX_NAMED, pruned like automatic checkpoints.'
			),
		cardCount: z.number().int().describe('Cards in the document then, deleted ones included.'),
		createdBy: id.nullable().describe('Who named it; null for a checkpoint.'),
		createdAt: instant
	})
);
export const boardVersionPageSchema = page('BoardVersionPage', boardVersionSchema);

// Ids and times inside a version come from the document as clients wrote it: read, not checked.
const versionTask = z.object({
	id: z.string(),
	title: z.string(),
	description: z.string(),
	columnId: z.string(),
	rank: z.string(),
	priority: z.enum(taskPriorities as [string, ...string[]]),
	assigneeId: z.string().nullable(),
	dueDate: z.string().nullable(),
	labels: z.array(z.string()),
	checklist: z.array(z.object({ id: z.string(), text: z.string(), done: z.boolean() })),
	createdBy: z.string(),
	createdAt: z.string(),
	deletedAt: z.string().nullable()
});
export const boardVersionPreviewSchema = component(
	'BoardVersionPreview',
	z.object({
		version: boardVersionSchema,
		board: z.object({
			columns: z
				.array(
					z.object({
						id: z.string(),
						title: z.string(),
						rank: z.string(),
						category: z.enum(columnCategories as [string, ...string[]]),
						wipLimit: z.number().int().nullable(),
						taskCount: z.number().int(),
						tasks: z.array(versionTask)
					})
				)
				.describe('Live columns then, in board order, with their live cards in order.'),
			deletedTasks: z.array(versionTask),
			labelColors: z
				.record(z.string(), z.string())
				.describe('Label → colour name, as the board had them then.')
		})
	})
);
export const boardVersionRestoredSchema = component(
	'BoardVersionRestored',
	z.object({
		restored: boardVersionSchema,
		previous: boardVersionSchema.describe(
			'The board as it was just before the restore, saved as a named version: restore it to undo.'
		)
	})
);

/** Version of the board export format; bumped when a field changes meaning or goes away. */
export const exportFormatVersion = 1;

export const boardExportSchema = component(
	'BoardExport',
	z
		.object({
			format: z.literal('taskflow.board'),
			version: z.literal(exportFormatVersion),
			exportedAt: z.iso.datetime(),
			board: z.object({ id, title: z.string() }),
			labelColors: z
				.record(z.string(), z.enum(labelColors))
				.describe('Label → colour name, for the labels the board has coloured.'),
			columns: z.array(
				z.object({
					id,
					title: z.string(),
					category: z.enum(columnCategories as [string, ...string[]]),
					wipLimit: z.number().int().nullable(),
					position: z.number().int().min(0).describe('0-based, in board order.')
				})
			),
			cards: z
				.array(
					z.object({
						id,
						columnId: id,
						position: z.number().int().min(0).describe('0-based within its column.'),
						title: z.string(),
						description: z.string(),
						priority: z.enum(taskPriorities as [string, ...string[]]),
						labels: z.array(z.string()),
						dueDate: z.iso.date().nullable(),
						assigneeEmail: z
							.string()
							.nullable()
							.describe('The e-mail address of the assignee, matched on import.'),
						createdAt: z.iso.datetime(),
						completedAt: z.iso.datetime().nullable(),
						checklist: z
							.array(z.object({ text: z.string(), done: z.boolean() }))
							.describe('The checklist in order (empty when it has none).'),
						comments: z
							.array(
								z.object({
									author: z
										.string()
										.nullable()
										.describe("The author's name; null once their account is gone."),
									createdAt: z.iso.datetime(),
									body: z.string().describe('The Markdown source as written.')
								})
							)
							.describe('Oldest first.')
					})
				)
				.describe('Live cards of live columns, in board order (column by column).')
		})
		.describe('A board in TaskFlow’s export format, version 1 (docs/export-format.md).')
);
