/**
 * A small HTTP client for tests: JSON in and out, bearer or cookie authentication. Every answer
 * from /api/v1 is checked against the OpenAPI document (support/openapi.ts); one that the
 * document does not describe fails the request, and with it the test.
 */
import { responseChecker } from './openapi.ts';

export interface ApiResponse<T = any> {
	status: number;
	headers: Headers;
	body: T;
}

export interface RequestOptions {
	token?: string;
	cookie?: string;
	headers?: Record<string, string>;
	/** Raw body (already serialised); otherwise `json` is sent as application/json. */
	raw?: string | Uint8Array<ArrayBuffer>;
	contentType?: string;
}

export function client(baseUrl: string) {
	async function request<T = any>(
		method: string,
		path: string,
		json?: unknown,
		options: RequestOptions = {}
	): Promise<ApiResponse<T>> {
		const headers: Record<string, string> = { ...options.headers };
		if (options.token) headers.authorization = `Bearer ${options.token}`;
		if (options.cookie) headers.cookie = options.cookie;
		let body: string | Uint8Array<ArrayBuffer> | undefined;
		if (options.raw !== undefined) {
			body = options.raw;
			headers['content-type'] = options.contentType ?? 'application/json';
		} else if (json !== undefined) {
			body = JSON.stringify(json);
			headers['content-type'] = 'application/json';
		}
		const url = new URL(path, baseUrl);
		const response = await fetch(url, {
			method,
			headers,
			body,
			redirect: 'manual'
		});
		const text = await response.text();
		let parsed: unknown = text;
		const type = response.headers.get('content-type') ?? '';
		if (text && type.includes('json')) parsed = JSON.parse(text);
		responseChecker().check({
			method,
			url,
			status: response.status,
			headers: response.headers,
			body: parsed,
			text
		});
		return { status: response.status, headers: response.headers, body: parsed as T };
	}
	return {
		request,
		get: <T = any>(path: string, options?: RequestOptions) =>
			request<T>('GET', path, undefined, options),
		post: <T = any>(path: string, json?: unknown, options?: RequestOptions) =>
			request<T>('POST', path, json, options),
		patch: <T = any>(path: string, json?: unknown, options?: RequestOptions) =>
			request<T>('PATCH', path, json, options),
		delete: <T = any>(path: string, options?: RequestOptions) =>
			request<T>('DELETE', path, undefined, options)
	};
}

export type Client = ReturnType<typeof client>;

export interface TestUser {
	id: string;
	email: string;
	name: string;
	role: 'user' | 'admin';
	token: string;
}

let counter = 0;
/** Every test user's password (`signUp`). */
export const testPassword = 'a long enough passphrase';

/**
 * Signs up a fresh user through the real endpoints (sign-up answers 202 without a session, so
 * this signs in next) and returns its session token.
 */
export async function signUp(api: Client, name = `User ${++counter}`): Promise<TestUser> {
	const email = `${name.toLowerCase().replace(/\W+/g, '.')}.${Date.now()}.${counter}@example.com`;
	const password = testPassword;
	const res = await api.post('/api/v1/auth/signup', { name, email, password });
	if (res.status !== 202)
		throw new Error(`signup failed: ${res.status} ${JSON.stringify(res.body)}`);
	const login = await api.post('/api/v1/auth/login', { email, password });
	if (login.status !== 200)
		throw new Error(`login after signup failed: ${login.status} ${JSON.stringify(login.body)}`);
	const { user } = login.body;
	return { id: user.id, email, name, role: user.role, token: login.body.sessionToken };
}

export async function createBoard(
	api: Client,
	owner: TestUser,
	title = 'Test board'
): Promise<{ id: string }> {
	const res = await api.post('/api/v1/boards', { title }, { token: owner.token });
	if (res.status !== 201)
		throw new Error(`create board failed: ${res.status} ${JSON.stringify(res.body)}`);
	return res.body;
}

export async function addMember(
	api: Client,
	owner: TestUser,
	boardId: string,
	member: TestUser,
	role: 'owner' | 'editor' | 'viewer'
): Promise<void> {
	const res = await api.post(
		`/api/v1/boards/${boardId}/members`,
		{ email: member.email, role },
		{ token: owner.token }
	);
	if (res.status !== 201)
		throw new Error(`add member failed: ${res.status} ${JSON.stringify(res.body)}`);
}
