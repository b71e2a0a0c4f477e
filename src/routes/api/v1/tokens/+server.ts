import { requireSessionUser } from '$lib/server/api/token-guard';
import { createTokenBody } from '$lib/server/api/token-schemas';
import { listApiTokens } from '$lib/server/auth/api-tokens';
import { createTokenAudited } from '$lib/server/auth/token-audit';
import { readJson } from '$lib/server/http/body';
import { endpoint, json } from '$lib/server/http/endpoint';

export const GET = endpoint(async (event) => {
	const user = requireSessionUser(event);
	return json({ items: await listApiTokens(event.locals.ctx.sql, user.id), nextCursor: null });
});

/** The secret appears in this response only; it is stored as a hash. */
export const POST = endpoint(async (event) => {
	const user = requireSessionUser(event);
	const body = await readJson(event.request, createTokenBody);
	const { token, secret } = await createTokenAudited(event, user.id, {
		name: body.name,
		scope: body.scope,
		expiresAt: body.expiresAt ? new Date(body.expiresAt) : null
	});
	return json({ ...token, token: secret }, { status: 201 });
});
