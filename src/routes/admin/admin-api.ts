/** The admin page's calls to `/api/v1/admin/*`: the shared caller, and list paths. */
export { callApi, type ApiResult } from '$lib/api/call-api';

/** `path?q=&cursor=` with the empty parts left out. */
export function listPath(path: string, q: string, cursor: string | null): string {
	const params = new URLSearchParams();
	if (q.trim()) params.set('q', q.trim());
	if (cursor) params.set('cursor', cursor);
	const query = params.toString();
	return query ? `${path}?${query}` : path;
}
