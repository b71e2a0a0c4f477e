import { endpoint, json, requireUser } from '$lib/server/http/endpoint';
import { notFound } from '$lib/server/http/problem';
import { getImport } from '$lib/server/import-rows';

/** An import's progress and report; only for the one who started it (others: 404). */
export const GET = endpoint(async (event) => {
	const user = requireUser(event);
	const found = await getImport(event.locals.ctx.sql, event.params.id!, user.id);
	if (!found) throw notFound('import');
	return json(found, { headers: { 'cache-control': 'no-store' } });
});
