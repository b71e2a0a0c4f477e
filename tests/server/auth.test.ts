/**
 * Accounts and sessions over /api/v1: signup, login, logout, /me, login throttling, the
 * cookie-auth CSRF guard and the admin account switch.
 */
import http from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from './support/app.ts';
import {
	client,
	createBoard,
	signUp,
	type ApiResponse,
	type Client,
	type TestUser
} from './support/http.ts';
import { responseChecker } from './support/openapi.ts';
import { expectProblem } from './support/problem.ts';

const password = 'a long enough passphrase';
const evilOrigin = 'https://evil.example';

let seq = 0;
function uniqueEmail(prefix = 'user'): string {
	return `${prefix}.${Date.now().toString(36)}.${++seq}@example.com`;
}

/** The session cookie's Set-Cookie line (attributes included). */
function sessionSetCookie(res: ApiResponse): string {
	const line = res.headers.getSetCookie().find((c) => /^tf_session=/.test(c));
	if (!line)
		throw new Error(`no tf_session cookie in ${JSON.stringify(res.headers.getSetCookie())}`);
	return line;
}

/** `name=value` of the session cookie, ready to send back in a Cookie header. */
function cookiePair(res: ApiResponse): string {
	return sessionSetCookie(res).split(';')[0]!;
}

function cookieAttributes(line: string): string[] {
	return line
		.split(';')
		.slice(1)
		.map((a) => a.trim().toLowerCase());
}

/** A raw `fetch` response in the shape of the test client's answers. */
/** A raw fetch answer as the client helper returns it, checked against the OpenAPI document. */
async function toApiResponse(res: Response, method: string): Promise<ApiResponse> {
	const text = await res.text();
	const type = res.headers.get('content-type') ?? '';
	const body = text && type.includes('json') ? JSON.parse(text) : text;
	const url = new URL(res.url);
	responseChecker().check({ method, url, status: res.status, headers: res.headers, body, text });
	return { status: res.status, headers: res.headers, body };
}

/** One request over `agent` (keep-alive, one socket), so consecutive calls share a connection. */
function sendOn(
	agent: http.Agent,
	url: URL,
	method: string,
	body?: string
): Promise<{ status: number; type: string; text: string }> {
	return new Promise((resolve, reject) => {
		const headers: Record<string, string | number> = body
			? { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) }
			: {};
		const req = http.request(url, { method, agent, headers, timeout: 3000 }, (res) => {
			let text = '';
			res.setEncoding('utf8');
			res.on('data', (c: string) => (text += c));
			res.on('end', () =>
				resolve({ status: res.statusCode ?? 0, type: res.headers['content-type'] ?? '', text })
			);
		});
		req.on('timeout', () => req.destroy(new Error(`${method} ${url.pathname} timed out`)));
		req.on('error', reject);
		req.end(body);
	});
}

async function signupRaw(api: Client, body: Record<string, unknown>) {
	return api.post('/api/v1/auth/signup', body);
}

/** Signs up with the given fields and returns the account as signing in shows it. */
async function signUpAs(api: Client, body: { name: string; email: string; password: string }) {
	expect((await signupRaw(api, body)).status).toBe(202);
	const res = await login(api, body.email, body.password);
	expect(res.status).toBe(200);
	return res.body.user as { id: string };
}

async function login(
	api: Client,
	email: string,
	pw: string,
	headers: Record<string, string> = {}
): Promise<ApiResponse> {
	return api.post('/api/v1/auth/login', { email, password: pw }, { headers });
}

describe('accounts and sessions', () => {
	let t: TestApp;
	let api: Client;
	let origin: string;
	/** The first account of this database, hence its admin. */
	let admin: TestUser;

	beforeAll(async () => {
		t = await startTestApp();
		api = client(t.url);
		origin = new URL(t.url).origin;
		admin = await signUp(api, 'Workspace Admin');
	});
	afterAll(async () => {
		await t?.stop();
	});

	describe('POST /api/v1/auth/signup', () => {
		it('makes the first account an admin and later ones plain users', async () => {
			expect(admin.role).toBe('admin');
			const me = await api.get('/api/v1/me', { token: admin.token });
			expect(me.body.role).toBe('admin');

			const email = uniqueEmail('second');
			const second = await signupRaw(api, { name: 'Second Person', email, password });
			expect(second.status).toBe(202);
			const signedIn = await login(api, email, password);
			expect(signedIn.status).toBe(200);
			expect(signedIn.body.user.role).toBe('user');

			const third = await signUp(api, 'Third Person');
			expect(third.role).toBe('user');
		});

		it('answers 202 with a neutral body and no session; the account then signs in', async () => {
			const email = uniqueEmail('Created');
			const res = await signupRaw(api, { name: '  Ada Lovelace  ', email, password });
			expect(res.status).toBe(202);
			expect(res.headers.get('content-type')).toMatch(/^application\/json\b/);
			expect(res.body).toEqual({ detail: expect.any(String) });
			expect(res.headers.getSetCookie()).toEqual([]);

			const signedIn = await login(api, email, password);
			expect(signedIn.status).toBe(200);
			expect(signedIn.body.user).toMatchObject({
				id: expect.stringMatching(/^[0-9a-f-]{36}$/),
				email: email.toLowerCase(),
				name: 'Ada Lovelace',
				role: 'user',
				disabledAt: null,
				createdAt: expect.any(String)
			});
			expect(Number.isNaN(Date.parse(signedIn.body.user.createdAt))).toBe(false);
			expect(JSON.stringify(signedIn.body)).not.toContain('argon2');

			const line = sessionSetCookie(signedIn);
			expect(cookiePair(signedIn)).toBe(`tf_session=${signedIn.body.sessionToken}`);
			const attrs = cookieAttributes(line);
			expect(attrs).toContain('httponly');
			expect(attrs).toContain('samesite=lax');
			expect(attrs).toContain('path=/');
			// Plain http: a Secure cookie would never be sent back, and __Host- needs https.
			expect(attrs).not.toContain('secure');
			expect(signedIn.headers.getSetCookie().some((c) => c.startsWith('__Host-'))).toBe(false);

			// Both the token and the cookie authenticate.
			const byToken = await api.get('/api/v1/me', { token: signedIn.body.sessionToken });
			expect(byToken.status).toBe(200);
			expect(byToken.body.id).toBe(signedIn.body.user.id);
			const byCookie = await api.get('/api/v1/me', { cookie: cookiePair(signedIn) });
			expect(byCookie.status).toBe(200);
			expect(byCookie.body.id).toBe(signedIn.body.user.id);
		});

		it('answers a taken email exactly like a free one, case-insensitively, and changes nothing', async () => {
			const email = uniqueEmail('dup');
			const first = await signupRaw(api, { name: 'Dup One', email, password });
			expect(first.status).toBe(202);

			const other = 'another long passphrase';
			for (const again of [email, `  ${email.toUpperCase()} `]) {
				const res = await signupRaw(api, { name: 'Dup Two', email: again, password: other });
				expect(res.status).toBe(202);
				expect(res.body).toEqual(first.body);
				expect(res.headers.getSetCookie()).toEqual([]);
			}
			// The account is the first one, with its own password and name.
			const signedIn = await login(api, email, password);
			expect(signedIn.status).toBe(200);
			expect(signedIn.body.user.name).toBe('Dup One');
			expectProblem(await login(api, email, other), 401);
		});

		it('stores a mixed-case email in lower case, so a later lower-case signup is the same account', async () => {
			const email = uniqueEmail('MiXeD');
			expect((await signupRaw(api, { name: 'Mixed', email, password })).status).toBe(202);
			const signedIn = await login(api, email.toLowerCase(), password);
			expect(signedIn.status).toBe(200);
			expect(signedIn.body.user.email).toBe(email.toLowerCase());
			const again = await signupRaw(api, {
				name: 'Mixed 2',
				email: email.toLowerCase(),
				password: 'another long passphrase'
			});
			expect(again.status).toBe(202);
			expectProblem(await login(api, email, 'another long passphrase'), 401);
		});

		it.each([
			['missing name', { email: 'x@example.com', password }, 'name'],
			['blank name', { name: '   ', email: 'x@example.com', password }, 'name'],
			['name of the wrong type', { name: 42, email: 'x@example.com', password }, 'name'],
			['bad email', { name: 'Bad Email', email: 'not-an-email', password }, 'email'],
			['missing email', { name: 'No Email', password }, 'email'],
			['missing password', { name: 'No Password', email: 'x@example.com' }, 'password'],
			['short password', { name: 'Short', email: 'x@example.com', password: 'abc123' }, 'password'],
			[
				'common password',
				{ name: 'Common', email: 'x@example.com', password: 'password123' },
				'password'
			],
			[
				'common password in another case',
				{ name: 'Common', email: 'x@example.com', password: 'PASSWORD123' },
				'password'
			]
		])('answers 422 with field errors for %s', async (_what, body, field) => {
			const res = await signupRaw(api, body);
			expectProblem(res, 422);
			expect(res.body.errors).toEqual(expect.any(Object));
			expect(res.body.errors[field]).toEqual(expect.any(String));
			expect(res.headers.getSetCookie()).toEqual([]);
		});

		it('does not create the account when validation fails', async () => {
			const email = uniqueEmail('rejected');
			expectProblem(await signupRaw(api, { name: 'R', email, password: 'password123' }), 422);
			expectProblem(await login(api, email, password), 401);
			// The same email is still free.
			expect((await signupRaw(api, { name: 'R', email, password })).status).toBe(202);
			expect((await login(api, email, password)).status).toBe(200);
		});

		it('answers 400 for malformed JSON', async () => {
			const res = await api.post('/api/v1/auth/signup', undefined, {
				raw: '{"name": "Broken", "email": '
			});
			expectProblem(res, 400);
		});

		it('answers 415 for a body that is not JSON', async () => {
			const xml = await api.post('/api/v1/auth/signup', undefined, {
				raw: '<signup><name>X</name></signup>',
				contentType: 'application/xml'
			});
			expectProblem(xml, 415);

			// A browser-style form post from our own origin gets past SvelteKit's form CSRF check
			// and must still be refused as the wrong media type.
			for (const contentType of ['application/x-www-form-urlencoded', 'text/plain']) {
				const res = await api.post('/api/v1/auth/signup', undefined, {
					raw: `name=X&email=${encodeURIComponent(uniqueEmail('form'))}&password=${encodeURIComponent(password)}`,
					contentType,
					headers: { origin }
				});
				expectProblem(res, 415);
			}

			// No content type at all is not JSON either.
			const none = await fetch(new URL('/api/v1/auth/signup', t.url), {
				method: 'POST',
				body: new Uint8Array(Buffer.from('{}'))
			});
			expect(none.headers.get('content-type')).toMatch(/problem\+json/);
			expectProblem(await toApiResponse(none, 'POST'), 415);
		});

		it('accepts a JSON content type with parameters', async () => {
			const res = await api.post('/api/v1/auth/signup', undefined, {
				raw: JSON.stringify({ name: 'Charset', email: uniqueEmail('charset'), password }),
				contentType: 'application/json; charset=utf-8'
			});
			expect(res.status).toBe(202);
		});

		it('answers 413 for a body over 256 KiB, declared or streamed', async () => {
			const limit = 256 * 1024;
			const over = JSON.stringify({ name: 'Big', email: 'big@example.com', pad: '' });
			const padded = (size: number) =>
				over.replace('"pad":""', `"pad":"${'a'.repeat(size - over.length)}"`);

			const tooBig = padded(limit + 1);
			expect(Buffer.byteLength(tooBig)).toBe(limit + 1);
			expectProblem(await api.post('/api/v1/auth/signup', undefined, { raw: tooBig }), 413);

			// Exactly at the limit the body is read and validated (no password: 422, not 413).
			const atLimit = padded(limit);
			expect(Buffer.byteLength(atLimit)).toBe(limit);
			expectProblem(await api.post('/api/v1/auth/signup', undefined, { raw: atLimit }), 422);

			// Without a Content-Length (chunked), the limit holds while reading.
			const bytes = Buffer.from(padded(300 * 1024));
			const stream = new ReadableStream<Uint8Array>({
				start(controller) {
					for (let i = 0; i < bytes.length; i += 16 * 1024) {
						controller.enqueue(new Uint8Array(bytes.subarray(i, i + 16 * 1024)));
					}
					controller.close();
				}
			});
			const res = await fetch(new URL('/api/v1/auth/signup', t.url), {
				method: 'POST',
				headers: { 'content-type': 'application/json' },
				body: stream,
				duplex: 'half'
			} as RequestInit & { duplex: 'half' });
			expect(res.headers.get('content-length')).not.toBe(String(bytes.length));
			expectProblem(await toApiResponse(res, 'POST'), 413);
		});

		it('keeps the connection usable after refusing a large body', async () => {
			const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
			try {
				const body = JSON.stringify({ pad: 'a'.repeat(300 * 1024) });
				const refused = await sendOn(agent, new URL('/api/v1/auth/signup', t.url), 'POST', body);
				expect(refused.status).toBe(413);
				expect(refused.type).toMatch(/^application\/problem\+json\b/);
				expect(JSON.parse(refused.text)).toMatchObject({ status: 413, type: expect.any(String) });
				// The next request on the same keep-alive socket is answered, not stalled.
				const next = await sendOn(agent, new URL('/api/v1/me', t.url), 'GET');
				expect(next.status).toBe(401);
				expect(next.type).toMatch(/^application\/problem\+json\b/);
			} finally {
				agent.destroy();
			}
		});
	});

	describe('POST /api/v1/auth/login', () => {
		let email: string;
		let userId: string;

		beforeAll(async () => {
			email = uniqueEmail('login');
			userId = (await signUpAs(api, { name: 'Login Person', email, password })).id;
		});

		it('answers 200 with the user, a session token and a cookie', async () => {
			const res = await login(api, email, password);
			expect(res.status).toBe(200);
			expect(Object.keys(res.body).sort()).toEqual(['sessionToken', 'user']);
			expect(res.body.user).toMatchObject({
				id: userId,
				email,
				name: 'Login Person',
				role: 'user',
				disabledAt: null
			});
			expect(res.body.user).not.toHaveProperty('password_hash');
			expect(res.body.sessionToken).toEqual(expect.any(String));
			const attrs = cookieAttributes(sessionSetCookie(res));
			expect(cookiePair(res)).toBe(`tf_session=${res.body.sessionToken}`);
			expect(attrs).toContain('httponly');
			expect(attrs).toContain('samesite=lax');
			expect(attrs).not.toContain('secure');

			const me = await api.get('/api/v1/me', { token: res.body.sessionToken });
			expect(me.status).toBe(200);
			expect(me.body.id).toBe(userId);
		});

		it('matches the email case-insensitively and ignores surrounding spaces', async () => {
			const res = await login(api, `  ${email.toUpperCase()}  `, password);
			expect(res.status).toBe(200);
			expect(res.body.user.id).toBe(userId);
		});

		it('issues a new session token on every login, never reusing a planted one', async () => {
			const a = await login(api, email, password);
			const b = await login(api, email, password);
			expect(a.status).toBe(200);
			expect(b.status).toBe(200);
			expect(a.body.sessionToken).not.toBe(b.body.sessionToken);

			// Logging in while carrying a session cookie still yields a fresh session.
			const c = await api.post(
				'/api/v1/auth/login',
				{ email, password },
				{ cookie: cookiePair(a), headers: { origin } }
			);
			expect(c.status).toBe(200);
			expect(c.body.sessionToken).not.toBe(a.body.sessionToken);
			expect(c.body.sessionToken).not.toBe(b.body.sessionToken);
			expect(cookiePair(c)).toBe(`tf_session=${c.body.sessionToken}`);

			for (const token of [a.body.sessionToken, b.body.sessionToken, c.body.sessionToken]) {
				expect((await api.get('/api/v1/me', { token })).status).toBe(200);
			}
		});

		it('answers 401 with the same problem for an unknown email and a wrong password', async () => {
			const unknown = await login(api, uniqueEmail('nobody'), password);
			const wrong = await login(api, email, 'not the right passphrase');
			expectProblem(unknown, 401);
			expectProblem(wrong, 401);
			expect(wrong.body.detail).toBe(unknown.body.detail);
			expect(wrong.body.title).toBe(unknown.body.title);
			expect(wrong.body.type).toBe(unknown.body.type);
			expect(Object.keys(wrong.body).sort()).toEqual(Object.keys(unknown.body).sort());
			expect(unknown.body).not.toHaveProperty('errors');
			expect(unknown.headers.getSetCookie()).toEqual([]);
			expect(wrong.headers.getSetCookie()).toEqual([]);
		});

		it('answers 422 for a missing field and 400 for malformed JSON', async () => {
			const missing = await api.post('/api/v1/auth/login', { email });
			expectProblem(missing, 422);
			expect(missing.body.errors.password).toEqual(expect.any(String));
			const empty = await api.post('/api/v1/auth/login', { email: '', password: '' });
			expectProblem(empty, 422);
			expect(empty.body.errors).toHaveProperty('email');
			expectProblem(await api.post('/api/v1/auth/login', undefined, { raw: '{nope' }), 400);
			expectProblem(
				await api.post('/api/v1/auth/login', undefined, {
					raw: 'email=a',
					contentType: 'application/xml'
				}),
				415
			);
		});
	});

	describe('POST /api/v1/auth/logout and GET /api/v1/me', () => {
		it('GET /me answers 200 with the signed-in user and 401 otherwise', async () => {
			const user = await signUp(api, 'Me Person');
			const me = await api.get('/api/v1/me', { token: user.token });
			expect(me.status).toBe(200);
			expect(me.body).toMatchObject({
				id: user.id,
				email: user.email,
				name: 'Me Person',
				role: 'user',
				disabledAt: null,
				createdAt: expect.any(String)
			});
			expect(me.body).not.toHaveProperty('sessionToken');

			const anonymous = await api.get('/api/v1/me');
			expectProblem(anonymous, 401);
			expect(anonymous.headers.get('www-authenticate')).toMatch(/^Bearer/);

			expectProblem(await api.get('/api/v1/me', { token: 'x'.repeat(40) }), 401);
			expectProblem(await api.get('/api/v1/me', { token: 'not a token' }), 401);
			expectProblem(await api.get('/api/v1/me', { cookie: `tf_session=${'y'.repeat(40)}` }), 401);
		});

		it('logs out a bearer session: 204, then the token gets 401', async () => {
			const user = await signUp(api, 'Bearer Logout');
			const other = await login(api, user.email, password);
			expect(other.status).toBe(200);

			const res = await api.post('/api/v1/auth/logout', undefined, { token: user.token });
			expect(res.status).toBe(204);
			expect(res.body).toBe('');
			expectProblem(await api.get('/api/v1/me', { token: user.token }), 401);
			expectProblem(await api.get('/api/v1/me', { cookie: `tf_session=${user.token}` }), 401);
			// Only that session ended.
			expect((await api.get('/api/v1/me', { token: other.body.sessionToken })).status).toBe(200);
		});

		it('logs out a cookie session: 204, clears the cookie, then the old cookie gets 401', async () => {
			const user = await signUp(api, 'Cookie Logout');
			const signedIn = await login(api, user.email, password);
			const cookie = cookiePair(signedIn);
			expect((await api.get('/api/v1/me', { cookie })).status).toBe(200);

			const res = await api.post('/api/v1/auth/logout', undefined, {
				cookie,
				headers: { origin }
			});
			expect(res.status).toBe(204);
			const cleared = sessionSetCookie(res);
			expect(cleared).toMatch(/^tf_session=;/);
			const attrs = cookieAttributes(cleared);
			expect(
				attrs.includes('max-age=0') ||
					attrs.some((a) => a.startsWith('expires=') && Date.parse(a.slice(8)) < Date.now())
			).toBe(true);

			expectProblem(await api.get('/api/v1/me', { cookie }), 401);
			expectProblem(await api.get('/api/v1/me', { token: signedIn.body.sessionToken }), 401);
			// The signup session is separate and still valid.
			expect((await api.get('/api/v1/me', { token: user.token })).status).toBe(200);
		});

		it('answers 204 to a logout without a session', async () => {
			const res = await api.post('/api/v1/auth/logout');
			expect(res.status).toBe(204);
		});
	});

	describe('cross-site forms and unsupported methods', () => {
		it('refuses a cross-site form-encoded API POST with problem+json, creating nothing', async () => {
			const res = await api.post('/api/v1/auth/signup', undefined, {
				raw: `name=X&email=${encodeURIComponent(uniqueEmail('form'))}&password=${encodeURIComponent(password)}`,
				contentType: 'application/x-www-form-urlencoded',
				headers: { origin: evilOrigin }
			});
			expectProblem(res, 403);
		});

		it('refuses a cross-site login form post to the page (login CSRF)', async () => {
			const res = await api.post('/login', undefined, {
				raw: 'email=a%40b.c&password=whatever',
				contentType: 'application/x-www-form-urlencoded',
				headers: { origin: evilOrigin }
			});
			expect(res.status).toBe(403);
		});

		it('answers an unsupported method with a problem+json 405', async () => {
			const res = await api.request('PUT', '/api/v1/boards', { title: 'x' });
			expectProblem(res, 405);
		});

		it('answers a path that is not validly percent-encoded with a problem+json 400', async () => {
			for (const path of ['/api/v1/boards/%zz', '/api/v1/boards/%C0%AE']) {
				const res = await fetch(new URL(path, t.url));
				expect(res.status).toBe(400);
				expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json\b/);
				expect(await res.json()).toMatchObject({ status: 400, instance: path });
			}
			// A page's malformed path is Kit's own 400 page, with its message.
			const page = await fetch(new URL('/boards/%zz', t.url));
			expect(page.status).toBe(400);
			expect(await page.text()).toContain('Malformed URI');
		});

		it('reports every invalid signup field at once', async () => {
			const res = await api.post('/api/v1/auth/signup', {
				name: '',
				email: 'nope',
				password: 'short'
			});
			expectProblem(res, 422);
			expect(Object.keys(res.body.errors).sort()).toEqual(['email', 'name', 'password']);
		});
	});

	describe('cookie-authenticated CSRF guard', () => {
		let cookie: string;
		let token: string;

		beforeAll(async () => {
			const email = uniqueEmail('csrf');
			expect((await signupRaw(api, { name: 'Csrf Person', email, password })).status).toBe(202);
			const res = await login(api, email, password);
			expect(res.status).toBe(200);
			cookie = cookiePair(res);
			token = res.body.sessionToken;
		});

		async function boardCount(): Promise<number> {
			const res = await api.get('/api/v1/boards', { token });
			expect(res.status).toBe(200);
			return res.body.items.length;
		}

		it('refuses a cookie-authenticated POST from another origin with 403', async () => {
			const before = await boardCount();
			const res = await api.post(
				'/api/v1/boards',
				{ title: 'Forged' },
				{ cookie, headers: { origin: evilOrigin } }
			);
			expectProblem(res, 403);
			expect(await boardCount()).toBe(before);
		});

		it('refuses Origin: null and a cross-site Sec-Fetch-Site without Origin', async () => {
			expectProblem(
				await api.post(
					'/api/v1/boards',
					{ title: 'Null' },
					{ cookie, headers: { origin: 'null' } }
				),
				403
			);
			expectProblem(
				await api.post(
					'/api/v1/boards',
					{ title: 'Cross' },
					{ cookie, headers: { 'sec-fetch-site': 'cross-site' } }
				),
				403
			);
			// The same host on another scheme or port is another origin.
			const url = new URL(t.url);
			expectProblem(
				await api.post(
					'/api/v1/boards',
					{ title: 'Port' },
					{ cookie, headers: { origin: `http://${url.hostname}:1` } }
				),
				403
			);
			expectProblem(
				await api.post(
					'/api/v1/boards',
					{ title: 'Scheme' },
					{ cookie, headers: { origin: `https://${url.host}` } }
				),
				403
			);
		});

		it('accepts the same cookie-authenticated POST from the app origin', async () => {
			const res = await api.post(
				'/api/v1/boards',
				{ title: 'Same origin' },
				{ cookie, headers: { origin } }
			);
			expect(res.status).toBe(201);
			expect(res.body).toMatchObject({ title: 'Same origin', myRole: 'owner' });
			const sameSite = await api.post(
				'/api/v1/boards',
				{ title: 'Same site header' },
				{ cookie, headers: { 'sec-fetch-site': 'same-origin' } }
			);
			expect(sameSite.status).toBe(201);
		});

		it('guards PATCH and DELETE too, but not safe methods', async () => {
			const created = await api.post('/api/v1/boards', { title: 'Guarded' }, { token });
			expect(created.status).toBe(201);
			const board: { id: string } = created.body;
			expectProblem(
				await api.patch(
					`/api/v1/boards/${board.id}`,
					{ title: 'Renamed by evil' },
					{ cookie, headers: { origin: evilOrigin } }
				),
				403
			);
			expectProblem(
				await api.delete(`/api/v1/boards/${board.id}`, {
					cookie,
					headers: { origin: evilOrigin }
				}),
				403
			);
			const after = await api.get(`/api/v1/boards/${board.id}`, {
				cookie,
				headers: { origin: evilOrigin }
			});
			expect(after.status).toBe(200);
			expect(after.body.title).toBe('Guarded');
			expect(after.body.archivedAt).toBeNull();
		});

		it('does not apply the Origin check to bearer-token requests', async () => {
			const res = await api.post(
				'/api/v1/boards',
				{ title: 'Bearer from anywhere' },
				{ token, headers: { origin: evilOrigin } }
			);
			expect(res.status).toBe(201);
			expect(res.body.title).toBe('Bearer from anywhere');
		});

		it('does not let an invalid bearer token borrow the cookie session', async () => {
			const res = await api.post(
				'/api/v1/boards',
				{ title: 'Borrowed' },
				{ cookie, headers: { origin: evilOrigin, authorization: `Bearer ${'z'.repeat(40)}` } }
			);
			expectProblem(res, 401);
		});
	});

	describe('PATCH /api/v1/admin/users/:id', () => {
		it('answers 401 to anonymous callers and 403 to non-admins', async () => {
			const target = await signUp(api, 'Target One');
			expectProblem(await api.patch(`/api/v1/admin/users/${target.id}`, { disabled: true }), 401);
			const plain = await signUp(api, 'Plain User');
			const res = await api.patch(
				`/api/v1/admin/users/${target.id}`,
				{ disabled: true },
				{ token: plain.token }
			);
			expectProblem(res, 403);
			// A user cannot disable themselves either, nor make themselves admin.
			expectProblem(
				await api.patch(
					`/api/v1/admin/users/${plain.id}`,
					{ role: 'admin' },
					{ token: plain.token }
				),
				403
			);
			expect((await api.get('/api/v1/me', { token: plain.token })).body.role).toBe('user');
			expect((await api.get('/api/v1/me', { token: target.token })).status).toBe(200);
		});

		it('lets an admin disable an account: its sessions end and it cannot log in', async () => {
			const target = await signUp(api, 'Target Two');
			const second = await login(api, target.email, password);
			expect(second.status).toBe(200);
			const board = await createBoard(api, target, 'Soon orphaned');

			const res = await api.patch(
				`/api/v1/admin/users/${target.id}`,
				{ disabled: true },
				{ token: admin.token }
			);
			expect(res.status).toBe(200);
			expect(res.body).toMatchObject({ id: target.id, email: target.email });
			expect(res.body.disabledAt).toEqual(expect.any(String));

			expectProblem(await api.get('/api/v1/me', { token: target.token }), 401);
			expectProblem(await api.get('/api/v1/me', { token: second.body.sessionToken }), 401);
			expectProblem(await api.get(`/api/v1/boards/${board.id}`, { token: target.token }), 401);

			const denied = await login(api, target.email, password);
			expectProblem(denied, 401);
			const unknown = await login(api, uniqueEmail('ghost'), password);
			expect(denied.body.detail).toBe(unknown.body.detail);

			// Re-enabling lets them sign in again (with a new session).
			const enabled = await api.patch(
				`/api/v1/admin/users/${target.id}`,
				{ disabled: false },
				{ token: admin.token }
			);
			expect(enabled.status).toBe(200);
			expect(enabled.body.disabledAt).toBeNull();
			expect((await login(api, target.email, password)).status).toBe(200);
			expectProblem(await api.get('/api/v1/me', { token: target.token }), 401);
		});

		it('answers 404 for unknown or malformed ids and 422 for an empty change', async () => {
			const target = await signUp(api, 'Target Three');
			expectProblem(
				await api.patch(
					'/api/v1/admin/users/00000000-0000-4000-8000-000000000000',
					{ disabled: true },
					{ token: admin.token }
				),
				404
			);
			expectProblem(
				await api.patch(
					'/api/v1/admin/users/not-a-uuid',
					{ disabled: true },
					{ token: admin.token }
				),
				404
			);
			const empty = await api.patch(`/api/v1/admin/users/${target.id}`, {}, { token: admin.token });
			expectProblem(empty, 422);
			expectProblem(
				await api.patch(
					`/api/v1/admin/users/${target.id}`,
					{ disabled: 'yes' },
					{ token: admin.token }
				),
				422
			);
			expect((await api.get('/api/v1/me', { token: target.token })).status).toBe(200);
		});
	});
});

describe('login throttling at the default limits (5 per account, 20 per address)', () => {
	let t: TestApp;
	let api: Client;

	beforeAll(async () => {
		t = await startTestApp();
		api = client(t.url);
	});
	afterAll(async () => {
		await t?.stop();
	});

	it('answers 429 with Retry-After after 5 failures for one account, even with the right password', async () => {
		const user = await signUp(api, 'Throttled Account');
		for (let i = 0; i < 5; i++) {
			expectProblem(await login(api, user.email, `wrong passphrase ${i}`), 401);
		}
		const res = await login(api, user.email, password);
		expectProblem(res, 429);
		const retryAfter = res.headers.get('retry-after');
		expect(retryAfter).toMatch(/^\d+$/);
		expect(Number(retryAfter)).toBeGreaterThan(0);
		expect(Number(retryAfter)).toBeLessThanOrEqual(900);
		expect(res.headers.getSetCookie()).toEqual([]);

		// The account key ignores case, so changing it does not help.
		expectProblem(await login(api, user.email.toUpperCase(), password), 429);
		// The existing session is not affected, and other accounts can still sign in.
		expect((await api.get('/api/v1/me', { token: user.token })).status).toBe(200);
		const other = await signUp(api, 'Unaffected');
		expect((await login(api, other.email, password)).status).toBe(200);
	});
});

describe('login throttling per address at the default limit', () => {
	let t: TestApp;
	let api: Client;

	beforeAll(async () => {
		t = await startTestApp();
		api = client(t.url);
	});
	afterAll(async () => {
		await t?.stop();
	});

	it('allows 20 failures across accounts, then refuses the 21st attempt', async () => {
		const victim = await signUp(api, 'Fresh Victim');
		const accounts = await Promise.all(
			Array.from({ length: 4 }, (_, i) => signUp(api, `Sprayed ${i}`))
		);
		// 4 real accounts x 4 failures (each under the per-account 5), then unknown emails.
		for (const account of accounts) {
			for (let i = 0; i < 4; i++) {
				expectProblem(await login(api, account.email, `wrong ${i}`), 401);
			}
		}
		for (let i = 0; i < 3; i++) {
			expectProblem(await login(api, uniqueEmail('unknown'), password), 401);
		}
		// 19 failures so far: the right password still works and does not reset the address count.
		expect((await login(api, victim.email, password)).status).toBe(200);
		expectProblem(await login(api, uniqueEmail('unknown'), password), 401);
		const res = await login(api, victim.email, password);
		expectProblem(res, 429);
		expect(res.headers.get('retry-after')).toMatch(/^\d+$/);
	});
});

describe('login throttling with configured limits', () => {
	describe('a short window', () => {
		let t: TestApp;
		let api: Client;

		beforeAll(async () => {
			t = await startTestApp({
				LOGIN_MAX_PER_ACCOUNT: '2',
				LOGIN_MAX_PER_IP: '50',
				LOGIN_WINDOW_SECONDS: '1'
			});
			api = client(t.url);
		});
		afterAll(async () => {
			await t?.stop();
		});

		it('honours LOGIN_MAX_PER_ACCOUNT and lifts the block when the window ends', async () => {
			const user = await signUp(api, 'Window User');
			expectProblem(await login(api, user.email, 'wrong one'), 401);
			expectProblem(await login(api, user.email.toUpperCase(), 'wrong two'), 401);
			const blocked = await login(api, user.email, password);
			expectProblem(blocked, 429);
			expect(blocked.headers.get('retry-after')).toBe('1');

			await new Promise((r) => setTimeout(r, 1200));
			expect((await login(api, user.email, password)).status).toBe(200);
		});

		it('clears the per-account count after a successful login', async () => {
			const user = await signUp(api, 'Reset User');
			expectProblem(await login(api, user.email, 'wrong'), 401);
			expect((await login(api, user.email, password)).status).toBe(200);
			expectProblem(await login(api, user.email, 'wrong again'), 401);
			expect((await login(api, user.email, password)).status).toBe(200);
		});
	});

	describe('a forged X-Forwarded-For', () => {
		let t: TestApp;
		let api: Client;

		beforeAll(async () => {
			t = await startTestApp({ LOGIN_MAX_PER_ACCOUNT: '100', LOGIN_MAX_PER_IP: '3' });
			api = client(t.url);
		});
		afterAll(async () => {
			await t?.stop();
		});

		it('does not reset or split the per-address limit', async () => {
			const victim = await signUp(api, 'Forwarded Victim');
			for (let i = 0; i < 3; i++) {
				const spoof = `203.0.113.${i + 1}`;
				expectProblem(
					await login(api, uniqueEmail('xff'), password, {
						'x-forwarded-for': spoof,
						'x-real-ip': spoof,
						forwarded: `for=${spoof}`
					}),
					401
				);
			}
			for (const spoof of ['198.51.100.7', '10.0.0.1, 198.51.100.8', '::1']) {
				const res = await login(api, victim.email, password, {
					'x-forwarded-for': spoof,
					'x-real-ip': spoof.split(',')[0]!,
					forwarded: `for="${spoof.split(',')[0]!}"`
				});
				expectProblem(res, 429);
				expect(res.headers.get('retry-after')).toMatch(/^\d+$/);
			}
		});
	});
});
