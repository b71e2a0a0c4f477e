/**
 * Outermost handle: gives every request its services, logger and id, and on the way out stamps
 * the id on the response and writes the access log line (refusals by inner handles included).
 */
import { loggablePath } from '../log-path.ts';
import type { Handle } from '@sveltejs/kit';
import { randomUUID } from 'node:crypto';
import { appContext } from '../../context.ts';
import { clientAddress } from '../client-address.ts';

/** A caller's (or proxy's) X-Request-Id is kept when it is a sane token, so logs join up. */
function requestIdFrom(headers: Headers): string {
	const given = headers.get('x-request-id');
	return given && /^[\w.:-]{1,100}$/.test(given) ? given : randomUUID();
}

export const requestContext: Handle = async ({ event, resolve }) => {
	const ctx = appContext();
	const started = performance.now();
	const requestId = requestIdFrom(event.request.headers);
	const log = ctx.log.child({ requestId });
	const locals: App.Locals = { ctx, log, requestId, user: null, session: null };
	// Copied in one go: assigning `event.locals.user = null` would make TypeScript narrow it to
	// null for the log line below, though inner handles set it meanwhile.
	Object.assign(event.locals, locals);

	const response = await resolve(event);
	response.headers.set('x-request-id', requestId);
	// The line's fields cost a few header reads and a regex: skipped when nobody writes it.
	if (!log.isLevelEnabled('info')) return response;
	log.info(
		{
			method: event.request.method,
			path: loggablePath(event.url.pathname),
			status: response.status,
			ms: Math.round(performance.now() - started),
			userId: event.locals.user?.id,
			address: clientAddress(event),
			ua: event.request.headers.get('user-agent')?.slice(0, 256)
		},
		'request'
	);
	return response;
};
