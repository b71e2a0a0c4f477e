import { writeBoard } from '$lib/server/api/board-writes';
import { taskBoard } from '$lib/server/api/task-board';
import { conditionalTaskWrite } from '$lib/server/api/task-preconditions';
import { moveTaskBody } from '$lib/server/api/task-schemas';
import { readJson } from '$lib/server/http/body';
import { endpoint } from '$lib/server/http/endpoint';
import { moveTask } from '$lib/domain/board';

/**
 * Moves the task to `columnId`, after `afterTaskId` and/or before `beforeTaskId` (neither: at
 * the end). Honours `If-Match`.
 */
export const POST = endpoint(async (event) => {
	const taskId = event.params.id!;
	const boardId = await taskBoard(event, taskId, true);
	const body = await readJson(event.request, moveTaskBody);
	return conditionalTaskWrite(event, boardId, taskId, (guard) =>
		writeBoard(event, boardId, { pathField: 'taskId' }, (doc, ctx) => {
			guard(doc);
			moveTask(doc, { taskId, ...body }, ctx);
		})
	);
});
