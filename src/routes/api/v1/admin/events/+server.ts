import { adminEventsQuery } from '$lib/server/api/admin-schemas';
import { auditCsv, auditFilters, auditPage } from '$lib/server/admin/audit-log';
import { requireAdmin } from '$lib/server/admin/guard';
import { readQuery } from '$lib/server/http/body';
import { endpoint, json } from '$lib/server/http/endpoint';

/** The whole audit log, newest first; `Accept: text/csv` exports every matching event. */
export const GET = endpoint(async (event) => {
	requireAdmin(event);
	const query = readQuery(event.url, adminEventsQuery);
	const accept = event.request.headers.get('accept') ?? '';
	if (/\btext\/csv\b/i.test(accept)) {
		const filters = await auditFilters(event.locals.ctx.sql, query);
		const day = new Date().toISOString().slice(0, 10);
		return new Response(auditCsv(event, filters), {
			headers: {
				'content-type': 'text/csv; charset=utf-8',
				'content-disposition': `attachment; filename="audit-log-${day}.csv"`,
				'cache-control': 'no-store'
			}
		});
	}
	return json(await auditPage(event, query));
});
