/**
 * CORS for listed origins on the API: preflights are answered before anyone is authenticated,
 * and answers that reach a handler carry the allow headers.
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
	if (!isApiRequest(event)) return resolve(event);
	const response = await resolve(event);
	const origin = event.request.headers.get('origin');
	const { vary, ...cors } = corsHeaders(origin, event.locals.ctx.config.corsOrigins);
	for (const [name, value] of Object.entries(cors)) response.headers.set(name, value);
	if (vary) appendVary(response.headers, vary);
	return response;
};
