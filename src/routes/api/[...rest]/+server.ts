import { problemResponse } from '$lib/server/http/problem';
import type { RequestHandler } from './$types';

/** Unknown API paths answer in problem+json like every other API error, not with an HTML page. */
export const fallback: RequestHandler = ({ url }) =>
	problemResponse(404, `No API endpoint at ${url.pathname}.`, { instance: url.pathname });
