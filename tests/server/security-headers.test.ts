/**
 * Security headers (docs/architecture.md, "Layers, hooks and security headers"): pages carry
 * Kit's nonce-based Content-Security-Policy, every answer the anti-framing, no-sniffing and
 * referrer headers, and non-HTML answers a policy that allows nothing.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from './support/app.ts';
import { client, signUp, type Client, type TestUser } from './support/http.ts';

let t: TestApp;
let api: Client;
let ana: TestUser;
beforeAll(async () => {
	t = await startTestApp();
	api = client(t.url);
	ana = await signUp(api, 'Ana');
});
afterAll(async () => {
	await t?.stop();
});

function expectEveryAnswerHeaders(headers: Headers) {
	expect(headers.get('x-content-type-options')).toBe('nosniff');
	expect(headers.get('x-frame-options')).toBe('DENY');
	expect(headers.get('referrer-policy')).toBe('strict-origin-when-cross-origin');
}

/** The policy's directives by name, e.g. `script-src` -> [`'self'`, `'nonce-…'`]. */
function directives(policy: string | null): Map<string, string[]> {
	expect(policy).toBeTruthy();
	return new Map(
		policy!
			.split(';')
			.map((part) => part.trim().split(/\s+/))
			.filter((words) => words[0])
			.map(([name, ...values]) => [name!, values])
	);
}

async function page(path: string, cookie?: string) {
	const response = await fetch(new URL(path, t.url), {
		headers: cookie ? { cookie } : {},
		redirect: 'manual'
	});
	return { response, html: await response.text() };
}

describe('security headers', () => {
	// /api/docs renders without client-side code (`csr = false`): no inline script, no nonce.
	it.each([
		{ path: '/login', signedIn: false, hydrates: true },
		{ path: '/boards', signedIn: true, hydrates: true },
		{ path: '/api/docs', signedIn: false, hydrates: false }
	])('a page ($path) carries a policy its own inline script satisfies', async (c) => {
		const { response, html } = await page(
			c.path,
			c.signedIn ? `tf_session=${ana.token}` : undefined
		);
		expect(response.status).toBe(200);
		expect(response.headers.get('content-type')).toContain('text/html');
		expectEveryAnswerHeaders(response.headers);
		const policy = directives(response.headers.get('content-security-policy'));
		const scripts = policy.get('script-src')!;
		expect(scripts).toContain("'self'");
		expect(scripts).not.toContain("'unsafe-inline'");
		expect(policy.get('style-src')).not.toContain("'unsafe-inline'");
		expect(policy.get('style-src-attr')).toEqual(["'unsafe-inline'"]);
		expect(policy.get('connect-src')).toEqual(["'self'"]);
		expect(policy.get('img-src')).toEqual(["'self'", 'data:']);
		expect(policy.get('object-src')).toEqual(["'none'"]);
		expect(policy.get('frame-ancestors')).toEqual(["'none'"]);
		expect(policy.get('base-uri')).toEqual(["'self'"]);
		expect(policy.get('form-action')).toEqual(["'self'"]);
		// Kit's hydration bootstrap is the inline script; without the nonce nothing would start.
		const inline = [...html.matchAll(/<script(?![^>]*\bsrc=)([^>]*)>/g)].map((m) => m[1]!);
		expect(inline.length > 0).toBe(c.hydrates);
		const nonce = scripts.find((s) => s.startsWith("'nonce-"))?.slice("'nonce-".length, -1);
		for (const attributes of inline) expect(attributes).toContain(`nonce="${nonce}"`);
	});

	it('gives every page answer a fresh nonce', async () => {
		const nonceOf = async () =>
			directives((await page('/login')).response.headers.get('content-security-policy'))
				.get('script-src')!
				.find((s) => s.startsWith("'nonce-"));
		const [first, second] = [await nonceOf(), await nonceOf()];
		expect(first).toBeTruthy();
		expect(first).not.toBe(second);
	});

	it('an API answer, a problem and the OpenAPI document allow nothing to run', async () => {
		const answers = [
			await api.get('/api/v1/me', { token: ana.token }),
			await api.get('/api/v1/boards/00000000-0000-4000-8000-000000000000', {
				token: ana.token
			}),
			await api.get('/api/v1/openapi.json')
		];
		expect(answers.map((a) => a.status)).toEqual([200, 404, 200]);
		for (const { headers } of answers) {
			expectEveryAnswerHeaders(headers);
			const policy = directives(headers.get('content-security-policy'));
			expect(policy.get('default-src')).toEqual(["'none'"]);
			expect(policy.get('frame-ancestors')).toEqual(["'none'"]);
		}
	});

	it('refusals made before any handler runs carry them too', async () => {
		const crossSite = await api.post(
			'/api/v1/boards',
			{ title: 'Ride' },
			{ cookie: `tf_session=${ana.token}`, headers: { origin: 'https://evil.example' } }
		);
		const formCrossSite = await fetch(new URL('/logout', t.url), {
			method: 'POST',
			headers: {
				origin: 'https://evil.example',
				'content-type': 'application/x-www-form-urlencoded'
			},
			body: '',
			redirect: 'manual'
		});
		expect([crossSite.status, formCrossSite.status]).toEqual([403, 403]);
		for (const headers of [crossSite.headers, formCrossSite.headers]) {
			expectEveryAnswerHeaders(headers);
			expect(headers.get('x-request-id')).toBeTruthy();
			expect(directives(headers.get('content-security-policy')).get('default-src')).toEqual([
				"'none'"
			]);
		}
	});

	it('static files carry them too (served before the hooks run)', async () => {
		const assets = await appAssets();
		expect(assets.length).toBeGreaterThan(0);
		for (const path of ['/favicon.svg', assets[0]!]) {
			const res = await fetch(t.url + path);
			expect(res.status, path).toBe(200);
			expectEveryAnswerHeaders(res.headers);
		}
	});
});

/** One built asset under /_app/immutable, as the login page links it. */
async function appAssets(): Promise<string[]> {
	const html = await (await fetch(t.url + '/login')).text();
	return [...html.matchAll(/(\/_app\/immutable\/[^"']+\.js)/g)].map((m) => m[1]!);
}
