import {
	createWebhookBody,
	hookPageQuery,
	literalTargetProblem
} from '$lib/server/api/webhook-schemas';
import { readJson, readQuery } from '$lib/server/http/body';
import { endpoint, json, requireUser } from '$lib/server/http/endpoint';
import { ApiError, forbidden } from '$lib/server/http/problem';
import { createHook, hookCount, listHooks, maxHooksPerScope } from '$lib/server/webhooks/store';
import { isAdmin } from '$lib/domain/policy';

/** Workspace-wide hooks: every board's events; admins only. */
function requireAdmin(event: Parameters<typeof requireUser>[0]) {
	const user = requireUser(event);
	if (!isAdmin(user)) throw forbidden('Only admins manage workspace-wide webhooks.');
	return user;
}

export const GET = endpoint(async (event) => {
	requireAdmin(event);
	const query = readQuery(event.url, hookPageQuery);
	return json(await listHooks(event.locals.ctx.sql, null, query.limit ?? 50, query.cursor || null));
});

export const POST = endpoint(async (event) => {
	const user = requireAdmin(event);
	const body = await readJson(event.request, createWebhookBody);
	const refused = literalTargetProblem(body.url, event.locals.ctx.config.webhookAllowPrivate);
	if (refused) throw new ApiError(422, refused, { errors: { url: refused } });
	if ((await hookCount(event.locals.ctx.sql, null)) >= maxHooksPerScope) {
		throw new ApiError(
			409,
			`The workspace has at most ${maxHooksPerScope} webhooks; delete one first.`
		);
	}
	const hook = await createHook(event.locals.ctx.sql, {
		boardId: null,
		createdBy: user.id,
		url: body.url,
		events: body.events
	});
	// Their admin role ended after the check above (the insert checks it again).
	if (!hook) throw forbidden('You are no longer an admin.');
	return json(hook, { status: 201, headers: { location: `/api/v1/webhooks/${hook.id}` } });
});
