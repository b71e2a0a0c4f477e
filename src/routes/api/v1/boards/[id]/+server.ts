import { boardAccess, boardAccessFor } from '$lib/server/api/board-access';
import { archivedBoard, domainProblem } from '$lib/server/api/board-writes';
import { updateBoardBody } from '$lib/server/api/schemas';
import { closeBoard } from '$lib/server/board-lifecycle';
import { toBoardDto } from '$lib/server/boards';
import { BoardArchivedError, retitleBoard } from '$lib/server/board-title';
import { requestSource } from '$lib/server/events/audit';
import { readJson } from '$lib/server/http/body';
import { endpoint, json, noContent } from '$lib/server/http/endpoint';
import { isDomainError } from '$lib/domain/board';
import { canManageBoard } from '$lib/domain/policy';

export const GET = endpoint(async (event) => {
	const { board, role } = await boardAccess(event, event.params.id!);
	return json(toBoardDto(board, role));
});

export const PATCH = endpoint(async (event) => {
	const { board, role } = await boardAccessFor(event, event.params.id!, canManageBoard);
	const body = await readJson(event.request, updateBoardBody);
	try {
		const renamed = await retitleBoard(event.locals.ctx, {
			boardId: board.id,
			title: body.title,
			actorId: event.locals.user!.id
		});
		return json(toBoardDto(renamed ?? board, role));
	} catch (error) {
		if (error instanceof BoardArchivedError) throw archivedBoard();
		// The document refuses the change (e.g. a schema version this server does not know).
		if (isDomainError(error)) throw domainProblem(error, null);
		throw error;
	}
});

/** Archives rather than deletes: a board's history must stay recoverable. */
export const DELETE = endpoint(async (event) => {
	const { board } = await boardAccessFor(event, event.params.id!, canManageBoard);
	await closeBoard(event.locals.ctx, requestSource(event), board);
	return noContent();
});
