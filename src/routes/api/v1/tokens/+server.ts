import { requireSessionUser } from '$lib/server/api/token-guard';
import { createTokenBody } from '$lib/server/api/token-schemas';
import { listPageQuery } from '$lib/server/api/schemas';
import { listApiTokenPage } from '$lib/server/auth/api-tokens';
import { createTokenAudited } from '$lib/server/auth/token-audit';
import { readJson, readQuery } from '$lib/server/http/body';
import { endpoint, json } from '$lib/server/http/endpoint';

export const GET = endpoint(async (event) => {
	const user = requireSessionUser(event);
	const query = readQuery(event.url, listPageQuery);
	return json(await listApiTokenPage(event.locals.ctx.sql, user.id, query));
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
