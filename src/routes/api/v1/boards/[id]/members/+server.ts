import { boardAccess, boardAccessFor } from '$lib/server/api/board-access';
import { addMemberBody, keysetPageQuery } from '$lib/server/api/schemas';
import { requestSource } from '$lib/server/events/audit';
import { readJson, readQuery } from '$lib/server/http/body';
import { endpoint, json } from '$lib/server/http/endpoint';
import { ApiError } from '$lib/server/http/problem';
import { InviteeNotFoundError, inviteByEmail } from '$lib/server/membership';
import { listMemberPage, MemberExistsError } from '$lib/server/members';
import { canManageMembers } from '$lib/domain/policy';

export const GET = endpoint(async (event) => {
	const { board } = await boardAccess(event, event.params.id!);
	const query = readQuery(event.url, keysetPageQuery);
	return json(await listMemberPage(event.locals.ctx.sql, board.id, query));
});

export const POST = endpoint(async (event) => {
	const { board } = await boardAccessFor(event, event.params.id!, canManageMembers);
	const body = await readJson(event.request, addMemberBody);
	try {
		const member = await inviteByEmail(
			event.locals.ctx,
			{ boardId: board.id, ...body },
			requestSource(event)
		);
		return json(member, { status: 201 });
	} catch (error) {
		if (error instanceof InviteeNotFoundError) {
			throw new ApiError(422, error.message, { errors: { email: error.message } });
		}
		if (error instanceof MemberExistsError) {
			throw new ApiError(409, error.message, { errors: { email: error.message } });
		}
		throw error;
	}
});
