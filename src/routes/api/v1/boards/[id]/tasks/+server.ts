import type { RequestEvent } from '@sveltejs/kit';
import { boardAccess } from '$lib/server/api/board-access';
import { getTaskRow } from '$lib/server/api/board-rows-read';
import { assertRoom, boardWriteAccess, writeBoard } from '$lib/server/api/board-writes';
import { idempotent } from '$lib/server/api/idempotency';
import { listTasks, taskPageTag, type TaskPage } from '$lib/server/api/task-list';
import { taskResponse } from '$lib/server/api/task-preconditions';
import { createTaskBody, listTasksQuery, type ListTasksQuery } from '$lib/server/api/task-schemas';
import { isUuid } from '$lib/server/boards';
import { readJson, readQuery } from '$lib/server/http/body';
import { endpoint, json, requireUser } from '$lib/server/http/endpoint';
import { ApiError } from '$lib/server/http/problem';
import { createdEarlier } from '$lib/server/api/keyed-ids';
import { createTask, readColumns, tasksMap } from '$lib/domain/board';

/**
 * Tasks of a board from the `tasks` mirror: filters `status`, `priority` (comma lists),
 * `columnId`, `assigneeId` (or `none`), `dueBefore`/`dueAfter` (exclusive), `q` (title or
 * description, case-insensitive), `includeDeleted`; `sort` (`-` for descending); `limit`, `cursor`.
 */
export const GET = endpoint(async (event) => {
	requireUser(event);
	const boardId = event.params.id!;
	const access = boardAccess(event, boardId);
	let page: Promise<TaskPage>;
	try {
		const query = readQuery(event.url, listTasksQuery);
		// Read while access is checked: one round trip of waiting instead of two. The page is
		// answered only once access is granted (a refused caller gets the same 404 as before).
		page = isUuid(boardId) ? readPage(event, boardId, query) : Promise.resolve(emptyPage);
	} catch (error) {
		await access; // a caller who may not see the board learns nothing about its query
		throw error;
	}
	const [granted, read] = await Promise.allSettled([access, page]);
	if (granted.status === 'rejected') throw granted.reason;
	if (read.status === 'rejected') throw read.reason;
	return json(read.value, { headers: { etag: taskPageTag(read.value) } });
});

const emptyPage: TaskPage = { items: [], nextCursor: null };

async function readPage(
	event: RequestEvent,
	boardId: string,
	query: ListTasksQuery
): Promise<TaskPage> {
	await event.locals.ctx.collab.syncRows({ boardId });
	return listTasks(event.locals.ctx.sql, boardId, query);
}

/**
 * Creates a task through the live document (in the first column unless `columnId` is given);
 * honours `Idempotency-Key`. The assignee must be a member of the board.
 */
export const POST = endpoint(async (event) => {
	const { board, user } = await boardWriteAccess(event, event.params.id!);
	const body = await readJson(event.request, createTaskBody);
	return idempotent(event, user.id, body, async (ids) => {
		const id = await writeBoard(
			event,
			board.id,
			{ pathField: null, assigneeId: body.assigneeId, ids },
			(doc, ctx) => {
				const earlier = createdEarlier(ids, tasksMap(doc));
				if (earlier) return earlier[0]!;
				assertRoom(doc, 'tasks', event.locals.ctx.config.boardMaxCards);
				const columnId = body.columnId ?? readColumns(doc)[0]?.id ?? '';
				return createTask(doc, { ...body, columnId }, ctx);
			}
		);
		const row = await getTaskRow(event.locals.ctx.sql, board.id, id);
		if (!row) throw new ApiError(503, 'The task was created but is not stored yet.');
		return taskResponse(row, 201, { location: `/api/v1/tasks/${id}` });
	});
});
