/** Columns and tasks: reads from the stored rows, writes through the board's live document. */
import {
	columnPageSchema,
	columnSchema,
	eventPageSchema,
	preconditionProblemSchema,
	taskBatchSchema,
	boardExportSchema,
	taskPageSchema,
	taskSchema
} from '../../response-schemas.ts';
import { eventPageQuery } from '../../schemas.ts';
import { csvHeader, exportFormatVersion, exportMediaType } from '../../board-export.ts';
import {
	createTasksBatchBody,
	maxBatchBodyBytes,
	updateTasksBatchBody
} from '../../task-batch-schemas.ts';
import {
	createColumnBody,
	createTaskBody,
	deleteColumnQuery,
	exportQuery,
	listColumnsQuery,
	listTasksQuery,
	moveTaskBody,
	updateColumnBody,
	updateTaskBody
} from '../../task-schemas.ts';
import type { z } from 'zod';
import type { OperationSpec, ProblemSpec, ResponseSpec } from '../spec.ts';

const board = { id: 'The board id.' };
const column = { ...board, columnId: 'The column id.' };
const task = { id: 'The task id.' };
const noBoard = 'No such board, or you are not a member (the same answer, so ids do not leak).';
const noTask = 'No such task on a board you may read.';
const cannotEdit =
	'Your role on this board does not allow changes (viewers; admins who are not members).';
const archived = 'The board is archived: it can be read but no longer changed.';
const idempotencyConflict =
	'A request with this `Idempotency-Key` is still running (`Retry-After: 1`) or has just expired.';
/** The conflicts of a create (both creates use it). */
const writeConflict: ProblemSpec = {
	description: `${archived} Or the board already holds the most cards or columns it may (BOARD_MAX_CARDS, BOARD_MAX_COLUMNS). Or: ${idempotencyConflict}`,
	headers: ['Retry-After']
};
const unwritable = "The board's document has a schema version this server cannot write.";
const idempotencyInvalid =
	'The `Idempotency-Key` is malformed or was used for a different request (`errors["Idempotency-Key"]`).';
const stale =
	'`If-Match` does not name the current version. `current` holds the task as it is now, and `ETag` its version.';

const taskAnswer = (description: string): ResponseSpec => ({
	description,
	schema: taskSchema,
	headers: ['ETag'],
	requiredHeaders: ['ETag']
});
/** A creation's answer; a replayed one (same `Idempotency-Key`) repeats it exactly. */
const created = (description: string, schema: z.ZodType, etag = false): ResponseSpec => ({
	description,
	schema,
	headers: [...(etag ? (['ETag'] as const) : []), 'Location', 'Idempotent-Replayed'],
	requiredHeaders: [...(etag ? (['ETag'] as const) : []), 'Location']
});
const preconditionFailed: ResponseSpec = {
	description: stale,
	schema: preconditionProblemSchema,
	mediaType: 'application/problem+json',
	headers: ['ETag']
};

const batchCost =
	'The rate limiter counts a batch as one request (cost 1, whatever the number of items), so moving work into batches multiplies what a client can do within its limit. The whole batch is one change of the live board: one transaction, one write-ahead log entry, and one audit event per task, attributed to the caller.';
const batchInvalid =
	'Some items are invalid: nothing was written. `itemErrors` lists every refused item (`index`, `field`, `detail`) and `errors` maps `items.<index>.<field>` to the same messages. Or more than 1,000 items. Or: ' +
	idempotencyInvalid;
const batchTooLarge = `Batch bodies may be up to ${maxBatchBodyBytes} bytes; split larger batches.`;

export const taskOperations: OperationSpec[] = [
	{
		id: 'exportBoard',
		method: 'GET',
		path: '/api/v1/boards/{id}/export',
		tag: 'Tasks',
		summary: 'Export a board',
		description: `The board's live columns and cards as a download (\`Content-Disposition: attachment\`), streamed. \`format=json\` (default): TaskFlow's own format, version ${exportFormatVersion}, media type \`${exportMediaType}\` (docs/export-format.md): the board, its columns in order and its cards in board order with every field (labels, due date, priority, assignee e-mail, description, position, checklist, comments), and the board's label colours. \`format=csv\`: \`text/csv\`, one row per card with the columns ${csvHeader.join(', ')} (RFC 4180 quoting; labels joined by \`; \`; cells starting with = + - @ are prefixed with a single quote so spreadsheets do not run them). Anyone who may read the board may export it.`,
		pathParams: board,
		query: exportQuery,
		responses: {
			200: {
				description: 'The export (JSON format), or the CSV with `format=csv`.',
				schema: boardExportSchema,
				mediaType: exportMediaType,
				alternativeMediaType: 'text/csv'
			}
		},
		problems: { 404: noBoard, 422: '`format` is not `json` or `csv`.' }
	},
	{
		id: 'createTasksBatch',
		method: 'POST',
		path: '/api/v1/boards/{id}/tasks/batch',
		tag: 'Tasks',
		summary: 'Create many tasks',
		description: `Creates 1 to 1,000 tasks, all or none. Each goes to the end of its column (default: the first column), after the items before it. ${batchCost} A retry with the same \`Idempotency-Key\` within 24 hours returns the first response and creates nothing.`,
		pathParams: board,
		requestHeaders: ['Idempotency-Key'],
		body: createTasksBatchBody,
		example: {
			items: [
				{ title: 'Write the release notes', priority: 'high', labels: ['docs'] },
				{ title: 'Tag the release', dueDate: '2026-03-02' }
			]
		},
		responses: {
			201: {
				description: 'The tasks as stored, in the order sent.',
				schema: taskBatchSchema,
				headers: ['Idempotent-Replayed']
			}
		},
		problems: {
			403: cannotEdit,
			404: noBoard,
			409: {
				description: `${archived} Or the batch would take the board past the most cards it may hold (BOARD_MAX_CARDS). Or: ${idempotencyConflict}`,
				headers: ['Retry-After']
			},
			413: batchTooLarge,
			422: batchInvalid,
			503: 'The tasks were created but are not stored yet (rare).'
		}
	},
	{
		id: 'updateTasksBatch',
		method: 'PATCH',
		path: '/api/v1/boards/{id}/tasks/batch',
		tag: 'Tasks',
		summary: 'Change or move many tasks',
		description: `Changes and moves 1 to 1,000 tasks of the board, all or none; items apply in order. Each item names a task (\`id\`) and the fields to change; \`columnId\` and/or \`position\` move it. Without \`If-Match\` (not offered here) the changes merge field by field with concurrent edits, as a PATCH of one task does. ${batchCost} Honours \`Idempotency-Key\` like a create.`,
		pathParams: board,
		requestHeaders: ['Idempotency-Key'],
		body: updateTasksBatchBody,
		example: {
			items: [
				{ id: '0b7f6f0e-5d1c-4c1e-9a55-1f2a3b4c5d6e', priority: 'urgent' },
				{
					id: '1c8a7b1f-6e2d-4d2f-8b66-2a3b4c5d6e7f',
					columnId: '2d9b8c2a-7f3e-4e3a-9c77-3b4c5d6e7f80',
					position: 0
				}
			]
		},
		responses: {
			200: {
				description: 'The tasks as stored, in the order sent.',
				schema: taskBatchSchema,
				headers: ['Idempotent-Replayed']
			}
		},
		problems: {
			403: cannotEdit,
			404: noBoard,
			409: { description: `${archived} Or: ${idempotencyConflict}`, headers: ['Retry-After'] },
			413: batchTooLarge,
			422: `${batchInvalid} An unknown or deleted task, an unknown or deleted column, or a task named twice is an item error.`,
			503: 'The tasks were changed but are not stored yet (rare).'
		}
	},
	{
		id: 'listColumns',
		method: 'GET',
		path: '/api/v1/boards/{id}/columns',
		tag: 'Columns',
		summary: 'List columns',
		description:
			'The columns in board order, in pages (`limit`, then `cursor` = `nextCursor` until it is null).',
		pathParams: board,
		query: listColumnsQuery,
		responses: { 200: { description: 'The columns.', schema: columnPageSchema } },
		problems: {
			404: noBoard,
			422: '`includeDeleted` is not `true` or `false`, `limit` is not 1 to 200, or `cursor` was not issued by this listing.'
		}
	},
	{
		id: 'createColumn',
		method: 'POST',
		path: '/api/v1/boards/{id}/columns',
		tag: 'Columns',
		summary: 'Add a column',
		description:
			'Adds a column, last unless `beforeColumnId`/`afterColumnId` place it (both may be given when they are neighbours). A retry with the same `Idempotency-Key` within 24 hours returns the first response and adds nothing.',
		pathParams: board,
		requestHeaders: ['Idempotency-Key'],
		body: createColumnBody,
		example: { title: 'Review', category: 'in_progress', wipLimit: 3 },
		responses: { 201: created('The column as stored.', columnSchema) },
		problems: {
			403: cannotEdit,
			404: noBoard,
			409: writeConflict,
			422: `A value is refused (title, WIP limit, an anchor that is not a live column). Or: ${idempotencyInvalid}`,
			503: 'The column was created but is not stored yet (rare).'
		}
	},
	{
		id: 'getColumn',
		method: 'GET',
		path: '/api/v1/boards/{id}/columns/{columnId}',
		tag: 'Columns',
		summary: 'Get a column',
		pathParams: column,
		responses: { 200: { description: 'The column (also when deleted).', schema: columnSchema } },
		problems: { 404: `${noBoard} Or no such column.` }
	},
	{
		id: 'updateColumn',
		method: 'PATCH',
		path: '/api/v1/boards/{id}/columns/{columnId}',
		tag: 'Columns',
		summary: 'Change or move a column',
		description:
			'Changes the fields sent; sending `beforeColumnId` or `afterColumnId` (null: last) moves the column. Everything is checked before anything is written.',
		pathParams: column,
		body: updateColumnBody,
		example: { title: 'Doing', wipLimit: 5 },
		responses: { 200: { description: 'The column as stored.', schema: columnSchema } },
		problems: {
			403: cannotEdit,
			404: `${noBoard} Or no such column.`,
			409: `${archived} Or the column is deleted.`,
			422: 'A value is refused (`errors` names the field).'
		}
	},
	{
		id: 'deleteColumn',
		method: 'DELETE',
		path: '/api/v1/boards/{id}/columns/{columnId}',
		tag: 'Columns',
		summary: 'Delete a column',
		description:
			'Soft-deletes the column. Its live tasks move to the end of `moveTasksTo`, in order, or are deleted with it.',
		pathParams: column,
		query: deleteColumnQuery,
		responses: {
			200: { description: 'The column as stored, with `deletedAt`.', schema: columnSchema }
		},
		problems: {
			403: cannotEdit,
			404: `${noBoard} Or no such column.`,
			409: `${archived} Or the column is already deleted, or it is the board's last column.`,
			422: '`moveTasksTo` is malformed, this column, or not a live column of the board.'
		}
	},
	{
		id: 'listTasks',
		method: 'GET',
		path: '/api/v1/boards/{id}/tasks',
		tag: 'Tasks',
		summary: 'List tasks',
		description:
			'Filters combine with AND. Pages are cursor-based: pass `nextCursor` back as `cursor` with the same `sort` until it is null. Unknown query parameters are refused.',
		pathParams: board,
		query: listTasksQuery,
		responses: { 200: { description: 'One page of tasks.', schema: taskPageSchema } },
		problems: { 404: noBoard, 422: 'A query parameter is invalid or unknown (`errors` names it).' }
	},
	{
		id: 'createTask',
		method: 'POST',
		path: '/api/v1/boards/{id}/tasks',
		tag: 'Tasks',
		summary: 'Create a task',
		description:
			'Creates a task at the end of `columnId` (default: the first column) unless `beforeTaskId`/`afterTaskId` place it. Open boards show it at once and the event log names you. A retry with the same `Idempotency-Key` within 24 hours returns the first response and creates nothing.',
		pathParams: board,
		requestHeaders: ['Idempotency-Key'],
		body: createTaskBody,
		example: {
			title: 'Write release notes',
			priority: 'high',
			dueDate: '2026-07-01',
			labels: ['docs']
		},
		responses: {
			201: created('The task as stored.', taskSchema, true)
		},
		problems: {
			403: cannotEdit,
			404: noBoard,
			409: writeConflict,
			422: `A value is refused (unknown or deleted column, an assignee who is not a member, a title too long, …). Or: ${idempotencyInvalid}`,
			503: 'The task was created but is not stored yet (rare).'
		}
	},
	{
		id: 'getTask',
		method: 'GET',
		path: '/api/v1/tasks/{id}',
		tag: 'Tasks',
		summary: 'Get a task',
		description:
			'The task with its `ETag`. Send that as `If-None-Match` to get 304 while it is unchanged, or as `If-Match` on a write to refuse stale changes.',
		pathParams: task,
		requestHeaders: ['If-None-Match'],
		responses: {
			200: taskAnswer('The task (also when deleted).'),
			304: {
				description: '`If-None-Match` names the current version.',
				headers: ['ETag'],
				requiredHeaders: ['ETag']
			}
		},
		problems: { 404: noTask }
	},
	{
		id: 'updateTask',
		method: 'PATCH',
		path: '/api/v1/tasks/{id}',
		tag: 'Tasks',
		summary: 'Change a task',
		description:
			'Changes the fields sent. Without `If-Match` the change merges field by field with concurrent edits (a description as a minimal text splice); with it, a stale version is refused with 412.',
		pathParams: task,
		requestHeaders: ['If-Match'],
		body: updateTaskBody,
		example: { title: 'Write the release notes', priority: 'urgent' },
		responses: { 200: taskAnswer('The task as stored.'), 412: preconditionFailed },
		problems: {
			403: cannotEdit,
			404: noTask,
			409: `${archived} Or the task is deleted (restore it first).`,
			422: 'A value is refused (`errors` names the field).'
		}
	},
	{
		id: 'deleteTask',
		method: 'DELETE',
		path: '/api/v1/tasks/{id}',
		tag: 'Tasks',
		summary: 'Delete a task',
		description: 'Soft-deletes the task; `POST /api/v1/tasks/{id}/restore` brings it back.',
		pathParams: task,
		requestHeaders: ['If-Match'],
		responses: {
			200: taskAnswer('The task as stored, with `deletedAt`.'),
			412: preconditionFailed
		},
		problems: {
			403: cannotEdit,
			404: noTask,
			409: `${archived} Or the task is already deleted.`,
			422: unwritable
		}
	},
	{
		id: 'moveTask',
		method: 'POST',
		path: '/api/v1/tasks/{id}/move',
		tag: 'Tasks',
		summary: 'Move a task',
		description:
			'Moves the task to `columnId`, after `afterTaskId` and/or before `beforeTaskId` (neither: at the end). Its status follows the category of the column.',
		pathParams: task,
		requestHeaders: ['If-Match'],
		body: moveTaskBody,
		example: {
			columnId: '0b6f3c9e-5d7a-4c1e-9f5b-2a8d7e4c1b90',
			afterTaskId: '7c2d9a4e-1b3f-4e8a-a6d5-3f9e2c1b7a08'
		},
		responses: { 200: taskAnswer('The task as stored.'), 412: preconditionFailed },
		problems: {
			403: cannotEdit,
			404: noTask,
			409: `${archived} Or the task is deleted.`,
			422: 'The column is unknown or deleted, or an anchor is not a task of that column.'
		}
	},
	{
		id: 'restoreTask',
		method: 'POST',
		path: '/api/v1/tasks/{id}/restore',
		tag: 'Tasks',
		summary: 'Restore a deleted task',
		description:
			'Restores the task to its place when its column is live, otherwise to the end of the first live column. Restoring a live task changes nothing.',
		pathParams: task,
		requestHeaders: ['If-Match'],
		responses: { 200: taskAnswer('The task as stored.'), 412: preconditionFailed },
		problems: {
			403: cannotEdit,
			404: noTask,
			409: archived,
			422: `The board has no live column to restore into. Or: ${unwritable}`
		}
	},
	{
		id: 'listTaskEvents',
		method: 'GET',
		path: '/api/v1/tasks/{id}/events',
		tag: 'Activity',
		summary: "A task's history",
		description: 'Audit events of the task, newest first.',
		pathParams: task,
		query: eventPageQuery,
		responses: { 200: { description: 'One page of events.', schema: eventPageSchema } },
		problems: {
			404: noTask,
			422: '`limit` or `cursor` is not acceptable (`errors` names it).',
			503: 'The event log cannot be read right now; events are kept, try again shortly.'
		}
	}
];
