import { signOutEverywhere } from '$lib/server/admin/actions';
import { pathId, requireAdmin } from '$lib/server/admin/guard';
import { endpoint, json } from '$lib/server/http/endpoint';

/** Signs the account out everywhere: sessions end and open boards disconnect at once. */
export const POST = endpoint(async (event) => {
	requireAdmin(event);
	const ended = await signOutEverywhere(event, pathId(event, 'user'));
	return json({ sessionsEnded: ended });
});
