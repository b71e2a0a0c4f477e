import type { Handle, HandleServerError } from '@sveltejs/kit';
import { randomUUID } from 'node:crypto';
import { looksLikeApiToken, verifyApiToken } from '$lib/server/auth/api-tokens';
import { readSessionCookie } from '$lib/server/auth/cookie';
import { appContext } from '$lib/server/context';
import { expectedOrigin, isSameOrigin } from '$lib/server/http/origin';
import { problemResponse } from '$lib/server/http/problem';
import { checkRateLimit } from '$lib/server/http/rate-limit';
import { corsHeaders, preflight } from '$lib/server/http/cors';
import { compress, varyOnCoding } from '$lib/server/http/compression';
import { notModified, withEntityTag } from '$lib/server/http/entity-tags';
import { appendVary } from '$lib/server/http/vary';

const unsafeMethods = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

function requestIdFrom(headers: Headers): string {
	const given = headers.get('x-request-id');
	return given && /^[\w.:-]{1,100}$/.test(given) ? given : randomUUID();
}

export const handle: Handle = async ({ event, resolve }) => {
	const ctx = appContext();
	const started = performance.now();
	const requestId = requestIdFrom(event.request.headers);
	const log = ctx.log.child({ requestId });
	event.locals.ctx = ctx;
	event.locals.log = log;
	event.locals.requestId = requestId;
	event.locals.user = null;
	event.locals.session = null;

	const isApi = event.url.pathname.startsWith('/api/');
	const origin = event.request.headers.get('origin');
	if (isApi && event.request.method === 'OPTIONS') return preflight(origin, ctx.config.corsOrigins);

	const bearer = /^Bearer\s+(\S+)$/i.exec(event.request.headers.get('authorization') ?? '')?.[1];
	const cookie = readSessionCookie(event.cookies);
	if (bearer && looksLikeApiToken(bearer)) {
		const principal = await verifyApiToken(ctx.sql, bearer);
		if (principal) {
			event.locals.user = principal.user;
			event.locals.session = {
				id: `token:${principal.tokenId}`,
				via: 'token',
				scope: principal.scope
			};
		}
	} else if (bearer ?? cookie) {
		const result = await ctx.auth.validate((bearer ?? cookie)!);
		if (result) {
			event.locals.user = result.user;
			event.locals.session = {
				id: result.session.id,
				via: bearer ? 'bearer' : 'cookie',
				scope: 'read-write'
			};
		}
	}

	// Bearer requests are exempt: browsers never attach an Authorization header on their own.
	if (
		!bearer &&
		unsafeMethods.has(event.request.method) &&
		!isSameOrigin(event.request.headers, expectedOrigin(ctx.config.origin, event.url))
	) {
		const detail = 'Cross-site request refused: the Origin is not this app.';
		return isApi
			? problemResponse(403, detail, { instance: event.url.pathname })
			: new Response(detail, { status: 403, headers: { 'content-type': 'text/plain' } });
	}

	// Pages too: a token reaches form actions as well (e.g. the admin page's system message).
	if (event.locals.session?.scope === 'read' && unsafeMethods.has(event.request.method)) {
		const detail = 'This token is read-only.';
		return isApi
			? problemResponse(403, detail, { instance: event.url.pathname })
			: new Response(detail, { status: 403, headers: { 'content-type': 'text/plain' } });
	}

	let limits: Record<string, string> = {};
	if (isApi) {
		const session = event.locals.session;
		const verdict = await checkRateLimit(ctx.counters, {
			key: session?.via === 'token' ? session.id : `ip:${event.getClientAddress()}`,
			limit: ctx.config.apiRateLimit,
			windowMs: ctx.config.apiRateWindowMs,
			path: event.url.pathname
		});
		if (verdict.refusal) return verdict.refusal;
		limits = verdict.headers;
	}

	let response = await resolve(event);
	if (isApi && response.status === 405 && !response.headers.get('content-type')?.includes('json')) {
		response = problemResponse(405, `${event.request.method} is not supported here.`, {
			instance: event.url.pathname,
			headers: { allow: response.headers.get('allow') ?? '' }
		});
	}
	// ETag, then 304, then compression: tags and the 304 decision see the uncompressed body.
	const read = event.request.method === 'GET' || event.request.method === 'HEAD';
	if (read) {
		if (isApi) response = await withEntityTag(response);
		varyOnCoding(event.request, response);
		response = notModified(event.request, response) ?? (await compress(event.request, response));
	}
	response.headers.set('x-request-id', requestId);
	const { vary, ...cors } = isApi ? corsHeaders(origin, ctx.config.corsOrigins) : {};
	for (const [name, value] of Object.entries({ ...limits, ...cors }))
		response.headers.set(name, value);
	if (vary) appendVary(response.headers, vary);
	log.info(
		{
			method: event.request.method,
			path: event.url.pathname,
			status: response.status,
			ms: Math.round(performance.now() - started),
			userId: event.locals.user?.id
		},
		'request'
	);
	return response;
};

export const handleError: HandleServerError = ({ error, event, status, message }) => {
	const requestId = event.locals.requestId;
	if (status !== 404) {
		(event.locals.log ?? console).error(
			{ err: error, path: event.url.pathname },
			'unhandled error'
		);
	}
	return { message: status === 404 ? message : 'Something went wrong on our side.', requestId };
};
