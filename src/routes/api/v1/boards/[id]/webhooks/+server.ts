import { boardAccessFor } from '$lib/server/api/board-access';
import { archivedBoard } from '$lib/server/api/board-writes';
import {
	createWebhookBody,
	hookPageQuery,
	literalTargetProblem
} from '$lib/server/api/webhook-schemas';
import { readJson, readQuery } from '$lib/server/http/body';
import { endpoint, json } from '$lib/server/http/endpoint';
import { ApiError, forbidden } from '$lib/server/http/problem';
import { createHook, hookCount, listHooks, maxHooksPerScope } from '$lib/server/webhooks/store';
import { canManageBoard } from '$lib/domain/policy';

export const GET = endpoint(async (event) => {
	const { board } = await boardAccessFor(event, event.params.id!, canManageBoard);
	const query = readQuery(event.url, hookPageQuery);
	return json(
		await listHooks(event.locals.ctx.sql, board.id, query.limit ?? 50, query.cursor || null)
	);
});

export const POST = endpoint(async (event) => {
	const { board, user } = await boardAccessFor(event, event.params.id!, canManageBoard);
	if (board.archived_at !== null) throw archivedBoard();
	const body = await readJson(event.request, createWebhookBody);
	const refused = literalTargetProblem(body.url, event.locals.ctx.config.webhookAllowPrivate);
	if (refused) throw new ApiError(422, refused, { errors: { url: refused } });
	if ((await hookCount(event.locals.ctx.sql, board.id)) >= maxHooksPerScope) {
		throw new ApiError(409, `A board has at most ${maxHooksPerScope} webhooks; delete one first.`);
	}
	const hook = await createHook(event.locals.ctx.sql, {
		boardId: board.id,
		createdBy: user.id,
		url: body.url,
		events: body.events
	});
	// Their ownership ended after the check above (the insert checks it again).
	if (!hook) throw forbidden('You no longer manage this board.');
	return json(hook, { status: 201, headers: { location: `/api/v1/webhooks/${hook.id}` } });
});
