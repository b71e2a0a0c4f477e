/**
 * CORS for listed origins on the API: preflights are answered before anyone is authenticated,
 * and every other answer carries the allow headers, refusals and failures included (see the
 * order in `hooks.server.ts`).
 */
import type { Handle } from '@sveltejs/kit';
import { corsHeaders, preflight } from '../cors.ts';
import { appendVary } from '../vary.ts';
import { isApiRequest } from './api-request.ts';

export const corsPreflight: Handle = async ({ event, resolve }) => {
	if (!isApiRequest(event) || event.request.method !== 'OPTIONS') return resolve(event);
	return preflight(event.request.headers.get('origin'), event.locals.ctx.config.corsOrigins);
};

export const apiCorsHeaders: Handle = async ({ event, resolve }) => {
	// A preflight's answer is complete as `corsPreflight` builds it.
	if (!isApiRequest(event) || event.request.method === 'OPTIONS') return resolve(event);
	const response = await resolve(event);
	const origin = event.request.headers.get('origin');
	const { vary, ...cors } = corsHeaders(origin, event.locals.ctx.config.corsOrigins);
	for (const [name, value] of Object.entries(cors)) response.headers.set(name, value);
	if (vary) appendVary(response.headers, vary);
	return response;
};
