import { manageableHook } from '$lib/server/api/webhook-access';
import { literalTargetProblem, updateWebhookBody } from '$lib/server/api/webhook-schemas';
import { readJson } from '$lib/server/http/body';
import { endpoint, json, noContent } from '$lib/server/http/endpoint';
import { ApiError, forbidden, notFound } from '$lib/server/http/problem';
import { deleteHook, getHook, updateHook, webhookDto } from '$lib/server/webhooks/store';

export const GET = endpoint(async (event) => {
	return json(webhookDto(await manageableHook(event, event.params.id!)));
});

export const PATCH = endpoint(async (event) => {
	const hook = await manageableHook(event, event.params.id!, 'write');
	const body = await readJson(event.request, updateWebhookBody);
	const refused = body.url
		? literalTargetProblem(body.url, event.locals.ctx.config.webhookAllowPrivate)
		: null;
	if (refused) throw new ApiError(422, refused, { errors: { url: refused } });
	const updated = await updateHook(event.locals.ctx.sql, hook.id, {
		...body,
		by: event.locals.user!.id
	});
	if (!updated) {
		// Still there: the caller lost the right to manage it since the check above.
		if (await getHook(event.locals.ctx.sql, hook.id)) {
			throw forbidden('You no longer manage this webhook.');
		}
		throw notFound('webhook');
	}
	// Switched on again: its queued deliveries are due now.
	if (body.active) event.locals.ctx.webhooks?.wake();
	return json(updated);
});

export const DELETE = endpoint(async (event) => {
	const hook = await manageableHook(event, event.params.id!);
	await deleteHook(event.locals.ctx.sql, hook.id);
	return noContent();
});
