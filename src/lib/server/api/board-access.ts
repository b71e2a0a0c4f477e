import type { RequestEvent } from '@sveltejs/kit';
import { canReadBoard, type BoardRole } from '../../domain/policy.ts';
import type { SessionUser } from '../auth/service.ts';
import { getBoardWithRole, type BoardRow } from '../boards.ts';
import { requireUser } from '../http/endpoint.ts';
import { forbidden, notFound } from '../http/problem.ts';

export interface BoardAccess {
	user: SessionUser;
	board: BoardRow;
	role: BoardRole | null;
}

/**
 * The board and the caller's role, or 404 for a board the caller may not see — the same
 * answer as for a board that does not exist, so ids do not leak.
 */
export async function boardAccess(event: RequestEvent, boardId: string): Promise<BoardAccess> {
	const user = requireUser(event);
	const found = await getBoardWithRole(event.locals.ctx.sql, boardId, user.id);
	if (!found || !canReadBoard(user, found.role)) throw notFound('board');
	return { user, board: found.board, role: found.role };
}

/** Like `boardAccess`, then 403 unless `allowed` says yes. */
export async function boardAccessFor(
	event: RequestEvent,
	boardId: string,
	allowed: (user: SessionUser, role: BoardRole | null) => boolean
): Promise<BoardAccess> {
	const access = await boardAccess(event, boardId);
	if (!allowed(access.user, access.role))
		throw forbidden('Your role on this board does not allow this.');
	return access;
}
