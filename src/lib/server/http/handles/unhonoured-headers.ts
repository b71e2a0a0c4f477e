/**
 * A write that names `If-Match` or `Idempotency-Key` where its operation does not honour it is
 * refused (400), not carried out as if the header were absent. RFC 9110 has a server evaluate a
 * received precondition: a batch or column PATCH sent with a stale tag was applied, a lost update
 * its client believed it had guarded against (hostile probe). Likewise a retried board, comment
 * or webhook creation sent with a key made a second one, while its client trusted the key to
 * prevent exactly that. Which operations honour which header is what the OpenAPI registry says
 * they take (`requestHeaders`), the one list of them.
 */
import type { Handle } from '@sveltejs/kit';
import { operations } from '../../api/openapi/operations.ts';
import type { RequestHeader } from '../../api/openapi/spec.ts';
import { problemResponse } from '../problem.ts';
import { isApiRequest, unsafeMethods } from './api-request.ts';

const guarded = ['If-Match', 'Idempotency-Key'] as const satisfies readonly RequestHeader[];

/** `METHOD /route/[id]` of an operation, as SvelteKit names its route. */
const routeOf = (op: (typeof operations)[number]) =>
	`${op.method} ${op.path.replace(/\{(\w+)\}/g, '[$1]')}`;

/** Every operation: any other request gets its 404 or 405, which says more than the header. */
const known = new Set(operations.map(routeOf));

/** Per header, the operations that honour it. */
const honouring = new Map(
	guarded.map((header) => [
		header,
		new Set(operations.filter((op) => op.requestHeaders?.includes(header)).map(routeOf))
	])
);

const advice: Record<(typeof guarded)[number], string> = {
	'If-Match': 'This operation does not take If-Match; send the change without it.',
	'Idempotency-Key':
		'This operation does not take an Idempotency-Key; read what it would create before repeating it.'
};

export const unhonouredHeaders: Handle = async ({ event, resolve }) => {
	const { method, headers } = event.request;
	if (!unsafeMethods.has(method) || !isApiRequest(event)) return resolve(event);
	const operation = `${method} ${event.route.id}`;
	if (!known.has(operation)) return resolve(event);
	for (const header of guarded) {
		if (!headers.has(header) || honouring.get(header)!.has(operation)) continue;
		return problemResponse(400, `${header} is not supported here: nothing was changed.`, {
			instance: event.url.pathname,
			errors: { [header]: advice[header] }
		});
	}
	return resolve(event);
};
