/** API rate limits: per client address for sessions, per token for tokens; 429 then reset. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from './support/app.ts';
import { client, signUp, type Client } from './support/http.ts';
import { expectProblem } from './support/problem.ts';

const limit = 5;
let t: TestApp;
let api: Client;
beforeAll(async () => {
	// A wide login limit so signing up the fixtures does not eat into the API budget checks.
	t = await startTestApp({ API_RATE_LIMIT: String(limit), API_RATE_WINDOW_SECONDS: '2' });
	api = client(t.url);
});
afterAll(async () => {
	await t?.stop();
});

async function waitForWindow() {
	await new Promise((r) => setTimeout(r, 2100));
}

describe('API rate limits', () => {
	it('answers 429 with Retry-After at the configured count and resets after the window', async () => {
		await waitForWindow();
		for (let i = 1; i <= limit; i++) {
			const res = await api.get('/api/v1/me');
			expect(res.status).toBe(401);
			expect(res.headers.get('ratelimit-limit')).toBe(String(limit));
			expect(res.headers.get('ratelimit-remaining')).toBe(String(limit - i));
		}
		const refused = await api.get('/api/v1/me');
		expectProblem(refused, 429);
		expect(Number(refused.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
		expect(refused.headers.get('ratelimit-remaining')).toBe('0');
		await waitForWindow();
		expect((await api.get('/api/v1/me')).status).toBe(401);
	});

	it('counts a token separately from its client address', async () => {
		await waitForWindow();
		const ana = await signUp(api, 'Ana');
		const created = await api.post(
			'/api/v1/tokens',
			{ name: 'n', scope: 'read' },
			{ token: ana.token }
		);
		expect(created.status).toBe(201);
		// Spend the rest of the address budget (signup and token creation counted too).
		for (let i = 0; i < limit; i++) await api.get('/api/v1/me');
		expectProblem(await api.get('/api/v1/me'), 429);
		const withToken = await api.get('/api/v1/me', { token: created.body.token });
		expect(withToken.status).toBe(200);
		expect(withToken.headers.get('ratelimit-remaining')).toBe(String(limit - 1));
	});

	it('leaves pages and health checks alone', async () => {
		for (let i = 0; i < limit * 2; i++) expect((await api.get('/health')).status).toBe(200);
	});
});
