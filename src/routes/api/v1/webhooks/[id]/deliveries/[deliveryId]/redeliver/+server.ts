import { manageableHook } from '$lib/server/api/webhook-access';
import { endpoint, json } from '$lib/server/http/endpoint';
import { notFound } from '$lib/server/http/problem';
import { redeliver } from '$lib/server/webhooks/store';

export const POST = endpoint(async (event) => {
	const hook = await manageableHook(event, event.params.id!, 'write');
	const delivery = await redeliver(event.locals.ctx.sql, hook.id, event.params.deliveryId!);
	if (!delivery) throw notFound('delivery');
	event.locals.ctx.webhooks?.wake();
	return json(delivery, { status: 202 });
});
