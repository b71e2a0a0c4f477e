/** CORS: listed origins may call the API with a token; cookies stay same-origin. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from './support/app.ts';
import { client, signUp, type Client } from './support/http.ts';

const allowed = 'https://dashboard.example';
let t: TestApp;
let api: Client;
beforeAll(async () => {
	t = await startTestApp({ CORS_ORIGINS: `${allowed}, https://other.example` });
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
		expect(no.status).toBe(403);
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
	});

	it('rejects a bad CORS_ORIGINS value at startup', async () => {
		const { readConfig } = await import('../../src/lib/server/config.ts');
		expect(() => readConfig({ CORS_ORIGINS: 'https://ok.example, not an origin' })).toThrow(
			/CORS_ORIGINS/
		);
		expect(() => readConfig({ CORS_ORIGINS: 'https://ok.example/path' })).toThrow(/CORS_ORIGINS/);
	});
});
