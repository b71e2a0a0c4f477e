/**
 * Cross-site request forgery guard for cookie-authenticated JSON and websocket requests:
 * SvelteKit's own check covers form content types only.
 */
export function expectedOrigin(configured: string | null, url: URL): string {
	return configured ?? url.origin;
}

/** True when the request's Origin (or, lacking it, Sec-Fetch-Site) says it came from us. */
export function isSameOrigin(headers: Headers, expected: string): boolean {
	const origin = headers.get('origin');
	if (origin !== null) return origin === expected;
	const site = headers.get('sec-fetch-site');
	// Non-browser clients send neither header; browsers always send one of them on such requests.
	return site === null || site === 'same-origin' || site === 'none';
}
