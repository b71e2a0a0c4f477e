import { boardAccessFor } from '$lib/server/api/board-access';
import { updateMemberBody } from '$lib/server/api/schemas';
import { isUuid } from '$lib/server/boards';
import { requestSource } from '$lib/server/events/audit';
import { readJson } from '$lib/server/http/body';
import { endpoint, json, noContent } from '$lib/server/http/endpoint';
import { ApiError, notFound } from '$lib/server/http/problem';
import { LastOwnerError } from '$lib/server/members';
import { expelMember, setMemberRole } from '$lib/server/membership';
import { canManageMembers } from '$lib/domain/policy';

function lastOwner(error: unknown): never {
	if (error instanceof LastOwnerError) throw new ApiError(409, error.message);
	throw error;
}

export const PATCH = endpoint(async (event) => {
	const { board } = await boardAccessFor(event, event.params.id!, canManageMembers);
	const userId = event.params.userId!;
	const body = await readJson(event.request, updateMemberBody);
	if (!isUuid(userId)) throw notFound('member');
	const member = await setMemberRole(
		event.locals.ctx,
		{ boardId: board.id, userId, role: body.role },
		requestSource(event)
	).catch(lastOwner);
	if (!member) throw notFound('member');
	return json(member);
});

export const DELETE = endpoint(async (event) => {
	const { board } = await boardAccessFor(event, event.params.id!, canManageMembers);
	const userId = event.params.userId!;
	if (!isUuid(userId)) throw notFound('member');
	const removed = await expelMember(
		event.locals.ctx,
		{ boardId: board.id, userId },
		requestSource(event)
	).catch(lastOwner);
	if (!removed) throw notFound('member');
	return noContent();
});
