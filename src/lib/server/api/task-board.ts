/**
 * Which board a task endpoint (`/api/v1/tasks/:id/…`) works on. Card ids are chosen by clients
 * and unique per board only, so the same id may name cards on several boards: `?boardId=` says
 * which, and without it an id that more than one of the caller's readable boards hold is refused
 * (409) rather than guessed. Boards the caller cannot read are never considered nor named.
 */
import type { RequestEvent } from '@sveltejs/kit';
import { canEditBoard, canReadBoard } from '../../domain/policy.ts';
import { getBoardWithRole, isUuid, type BoardWithRole } from '../boards.ts';
import { readQuery } from '../http/body.ts';
import { requireUser } from '../http/endpoint.ts';
import { ApiError, forbidden, notFound } from '../http/problem.ts';
import { archivedBoard } from './board-writes.ts';
import { boardsWithTask } from './board-rows-read.ts';
import { ambiguousTaskType, taskBoardQuery } from './task-schemas.ts';

function ambiguous(boards: BoardWithRole[]): ApiError {
	return new ApiError(
		409,
		'Cards with this id are on more than one of your boards; say which with `?boardId=`.',
		{
			type: ambiguousTaskType,
			members: { boards: boards.map(({ board }) => ({ id: board.id, title: board.title })) }
		}
	);
}

/**
 * The board holding task `taskId` that the caller may read: the one `?boardId=` names, or else
 * the only one (404 when none, like a task that does not exist; 409 when several). With `write`,
 * 403 unless the caller may edit it, 409 when it is archived.
 */
export async function taskBoard(
	event: RequestEvent,
	taskId: string,
	write: boolean
): Promise<string> {
	const user = requireUser(event);
	if (!isUuid(taskId)) throw notFound('task');
	const { boardId } = readQuery(event.url, taskBoardQuery);
	const { sql, collab } = event.locals.ctx;
	// A card just created in a browser may have no row yet.
	await collab.syncRows({ taskId });
	const readable: BoardWithRole[] = [];
	for (const id of await boardsWithTask(sql, taskId)) {
		if (boardId !== undefined && id !== boardId) continue;
		const found = await getBoardWithRole(sql, id, user.id);
		if (found && canReadBoard(user, found.role)) readable.push(found);
	}
	if (readable.length > 1) throw ambiguous(readable);
	const found = readable[0];
	if (!found) throw notFound('task');
	if (write) {
		if (!canEditBoard(user, found.role)) {
			throw forbidden('Your role on this board does not allow this.');
		}
		if (found.board.archived_at !== null) throw archivedBoard();
	}
	return found.board.id;
}
