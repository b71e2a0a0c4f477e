/**
 * Headers every answer carries (docs/architecture.md, "Layers, hooks and security headers").
 * Pages get their Content-Security-Policy from Kit (`kit.csp` in svelte.config.js: it knows the
 * nonces of its inline scripts); everything else that has none (JSON, problem+json, plain-text
 * refusals) gets one that allows nothing, so an answer opened as a document can run nothing.
 */
import type { Handle } from '@sveltejs/kit';

export const securityHeaderValues = {
	'x-content-type-options': 'nosniff',
	'x-frame-options': 'DENY',
	'referrer-policy': 'strict-origin-when-cross-origin'
} as const;

export const lockedDownPolicy = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'";

export const securityHeaders: Handle = async ({ event, resolve }) => {
	const response = await resolve(event);
	const headers = response.headers;
	// A route's own stricter choice (the reset page's `no-referrer`) is kept.
	for (const [name, value] of Object.entries(securityHeaderValues)) {
		if (!headers.has(name)) headers.set(name, value);
	}
	const isHtml = headers.get('content-type')?.includes('text/html') ?? false;
	if (!isHtml && !headers.has('content-security-policy')) {
		headers.set('content-security-policy', lockedDownPolicy);
	}
	return response;
};
