import { taskBoard } from '$lib/server/api/task-board';
import { commentBody, commentPageQuery } from '$lib/server/api/comment-schemas';
import { defaultPageSize } from '$lib/server/api/schemas';
import { getBoardWithRole } from '$lib/server/boards';
import { commentPage } from '$lib/server/comments';
import { commentRights, postComment } from '$lib/server/comment-writes';
import { readJson, readQuery } from '$lib/server/http/body';
import { endpoint, json, requireUser } from '$lib/server/http/endpoint';
import { notFound } from '$lib/server/http/problem';

/** A card's comments, oldest first, `?cursor=&limit=`; anyone who may read the board. */
export const GET = endpoint(async (event) => {
	const user = requireUser(event);
	const taskId = event.params.id!;
	const boardId = await taskBoard(event, taskId, false);
	const query = readQuery(event.url, commentPageQuery);
	const { sql } = event.locals.ctx;
	const found = await getBoardWithRole(sql, boardId, user.id);
	if (!found) throw notFound('task');
	const page = await commentPage(
		sql,
		{ boardId, taskId, limit: query.limit ?? defaultPageSize, cursor: query.cursor || null },
		commentRights(user, found)
	);
	return json(page);
});

/** Adds a comment as the caller (editors and owners); mentioned members are notified. */
export const POST = endpoint(async (event) => {
	const taskId = event.params.id!;
	const boardId = await taskBoard(event, taskId, true);
	const { body } = await readJson(event.request, commentBody);
	return json(await postComment(event, { boardId, taskId, body }), { status: 201 });
});
