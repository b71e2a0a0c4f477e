import { requireSessionUser } from '$lib/server/api/token-guard';
import { revokeTokenAudited } from '$lib/server/auth/token-audit';
import { isUuid } from '$lib/server/boards';
import { endpoint, noContent } from '$lib/server/http/endpoint';
import { notFound } from '$lib/server/http/problem';

export const DELETE = endpoint(async (event) => {
	const user = requireSessionUser(event);
	const id = event.params.id!;
	if (!isUuid(id) || !(await revokeTokenAudited(event, user.id, id))) throw notFound('token');
	event.locals.ctx.collab.disconnectSession(`token:${id}`);
	return noContent();
});
