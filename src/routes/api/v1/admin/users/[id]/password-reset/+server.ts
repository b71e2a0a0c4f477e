import { issuePasswordReset } from '$lib/server/admin/actions';
import { pathId, requireAdmin } from '$lib/server/admin/guard';
import { endpoint, json } from '$lib/server/http/endpoint';

/** A one-time link for a locked-out user; the only answer that ever contains it. */
export const POST = endpoint(async (event) => {
	requireAdmin(event);
	const link = await issuePasswordReset(event, pathId(event, 'user'));
	return json(link, { status: 201, headers: { 'cache-control': 'no-store' } });
});
