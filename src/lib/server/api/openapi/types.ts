// The document's types are shared with the reference page (browser code), so they live in $lib/api.
export type * from '../../../api/openapi.ts';
