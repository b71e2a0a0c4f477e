import { writeBoard } from '$lib/server/api/board-writes';
import { taskBoard } from '$lib/server/api/task-board';
import { conditionalTaskWrite } from '$lib/server/api/task-preconditions';
import { endpoint } from '$lib/server/http/endpoint';
import { restoreTask } from '$lib/domain/board';

/**
 * Restores a deleted task: to its place when its column is live, otherwise to the end of the
 * first live column. Restoring a live task changes nothing. Honours `If-Match`.
 */
export const POST = endpoint(async (event) => {
	const taskId = event.params.id!;
	const boardId = await taskBoard(event, taskId, true);
	return conditionalTaskWrite(event, boardId, taskId, (guard) =>
		writeBoard(event, boardId, { pathField: 'taskId' }, (doc, ctx) => {
			guard(doc);
			restoreTask(doc, { taskId }, ctx);
		})
	);
});
