import type { RequestEvent } from '@sveltejs/kit';
import { canManageBoard, canReadBoard, isAdmin } from '../../domain/policy.ts';
import { getBoardWithRole, isUuid } from '../boards.ts';
import { requireUser } from '../http/endpoint.ts';
import { forbidden, notFound } from '../http/problem.ts';
import { getHook, type StoredHook } from '../webhooks/store.ts';
import { archivedBoard } from './board-writes.ts';

/**
 * A hook the caller may manage: a board's hooks are its owners' (and admins'), workspace-wide
 * hooks are admins'. Someone who cannot see the board gets the 404 a missing hook gets, so hook
 * ids do not leak; a member who cannot manage it gets 403.
 */
export async function manageableHook(
	event: RequestEvent,
	id: string,
	purpose: 'read' | 'write' = 'read'
): Promise<StoredHook> {
	const user = requireUser(event);
	const hook = isUuid(id) ? await getHook(event.locals.ctx.sql, id) : null;
	if (!hook) throw notFound('webhook');
	if (hook.board_id === null) {
		if (!isAdmin(user)) throw notFound('webhook');
		return hook;
	}
	const found = await getBoardWithRole(event.locals.ctx.sql, hook.board_id, user.id);
	if (!found || !canReadBoard(user, found.role)) throw notFound('webhook');
	if (!canManageBoard(user, found.role))
		throw forbidden('Only the board’s owners manage its webhooks.');
	// Like every other change to an archived board; deleting a hook stays possible.
	if (purpose === 'write' && found.board.archived_at !== null) throw archivedBoard();
	return hook;
}
