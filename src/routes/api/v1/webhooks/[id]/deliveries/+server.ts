import { manageableHook } from '$lib/server/api/webhook-access';
import { deliveryPageQuery } from '$lib/server/api/webhook-schemas';
import { readQuery } from '$lib/server/http/body';
import { endpoint, json } from '$lib/server/http/endpoint';
import { deliveryPage } from '$lib/server/webhooks/store';

export const GET = endpoint(async (event) => {
	const hook = await manageableHook(event, event.params.id!);
	const query = readQuery(event.url, deliveryPageQuery);
	return json(
		await deliveryPage(event.locals.ctx.sql, hook.id, query.limit ?? 50, query.cursor || null)
	);
});
