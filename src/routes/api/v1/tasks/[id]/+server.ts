import { getTaskRow } from '$lib/server/api/board-rows-read';
import { writeBoard } from '$lib/server/api/board-writes';
import { taskBoard } from '$lib/server/api/task-board';
import { conditionalTaskWrite, taskResponse } from '$lib/server/api/task-preconditions';
import { updateTaskBody } from '$lib/server/api/task-schemas';
import { readJson } from '$lib/server/http/body';
import { endpoint } from '$lib/server/http/endpoint';
import { notFound } from '$lib/server/http/problem';
import { deleteTask, setDescription, updateTask } from '$lib/domain/board';
import { validateDescription } from '$lib/domain/board/validate';

/** One task with its ETag (its version); hooks.server.ts answers a matching `If-None-Match` with 304. */
export const GET = endpoint(async (event) => {
	const boardId = await taskBoard(event, event.params.id!, false);
	const row = await getTaskRow(event.locals.ctx.sql, boardId, event.params.id!);
	if (!row) throw notFound('task');
	return taskResponse(row);
});

/**
 * Changes the fields sent. Without `If-Match` the change merges field by field with concurrent
 * edits (only the fields sent are written; the description as a minimal text splice); with it, a
 * stale version is refused with 412. Everything is checked before anything is written.
 */
export const PATCH = endpoint(async (event) => {
	const taskId = event.params.id!;
	const boardId = await taskBoard(event, taskId, true);
	const { description, ...fields } = await readJson(event.request, updateTaskBody);
	return conditionalTaskWrite(event, boardId, taskId, (guard) =>
		writeBoard(
			event,
			boardId,
			{ pathField: 'taskId', assigneeId: fields.assigneeId },
			(doc, ctx) => {
				guard(doc);
				if (description !== undefined) validateDescription(description);
				// Checks every field and the task before writing; setDescription then cannot fail.
				updateTask(doc, { taskId, ...fields }, ctx);
				if (description !== undefined) setDescription(doc, { taskId, text: description }, ctx);
			}
		)
	);
});

/** Soft-deletes the task (restore with POST /restore); answers with the row as stored. */
export const DELETE = endpoint(async (event) => {
	const taskId = event.params.id!;
	const boardId = await taskBoard(event, taskId, true);
	return conditionalTaskWrite(event, boardId, taskId, (guard) =>
		writeBoard(event, boardId, { pathField: 'taskId' }, (doc, ctx) => {
			guard(doc);
			deleteTask(doc, { taskId }, ctx);
		})
	);
});
