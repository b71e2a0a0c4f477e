/** CORS: listed origins may call the API with a token; cookies stay same-origin. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from './support/app.ts';
import { client, signUp, type ApiResponse, type Client } from './support/http.ts';
import { expectProblem } from './support/problem.ts';

const allowed = 'https://dashboard.example';
let t: TestApp;
let api: Client;
beforeAll(async () => {
	// A limit the refusal test reaches quickly: it is counted per API token, and the other tests'
	// calls by address stay far below it.
	t = await startTestApp({
		CORS_ORIGINS: `${allowed}, https://other.example`,
		API_RATE_LIMIT: '20'
	});
	api = client(t.url);
});
afterAll(async () => {
	await t?.stop();
});

describe('CORS', () => {
	it('answers a preflight from a listed origin, and refuses others', async () => {
		const ok = await api.request('OPTIONS', '/api/v1/boards', undefined, {
			headers: { origin: allowed, 'access-control-request-method': 'POST' }
		});
		expect(ok.status).toBe(204);
		expect(ok.headers.get('access-control-allow-origin')).toBe(allowed);
		expect(ok.headers.get('access-control-allow-headers')).toContain('authorization');
		expect(ok.headers.get('access-control-allow-credentials')).toBeNull();
		const no = await api.request('OPTIONS', '/api/v1/boards', undefined, {
			headers: { origin: 'https://evil.example', 'access-control-request-method': 'POST' }
		});
		expectProblem(no, 403);
		expect(no.body.detail).toContain('CORS_ORIGINS');
		expect(no.headers.get('x-request-id')).toBeTruthy();
		expect(no.headers.get('access-control-allow-origin')).toBeNull();
	});

	it('lets a listed origin write with a token but never with a cookie', async () => {
		const ana = await signUp(api, 'Ana');
		const token = (
			await api.post('/api/v1/tokens', { name: 'dash', scope: 'read-write' }, { token: ana.token })
		).body.token as string;
		const withToken = await api.post(
			'/api/v1/boards',
			{ title: 'From the dashboard' },
			{
				token,
				headers: { origin: allowed }
			}
		);
		expect(withToken.status).toBe(201);
		expect(withToken.headers.get('access-control-allow-origin')).toBe(allowed);
		const withCookie = await api.post(
			'/api/v1/boards',
			{ title: 'Ride' },
			{
				cookie: `tf_session=${ana.token}`,
				headers: { origin: allowed }
			}
		);
		expect(withCookie.status).toBe(403);
		// A refusal is readable by the listed origin (no credentials are allowed, so a page that
		// sent the cookie still cannot read it).
		expect(withCookie.headers.get('access-control-allow-origin')).toBe(allowed);
	});

	it('lets a listed origin read refusals: the rate limit, a read-only token, no token', async () => {
		const bo = await signUp(api, 'Bo');
		const newToken = async (scope: 'read' | 'read-write') =>
			(await api.post('/api/v1/tokens', { name: scope, scope }, { token: bo.token })).body
				.token as string;
		const reader = await newToken('read');
		const write = await api.post(
			'/api/v1/boards',
			{ title: 'Not with a read token' },
			{ token: reader, headers: { origin: allowed } }
		);
		expect(write.status).toBe(403);
		expect(write.headers.get('access-control-allow-origin')).toBe(allowed);
		// Refused, and counted: a client repeating a refused write meets the rate limit too.
		expect(write.headers.get('ratelimit-remaining')).toBe('19');
		const anonymous = await api.get('/api/v1/me', { headers: { origin: allowed } });
		expect(anonymous.status).toBe(401);
		expect(anonymous.headers.get('access-control-allow-origin')).toBe(allowed);

		const script = await newToken('read-write');
		let refused: ApiResponse | null = null;
		for (let i = 0; i <= 20 && !refused; i++) {
			const answer = await api.get('/api/v1/me', { token: script, headers: { origin: allowed } });
			if (answer.status === 429) refused = answer;
			else expect(answer.status).toBe(200);
		}
		expect(refused?.status).toBe(429);
		expect(refused?.headers.get('access-control-allow-origin')).toBe(allowed);
		expect(refused?.headers.get('access-control-expose-headers')).toContain('retry-after');
		expect(refused?.headers.get('retry-after')).toMatch(/^\d+$/);
		expect(refused?.headers.get('content-type')).toContain('application/problem+json');
		// A body over the server's limit is refused unread, and still answered through the
		// handles: CORS, the request id and the rate limit's headers.
		const huge = await api.post(
			'/api/v1/boards',
			{ title: 'x'.repeat(600 * 1024) },
			{ token: bo.token, headers: { origin: allowed } }
		);
		expect(huge.status).toBe(413);
		expect(huge.headers.get('access-control-allow-origin')).toBe(allowed);
		expect(huge.headers.get('x-request-id')).toBeTruthy();
		expect(huge.headers.get('ratelimit-remaining')).toMatch(/^\d+$/);
		// The marker is the server's own: a client sending it is not refused for it.
		const forged = await api.post(
			'/api/v1/boards',
			{ title: 'Small' },
			{ token: bo.token, headers: { 'x-taskflow-oversized-body': '1' } }
		);
		expect(forged.status).toBe(201);
		expect(huge.body).toMatchObject({
			status: 413,
			detail: 'The body is larger than 524288 bytes.'
		});
		// Still nothing for an origin that is not listed.
		const stranger = await api.get('/api/v1/me', {
			token: script,
			headers: { origin: 'https://evil.example' }
		});
		expect(stranger.status).toBe(429);
		expect(stranger.headers.get('access-control-allow-origin')).toBeNull();
	});

	it('rejects a bad CORS_ORIGINS value at startup', async () => {
		const { readConfig } = await import('../../src/lib/server/config.ts');
		expect(() => readConfig({ CORS_ORIGINS: 'https://ok.example, not an origin' })).toThrow(
			/CORS_ORIGINS/
		);
		expect(() => readConfig({ CORS_ORIGINS: 'https://ok.example/path' })).toThrow(/CORS_ORIGINS/);
	});
});
