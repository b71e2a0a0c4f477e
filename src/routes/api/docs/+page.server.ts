import { openApiDocument } from '$lib/server/api/openapi/document';
import { buildReference } from './reference';
import type { PageServerLoad } from './$types';

/** Plain HTML: nothing on the page needs scripts, and the data is too large to ship twice. */
export const csr = false;

/** Public, like the document itself; no login needed. */
export const load: PageServerLoad = ({ url }) => ({
	reference: buildReference(openApiDocument(), url.origin)
});
