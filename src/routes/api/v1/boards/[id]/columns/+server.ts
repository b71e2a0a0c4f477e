import { boardAccess } from '$lib/server/api/board-access';
import { getColumn, listColumnPage } from '$lib/server/api/board-rows-read';
import { assertRoom, boardWriteAccess, writeBoard } from '$lib/server/api/board-writes';
import { idempotent } from '$lib/server/api/idempotency';
import { createColumnBody, listColumnsQuery } from '$lib/server/api/task-schemas';
import { readJson, readQuery } from '$lib/server/http/body';
import { endpoint, json } from '$lib/server/http/endpoint';
import { ApiError } from '$lib/server/http/problem';
import { createdEarlier } from '$lib/server/api/keyed-ids';
import { columnsMap, createColumn } from '$lib/domain/board';

/** The board's columns in board order, paged; `?includeDeleted=true` adds soft-deleted ones. */
export const GET = endpoint(async (event) => {
	const { board } = await boardAccess(event, event.params.id!);
	const query = readQuery(event.url, listColumnsQuery);
	await event.locals.ctx.collab.syncRows({ boardId: board.id });
	return json(await listColumnPage(event.locals.ctx.sql, board.id, query));
});

/** Adds a column through the live document; honours `Idempotency-Key`. */
export const POST = endpoint(async (event) => {
	const { board, user } = await boardWriteAccess(event, event.params.id!);
	const body = await readJson(event.request, createColumnBody);
	return idempotent(event, user.id, body, async (ids) => {
		const id = await writeBoard(event, board.id, { pathField: null, ids }, (doc, ctx) => {
			const earlier = createdEarlier(ids, columnsMap(doc));
			if (earlier) return earlier[0]!;
			assertRoom(doc, 'columns', event.locals.ctx.config.boardMaxColumns);
			return createColumn(doc, body, ctx);
		});
		const column = await getColumn(event.locals.ctx.sql, board.id, id);
		if (!column) throw new ApiError(503, 'The column was created but is not stored yet.');
		return json(column, {
			status: 201,
			headers: { location: `/api/v1/boards/${board.id}/columns/${id}` }
		});
	});
});
