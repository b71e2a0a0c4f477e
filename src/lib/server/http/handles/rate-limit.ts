/** API rate limits: per token for token callers, per client address for everyone else. */
import type { Handle } from '@sveltejs/kit';
import { checkRateLimit } from '../rate-limit.ts';
import { isApiRequest } from './api-request.ts';

export const apiRateLimit: Handle = async ({ event, resolve }) => {
	if (!isApiRequest(event)) return resolve(event);
	const { config, counters } = event.locals.ctx;
	const session = event.locals.session;
	const verdict = await checkRateLimit(counters, {
		key: session?.via === 'token' ? session.id : `ip:${event.getClientAddress()}`,
		limit: config.apiRateLimit,
		windowMs: config.apiRateWindowMs,
		path: event.url.pathname
	});
	if (verdict.refusal) {
		event.locals.ctx.metrics?.rateLimited.inc({ limit: 'api' });
		return verdict.refusal;
	}
	const response = await resolve(event);
	for (const [name, value] of Object.entries(verdict.headers)) response.headers.set(name, value);
	return response;
};
