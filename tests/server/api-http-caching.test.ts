/**
 * Compression and conditional reads: br/gzip negotiated per Accept-Encoding on large answers,
 * ETags on every successful API read, `If-None-Match` -> 304 with the headers a 200 would have.
 * Requests go through node:http, not fetch, because fetch decodes bodies behind our back.
 */
import { request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTask, readBoard } from '../../src/lib/domain/board/index.ts';
import { startTestApp, type TestApp } from './support/app.ts';
import { client, createBoard, signUp, type Client, type TestUser } from './support/http.ts';

const consumer = 'https://reports.example';
let t: TestApp;
let api: Client;
let ana: TestUser;
let bigBoard: string;

interface RawResponse {
	status: number;
	headers: IncomingHttpHeaders;
	/** The bytes as sent, still encoded. */
	raw: Buffer;
}

function raw(
	method: string,
	path: string,
	headers: Record<string, string> = {},
	body?: string
): Promise<RawResponse> {
	return new Promise((resolve, reject) => {
		const req = httpRequest(new URL(path, t.url), { method, headers }, (res) => {
			const chunks: Buffer[] = [];
			res.on('data', (chunk: Buffer) => chunks.push(chunk));
			res.on('end', () =>
				resolve({ status: res.statusCode!, headers: res.headers, raw: Buffer.concat(chunks) })
			);
			res.on('error', reject);
		});
		req.on('error', reject);
		req.end(body);
	});
}

const get = (path: string, headers: Record<string, string> = {}) =>
	raw('GET', path, { authorization: `Bearer ${ana.token}`, ...headers });

function decoded(res: RawResponse): string {
	const coding = res.headers['content-encoding'];
	if (coding === 'br') return brotliDecompressSync(res.raw).toString();
	if (coding === 'gzip') return gunzipSync(res.raw).toString();
	expect(coding).toBeUndefined();
	return res.raw.toString();
}

const varies = (res: RawResponse) =>
	String(res.headers.vary ?? '')
		.split(',')
		.map((v) => v.trim().toLowerCase());

beforeAll(async () => {
	t = await startTestApp({ CORS_ORIGINS: consumer });
	api = client(t.url);
	ana = await signUp(api, 'Ana');
	bigBoard = (await createBoard(api, ana, 'Big board')).id;
	// 1,000 tasks in one change through the live document, as the API would write them.
	await t.app.runtime.ctx.collab.changeBoard(bigBoard, ana.id, (doc) => {
		const columns = readBoard(doc).columns;
		for (let i = 0; i < 1000; i++) {
			createTask(
				doc,
				{
					columnId: columns[i % columns.length]!.id,
					title: `Task ${i}: review the ${['login', 'billing', 'search'][i % 3]} flow`,
					description: i % 4 === 0 ? `Notes for task ${i}. `.repeat(5) : '',
					priority: (['low', 'medium', 'high', 'urgent'] as const)[i % 4],
					labels: i % 5 === 0 ? ['backend'] : []
				},
				{ actorId: ana.id }
			);
		}
	});
}, 120_000);
afterAll(async () => {
	await t?.stop();
});

describe('compression', () => {
	const page = () => `/api/v1/boards/${bigBoard}/tasks?limit=200`;

	it('sends br or gzip as the client prefers, decoding to the identity body', async () => {
		const identity = await get(page());
		expect(identity.status).toBe(200);
		expect(identity.headers['content-encoding']).toBeUndefined();
		expect(varies(identity)).toContain('accept-encoding');
		const body = identity.raw.toString();
		expect(JSON.parse(body).items).toHaveLength(200);
		// Declared, so the answer goes out in one piece rather than chunked.
		expect(identity.headers['content-length']).toBe(String(identity.raw.length));
		expect(identity.headers['transfer-encoding']).toBeUndefined();

		const cases: [string, 'br' | 'gzip'][] = [
			['br', 'br'],
			['gzip', 'gzip'],
			['gzip, deflate, br', 'br'],
			['br;q=0.5, gzip', 'gzip'],
			['gzip;q=0.9, br;q=0.1, identity;q=0.5', 'gzip']
		];
		for (const [acceptEncoding, coding] of cases) {
			const res = await get(page(), { 'accept-encoding': acceptEncoding });
			expect(res.status, acceptEncoding).toBe(200);
			expect(res.headers['content-encoding'], acceptEncoding).toBe(coding);
			expect(varies(res)).toContain('accept-encoding');
			expect(res.headers['content-length']).toBeUndefined();
			expect(res.raw.length).toBeLessThan(body.length / 4);
			expect(decoded(res)).toBe(body);
			// One representation, one tag: the coding is not part of it (see architecture.md).
			expect(res.headers.etag).toBe(identity.headers.etag);
		}
	});

	it('sends identity to clients that do not ask, or do not accept what we offer', async () => {
		const identity = await get(page());
		for (const acceptEncoding of [
			'identity',
			'deflate',
			'br;q=0, gzip;q=0',
			'gzip;q=0.5, identity'
		]) {
			const res = await get(page(), { 'accept-encoding': acceptEncoding });
			expect(res.headers['content-encoding'], acceptEncoding).toBeUndefined();
			expect(res.raw.equals(identity.raw)).toBe(true);
		}
	});

	it('does not compress answers under 1 KB, but still says they vary', async () => {
		const me = await get('/api/v1/me', { 'accept-encoding': 'br, gzip' });
		expect(me.status).toBe(200);
		expect(me.raw.length).toBeLessThan(1024);
		expect(me.headers['content-encoding']).toBeUndefined();
		expect(varies(me)).toContain('accept-encoding');
		expect(JSON.parse(me.raw.toString())).toMatchObject({ id: ana.id });
	});

	it('does not compress answers to writes', async () => {
		const created = await raw(
			'POST',
			`/api/v1/boards/${bigBoard}/tasks`,
			{
				authorization: `Bearer ${ana.token}`,
				'accept-encoding': 'br, gzip',
				'content-type': 'application/json'
			},
			JSON.stringify({ title: 'Written', description: 'Long enough. '.repeat(200) })
		);
		expect(created.status).toBe(201);
		expect(created.raw.length).toBeGreaterThan(1024);
		expect(created.headers['content-encoding']).toBeUndefined();
		expect(JSON.parse(created.raw.toString()).title).toBe('Written');
	});

	it('compresses pages too, and static assets come precompressed from the build', async () => {
		const login = await raw('GET', '/login', { 'accept-encoding': 'gzip' });
		expect(login.status).toBe(200);
		expect(login.headers['content-encoding']).toBe('gzip');
		const html = decoded(login);
		expect(html).toMatch(/^<!doctype html>/i);
		const script = /\/_app\/immutable\/[\w/.-]+\.js/.exec(html)![0];
		const asset = await raw('GET', script, { 'accept-encoding': 'br' });
		expect(asset.status).toBe(200);
		expect(asset.headers['content-encoding']).toBe('br');
		const plain = await raw('GET', script);
		expect(brotliDecompressSync(asset.raw).equals(plain.raw)).toBe(true);
	});
});

describe('ETag and If-None-Match', () => {
	it('answers 304 to a matching list ETag, keeping ETag, RateLimit, CORS and Vary', async () => {
		const path = `/api/v1/boards/${bigBoard}/tasks?limit=200`;
		const first = await get(path, { origin: consumer, 'accept-encoding': 'br' });
		const etag = first.headers.etag!;
		expect(etag).toMatch(/^"[\w-]+"$/);
		expect(first.headers['cache-control']).toBe('private, no-cache');
		for (const inm of [etag, `W/${etag}`, `"other", ${etag}`]) {
			for (const acceptEncoding of ['br', 'gzip', 'identity']) {
				const res = await get(path, {
					origin: consumer,
					'accept-encoding': acceptEncoding,
					'if-none-match': inm
				});
				expect(res.status, inm).toBe(304);
				expect(res.raw.length).toBe(0);
				expect(res.headers['content-encoding']).toBeUndefined();
				expect(res.headers.etag).toBe(etag);
				expect(res.headers['ratelimit-limit']).toBe('600');
				expect(res.headers['ratelimit-remaining']).toMatch(/^\d+$/);
				expect(res.headers['access-control-allow-origin']).toBe(consumer);
				expect(res.headers['access-control-expose-headers']).toContain('etag');
				expect(varies(res)).toEqual(expect.arrayContaining(['accept-encoding', 'origin']));
				expect(res.headers['cache-control']).toBe('private, no-cache');
			}
		}
		const other = await get(path, { 'if-none-match': '"something else"' });
		expect(other.status).toBe(200);
		expect(other.headers.etag).toBe(etag);
	});

	it('gives a changed list a new ETag, and the old one then gets 200', async () => {
		const board = (await createBoard(api, ana, 'Small board')).id;
		const path = `/api/v1/boards/${board}/tasks`;
		const before = await get(path);
		const etag = before.headers.etag!;
		expect((await get(path, { 'if-none-match': etag })).status).toBe(304);
		const created = await api.post(path, { title: 'New' }, { token: ana.token });
		expect(created.status).toBe(201);
		const after = await get(path, { 'if-none-match': etag });
		expect(after.status).toBe(200);
		expect(after.headers.etag).not.toBe(etag);
		expect(JSON.parse(after.raw.toString()).items.map((i: { id: string }) => i.id)).toEqual([
			created.body.id
		]);
		expect((await get(path, { 'if-none-match': after.headers.etag! })).status).toBe(304);
	});

	it('gives a list a new ETag when a listed task or the page boundary changes', async () => {
		const board = (await createBoard(api, ana, 'Edited board')).id;
		const path = `/api/v1/boards/${board}/tasks?limit=1`;
		const ids: string[] = [];
		for (const title of ['First', 'Second']) {
			ids.push(
				(await api.post(`/api/v1/boards/${board}/tasks`, { title }, { token: ana.token })).body.id
			);
		}
		const tags = [(await get(path)).headers.etag!];
		// The only item's title: its row version changes, and so must the page's tag.
		await api.patch(`/api/v1/tasks/${ids[0]}`, { title: 'Renamed' }, { token: ana.token });
		const renamed = await get(path, { 'if-none-match': tags[0]! });
		expect(renamed.status).toBe(200);
		expect(JSON.parse(decoded(renamed)).items[0].title).toBe('Renamed');
		tags.push(renamed.headers.etag!);
		// A task beyond the page: the page's items stay, its cursor no longer leads anywhere.
		await api.delete(`/api/v1/tasks/${ids[1]}`, { token: ana.token });
		const last = await get(path, { 'if-none-match': tags[1]! });
		expect(last.status).toBe(200);
		expect(JSON.parse(decoded(last)).nextCursor).toBeNull();
		tags.push(last.headers.etag!);
		expect(new Set(tags).size).toBe(3);
		expect((await get(path, { 'if-none-match': tags[2]! })).status).toBe(304);
	});

	it('tags other reads too: boards, columns, members, events, me', async () => {
		for (const path of [
			'/api/v1/boards',
			`/api/v1/boards/${bigBoard}`,
			`/api/v1/boards/${bigBoard}/columns`,
			`/api/v1/boards/${bigBoard}/members`,
			`/api/v1/boards/${bigBoard}/events`,
			'/api/v1/me',
			'/api/v1/tokens'
		]) {
			const res = await get(path);
			expect(res.status, path).toBe(200);
			expect(res.headers.etag, path).toMatch(/^"[\w-]+"$/);
			expect((await get(path, { 'if-none-match': res.headers.etag! })).status, path).toBe(304);
		}
	});

	it('keeps the task ETag its version: 304 on a match, and If-Match works whatever the coding', async () => {
		const board = (await createBoard(api, ana, 'Task board')).id;
		const long = 'A description long enough to be compressed. '.repeat(40);
		const created = await api.post(
			`/api/v1/boards/${board}/tasks`,
			{ title: 'Tagged', description: long },
			{ token: ana.token }
		);
		const path = `/api/v1/tasks/${created.body.id}`;
		const first = await get(path, { 'accept-encoding': 'br' });
		expect(first.headers['content-encoding']).toBe('br');
		expect(first.headers.etag).toBe(`"${created.body.version}"`);
		expect(JSON.parse(decoded(first))).toEqual(created.body);

		const cached = await get(path, {
			'accept-encoding': 'gzip',
			'if-none-match': first.headers.etag!
		});
		expect(cached.status).toBe(304);
		expect(cached.raw.length).toBe(0);
		expect(cached.headers.etag).toBe(first.headers.etag);
		expect(cached.headers['ratelimit-limit']).toBe('600');

		// The tag from a compressed answer is the one If-Match expects.
		const patched = await api.patch(
			path,
			{ title: 'Retitled' },
			{ token: ana.token, headers: { 'if-match': first.headers.etag! } }
		);
		expect(patched.status).toBe(200);
		const stale = await get(path, { 'if-none-match': first.headers.etag! });
		expect(stale.status).toBe(200);
		expect(stale.headers.etag).toBe(patched.headers.get('etag'));
		expect(stale.headers.etag).not.toBe(first.headers.etag);
		expect(JSON.parse(decoded(stale)).title).toBe('Retitled');
	});

	it('supports HEAD: the headers of the GET, no body, and 304 on a match', async () => {
		const path = `/api/v1/boards/${bigBoard}/tasks?limit=200`;
		const body = await get(path, { 'accept-encoding': 'br' });
		const head = await raw('HEAD', path, {
			authorization: `Bearer ${ana.token}`,
			'accept-encoding': 'br'
		});
		expect(head.status).toBe(200);
		expect(head.raw.length).toBe(0);
		expect(head.headers['content-encoding']).toBe('br');
		expect(head.headers.etag).toBe(body.headers.etag);
		expect(head.headers['content-type']).toBe(body.headers['content-type']);
		const notModified = await raw('HEAD', path, {
			authorization: `Bearer ${ana.token}`,
			'if-none-match': body.headers.etag!
		});
		expect(notModified.status).toBe(304);
		expect(notModified.headers.etag).toBe(body.headers.etag);
	});

	it('puts no ETag on errors', async () => {
		const res = await get(`/api/v1/boards/${crypto.randomUUID()}/tasks`, { 'if-none-match': '*' });
		expect(res.status).toBe(404);
		expect(res.headers.etag).toBeUndefined();
		expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
	});
});
