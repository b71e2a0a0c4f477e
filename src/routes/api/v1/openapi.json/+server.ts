import { openApiDocument } from '$lib/server/api/openapi/document';
import { endpoint, json } from '$lib/server/http/endpoint';

/** Public, like the reference page built from it: the API's shape is no secret. */
export const GET = endpoint(() =>
	json(openApiDocument(), { headers: { 'cache-control': 'public, max-age=300' } })
);
