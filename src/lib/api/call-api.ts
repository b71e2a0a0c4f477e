/**
 * The pages' calls to `/api/v1/*` with the session cookie. Failures come back as the problem's
 * own sentence (and field errors), so a page can show them as they are.
 */
export type ApiResult<T> =
	{ ok: true; body: T } | { ok: false; message: string; fields: Record<string, string> };

export async function callApi<T>(
	path: string,
	init: { method?: 'GET' | 'POST' | 'PATCH' | 'DELETE'; body?: unknown } = {}
): Promise<ApiResult<T>> {
	const form = init.body instanceof FormData ? init.body : undefined;
	let response: Response;
	try {
		response = await fetch(path, {
			method: init.method ?? 'GET',
			// A FormData body (a file upload) carries its own multipart content type.
			headers: {
				accept: 'application/json',
				...(init.body === undefined || form ? {} : { 'content-type': 'application/json' })
			},
			body: init.body === undefined || form ? form : JSON.stringify(init.body)
		});
	} catch {
		return { ok: false, message: 'The server could not be reached. Try again.', fields: {} };
	}
	if (response.status === 204) return { ok: true, body: undefined as T };
	if (!response.ok) return failureOf(response);
	const body: unknown = await response.json().catch(() => null);
	return { ok: true, body: body as T };
}

/** What a refused call says: its problem's own sentence and field errors. */
export async function failureOf(
	response: Response
): Promise<{ ok: false; message: string; fields: Record<string, string> }> {
	const body: unknown = await response.json().catch(() => null);
	const problem = (body ?? {}) as { detail?: string; errors?: Record<string, string> };
	return {
		ok: false,
		message: problem.detail ?? `The request failed (${response.status}).`,
		fields: problem.errors ?? {}
	};
}
