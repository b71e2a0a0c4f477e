import { boardAccess } from '$lib/server/api/board-access';
import { boardWriteAccess, writeBoard } from '$lib/server/api/board-writes';
import { createVersionBody, defaultPageSize, listPageQuery } from '$lib/server/api/schemas';
import {
	listVersions,
	namedVersionCount,
	saveNamedVersion,
	stateOf,
	toVersionDto
} from '$lib/server/board-versions';
import { readJson, readQuery } from '$lib/server/http/body';
import { endpoint, json } from '$lib/server/http/endpoint';
import { ApiError } from '$lib/server/http/problem';

/** The board's versions, newest first, `?cursor=&limit=`; members (and admins). */
export const GET = endpoint(async (event) => {
	const { board } = await boardAccess(event, event.params.id!);
	const { limit, cursor } = readQuery(event.url, listPageQuery);
	const page = await listVersions(event.locals.ctx.sql, board.id, {
		limit: limit ?? defaultPageSize,
		cursor: cursor || undefined
	});
	return json(page);
});

/** Named versions are never pruned (each holds the whole board), so a board holds a bounded number. */
const tooMany = (limit: number) =>
	new ApiError(
		409,
		`This board already has ${limit} named versions, the most it may keep. Named versions cannot be deleted; automatic checkpoints are still taken after editing.`
	);

/** Names the live state (read from the live document, where the latest edits are). */
export const POST = endpoint(async (event) => {
	const { board, user } = await boardWriteAccess(event, event.params.id!);
	const { name } = await readJson(event.request, createVersionBody);
	const { sql, config } = event.locals.ctx;
	const limit = config.versionMaxNamed;
	// Checked before reading the document too, so a full board costs no state encoding.
	if ((await namedVersionCount(sql, board.id)) >= limit) throw tooMany(limit);
	const state = await writeBoard(event, board.id, { pathField: null }, (doc) => stateOf(doc));
	const row = await saveNamedVersion(
		sql,
		{ boardId: board.id, name, createdBy: user.id, ...state },
		limit
	);
	if (!row) throw tooMany(limit);
	return json(toVersionDto(row), {
		status: 201,
		headers: { location: `/api/v1/boards/${board.id}/versions/${row.id}` }
	});
});
