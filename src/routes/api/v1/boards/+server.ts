import { domainProblem } from '$lib/server/api/board-writes';
import { createBoardBody } from '$lib/server/api/schemas';
import { openBoard } from '$lib/server/board-lifecycle';
import { keysetPageQuery } from '$lib/server/api/schemas';
import { listBoardPage, toBoardDto } from '$lib/server/boards';
import { requestSource } from '$lib/server/events/audit';
import { readJson, readQuery } from '$lib/server/http/body';
import { endpoint, json, requireUser } from '$lib/server/http/endpoint';
import { isDomainError } from '$lib/domain/board';

export const GET = endpoint(async (event) => {
	const user = requireUser(event);
	const query = readQuery(event.url, keysetPageQuery);
	return json(await listBoardPage(event.locals.ctx.sql, user.id, query));
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
