import { boardAccess } from '$lib/server/api/board-access';
import { domainProblem } from '$lib/server/api/board-writes';
import { duplicateBoardBody } from '$lib/server/api/schemas';
import { BoardTooLargeError, CopiesBusyError, duplicateBoard } from '$lib/server/board-lifecycle';
import { toBoardDto } from '$lib/server/boards';
import { requestSource } from '$lib/server/events/audit';
import { readJson } from '$lib/server/http/body';
import { endpoint, json } from '$lib/server/http/endpoint';
import { ApiError } from '$lib/server/http/problem';
import { isDomainError, maxTitleLength } from '$lib/domain/board';

const suffix = ' (copy)';

/**
 * Copies a board the caller can read into a new board the caller owns: whoever may see the
 * cards may take them as a starting point, and the copy shares nothing (members, history) with
 * the source. Archived boards too: a finished project is a common template.
 */
export const POST = endpoint(async (event) => {
	const { user, board } = await boardAccess(event, event.params.id!);
	const body = await readJson(event.request, duplicateBoardBody);
	const title = body.title ?? board.title.slice(0, maxTitleLength - suffix.length) + suffix;
	try {
		const copy = await duplicateBoard(event.locals.ctx, requestSource(event), {
			from: board,
			title,
			ownerId: user.id
		});
		return json(toBoardDto(copy, 'owner'), {
			status: 201,
			headers: { location: `/api/v1/boards/${copy.id}` }
		});
	} catch (error) {
		if (error instanceof BoardTooLargeError) throw new ApiError(409, error.message);
		if (error instanceof CopiesBusyError) {
			throw new ApiError(429, 'Other boards are being copied right now; try again shortly.', {
				headers: { 'retry-after': String(error.retryAfter) }
			});
		}
		if (isDomainError(error)) throw domainProblem(error, null);
		throw error;
	}
});
