import { broadcastBody } from '$lib/server/api/notification-schemas';
import { readJson } from '$lib/server/http/body';
import { endpoint, json, requireUser } from '$lib/server/http/endpoint';
import { forbidden } from '$lib/server/http/problem';
import { sendBroadcast } from '$lib/server/notifications/broadcast';
import { isAdmin } from '$lib/domain/policy';

/** A system message from an admin to every active user, delivered live to open tabs. */
export const POST = endpoint(async (event) => {
	const actor = requireUser(event);
	if (!isAdmin(actor)) throw forbidden('Only admins can send system messages.');
	const body = await readJson(event.request, broadcastBody);
	return json(await sendBroadcast(event, actor, body), { status: 201 });
});
