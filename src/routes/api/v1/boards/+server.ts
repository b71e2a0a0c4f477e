import { domainProblem } from '$lib/server/api/board-writes';
import { createBoardBody } from '$lib/server/api/schemas';
import { openBoard } from '$lib/server/board-lifecycle';
import { listBoardsForMember, toBoardDto } from '$lib/server/boards';
import { requestSource } from '$lib/server/events/audit';
import { readJson } from '$lib/server/http/body';
import { endpoint, json, requireUser } from '$lib/server/http/endpoint';
import { isDomainError } from '$lib/domain/board';

export const GET = endpoint(async (event) => {
	const user = requireUser(event);
	const boards = await listBoardsForMember(event.locals.ctx.sql, user.id);
	return json({
		items: boards.map(({ board, role }) => toBoardDto(board, role)),
		nextCursor: null
	});
});

export const POST = endpoint(async (event) => {
	const user = requireUser(event);
	const body = await readJson(event.request, createBoardBody);
	const board = await openBoard(event.locals.ctx, requestSource(event), {
		title: body.title,
		ownerId: user.id
	}).catch((error: unknown) => {
		// The new document checks the title again; a refusal there is still the caller's input.
		throw isDomainError(error) ? domainProblem(error, null) : error;
	});
	return json(toBoardDto(board, 'owner'), {
		status: 201,
		headers: { location: `/api/v1/boards/${board.id}` }
	});
});
