/**
 * The admin audit log (`GET /api/v1/admin/events`) against a real server: filters by actor (id
 * or email), type, board and time, paging newest first without repeats or gaps, metadata, the
 * streamed CSV export (quoting, the formula guard, more rows than one batch), bad input, and
 * token creation and revocation as audited events. Runs on the PostgreSQL event log and, with
 * MONGODB_URL, on MongoDB (FerretDB in CI). Who may call it is in authz-matrix-admin.
 */
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from './support/app.ts';
import { randomUUID } from 'node:crypto';
import { settle } from './support/events.ts';
import { client, createBoard, signUp, type Client, type TestUser } from './support/http.ts';
import { mongoSkipReason, mongoTestDatabase, mongoUrl, reportMongoSkip } from './support/mongo.ts';
import { expectProblem } from './support/problem.ts';

reportMongoSkip('admin audit log');

/** Splits RFC 4180 text into rows of fields (quoted fields may hold commas, quotes, newlines). */
function parseCsv(text: string): string[][] {
	const rows: string[][] = [];
	let row: string[] = [];
	let field = '';
	let quoted = false;
	for (let i = 0; i < text.length; i++) {
		const c = text[i]!;
		if (quoted && c === '"' && text[i + 1] === '"') {
			field += '"';
			i++;
		} else if (quoted && c === '"') {
			quoted = false;
		} else if (quoted) {
			field += c;
		} else if (c === '"') {
			quoted = true;
		} else if (c === ',') {
			row.push(field);
			field = '';
		} else if (c === '\r' && text[i + 1] === '\n') {
			row.push(field);
			rows.push(row);
			row = [];
			field = '';
			i++;
		} else {
			field += c;
		}
	}
	expect(field).toBe('');
	return rows;
}

function suite(name: string, env: () => Record<string, string>) {
	describe(name, () => {
		let t: TestApp;
		let api: Client;
		let sql: postgres.Sql;
		let admin: TestUser;
		let ana: TestUser;
		let board: { id: string };

		beforeAll(async () => {
			t = await startTestApp({ API_RATE_LIMIT: '1000000', ...env() });
			api = client(t.url);
			sql = postgres(t.db.url, { max: 1, onnotice: () => {} });
			admin = await signUp(api, 'Audit Admin');
			expect(admin.role).toBe('admin');
			ana = await signUp(api, 'Audit Ana');
			board = await createBoard(api, ana, 'Audited board');
			await settle(t.app);
		}, 60_000);
		afterAll(async () => {
			await sql?.end();
			await t?.stop();
		});

		const get = (path: string) => api.get(path, { token: admin.token });
		async function csv(path: string, user = admin) {
			const res = await fetch(new URL(path, t.url), {
				headers: { accept: 'text/csv', authorization: `Bearer ${user.token}` }
			});
			return { res, text: await res.text() };
		}

		it("filters to one actor, by id or by email, with each event's metadata", async () => {
			const byId = await get(`/api/v1/admin/events?actor=${ana.id}&limit=100`);
			expect(byId.status).toBe(200);
			const types = byId.body.items.map((e: { type: string }) => e.type);
			expect(types).toEqual(expect.arrayContaining(['user.logged_in', 'board.created']));
			expect(byId.body.items.every((e: { actorId: string }) => e.actorId === ana.id)).toBe(true);
			const created = byId.body.items.find((e: { type: string }) => e.type === 'board.created');
			expect(created).toMatchObject({
				boardId: board.id,
				actorName: 'Audit Ana',
				correlationId: expect.any(String),
				metadata: { instance: expect.any(String), userAgent: expect.any(String) }
			});
			const byEmail = await get(
				`/api/v1/admin/events?actor=${encodeURIComponent(ana.email.toUpperCase())}&limit=100`
			);
			expect(byEmail.body.items).toEqual(byId.body.items);
			const nobody = await get('/api/v1/admin/events?actor=nobody%40example.com');
			expect(nobody.body).toEqual({ items: [], nextCursor: null });
		});

		it('filters by type, board and time range', async () => {
			const logins = await get('/api/v1/admin/events?type=user.logged_in&limit=100');
			expect(logins.body.items.length).toBeGreaterThanOrEqual(2);
			expect(logins.body.items.every((e: { type: string }) => e.type === 'user.logged_in')).toBe(
				true
			);
			const onBoard = await get(`/api/v1/admin/events?boardId=${board.id}`);
			expect(onBoard.body.items.length).toBeGreaterThan(0);
			expect(onBoard.body.items.every((e: { boardId: string }) => e.boardId === board.id)).toBe(
				true
			);
			const all = (await get('/api/v1/admin/events?limit=200')).body.items as {
				createdAt: string;
			}[];
			const pivot = all[Math.floor(all.length / 2)]!.createdAt;
			const after = (await get(`/api/v1/admin/events?from=${pivot}&limit=200`)).body.items;
			const before = (await get(`/api/v1/admin/events?to=${pivot}&limit=200`)).body.items;
			expect(after.length + before.length).toBe(all.length);
			expect(after.every((e: { createdAt: string }) => e.createdAt >= pivot)).toBe(true);
			expect(before.every((e: { createdAt: string }) => e.createdAt < pivot)).toBe(true);
			// A bare date is a whole UTC day, `to` included.
			const today = new Date().toISOString().slice(0, 10);
			const day = await get(`/api/v1/admin/events?from=${today}&to=${today}&limit=200`);
			expect(day.body.items.length).toBe(all.length);
			const tomorrow = new Date(Date.now() + 86_400_000).toISOString().slice(0, 10);
			const none = await get(`/api/v1/admin/events?from=${tomorrow}`);
			expect(none.body.items).toEqual([]);
		});

		it('pages newest first without repeats or gaps', async () => {
			for (let i = 0; i < 7; i++) await signUp(api, `Audit Pager ${i}`);
			await settle(t.app);
			const whole = (await get('/api/v1/admin/events?limit=200')).body;
			expect(whole.nextCursor).toBeNull();
			const ids: string[] = [];
			let cursor: string | null = '';
			let pages = 0;
			while (cursor !== null) {
				const res = await get(`/api/v1/admin/events?limit=4${cursor ? `&cursor=${cursor}` : ''}`);
				expect(res.status).toBe(200);
				ids.push(...res.body.items.map((e: { id: string }) => e.id));
				cursor = res.body.nextCursor;
				pages++;
			}
			expect(pages).toBeGreaterThan(3);
			expect(ids).toEqual(whole.items.map((e: { id: string }) => e.id));
			const times = whole.items.map((e: { createdAt: string }) => e.createdAt);
			expect([...times].sort().reverse()).toEqual(times);
		});

		it('answers bad filters with 422 and field errors', async () => {
			for (const [query, field] of [
				['actor=not-an-id', 'actor'],
				['type=DROP%20TABLE', 'type'],
				['boardId=42', 'boardId'],
				['from=yesterday', 'from'],
				['from=0000-01-01', 'from'],
				['to=9999-12-31', 'to'],
				['to=2026-13-45', 'to'],
				['from=2026-02-02&to=2026-02-01', 'to'],
				['limit=0', 'limit'],
				['cursor=bogus!', 'cursor'],
				// A misspelt filter is refused, not ignored (the whole log looked filtered).
				['board=00000000-0000-4000-8000-000000000000', '_']
			] as const) {
				const res = await get(`/api/v1/admin/events?${query}`);
				expectProblem(res, 422);
				expect(Object.keys(res.body.errors), query).toContain(field);
			}
		});

		it('records creating and revoking an API token, never the secret', async () => {
			const created = await api.post(
				'/api/v1/tokens',
				{ name: 'CI, "deploy"', scope: 'read' },
				{ token: ana.token }
			);
			expect(created.status).toBe(201);
			const revoked = await api.delete(`/api/v1/tokens/${created.body.id}`, { token: ana.token });
			expect(revoked.status).toBe(204);
			await settle(t.app);
			const res = await get(`/api/v1/admin/events?actor=${ana.id}&limit=100`);
			const tokenEvents = res.body.items.filter(
				(e: { entityType: string }) => e.entityType === 'token'
			);
			expect(tokenEvents.map((e: { type: string }) => e.type)).toEqual([
				'token.revoked',
				'token.created'
			]);
			expect(tokenEvents[1]).toMatchObject({
				entityId: created.body.id,
				payload: { name: 'CI, "deploy"', scope: 'read' }
			});
			expect(JSON.stringify(res.body)).not.toContain(created.body.token);
			const again = await api.delete(`/api/v1/tokens/${created.body.id}`, { token: ana.token });
			expect(again.status).toBe(404);
			await settle(t.app);
			const after = await get(`/api/v1/admin/events?type=token.revoked&actor=${ana.id}`);
			expect(after.body.items).toHaveLength(1);
		});

		it('exports the filtered log as streamed CSV, quoted and guarded against formulas', async () => {
			// A board title with quotes and a comma (line breaks: csv.spec.ts).
			const title = 'Plan "B", maybe';
			await createBoard(api, ana, title);
			// More events than one export batch (500), all at one time, so the stream must page
			// through the log and break ties by the store's own key.
			const createdAt = new Date().toISOString();
			const bulk = Array.from({ length: 1200 }, (_, i) => ({
				id: randomUUID(),
				type: 'user.login_failed' as const,
				actorId: null,
				entityId: null,
				entityType: 'user' as const,
				boardId: null,
				payload: { email: `bulk${i}@example.com`, reason: 'invalid' },
				metadata: { userAgent: null, ipAddress: '192.0.2.1', sessionId: null, instance: 'test' },
				correlationId: 'bulk',
				createdAt,
				revision: 1
			}));
			await t.app.runtime.ctx.events.record(bulk);
			t.app.runtime.ctx.events.wake();
			await settle(t.app);
			const failed = await csv('/api/v1/admin/events?type=user.login_failed');
			expect(failed.res.status).toBe(200);
			expect(failed.res.headers.get('content-type')).toMatch(/^text\/csv/);
			expect(failed.res.headers.get('content-disposition')).toMatch(/^attachment; filename=/);
			const rows = parseCsv(failed.text);
			expect(rows[0]).toEqual([
				'createdAt',
				'id',
				'type',
				'actorId',
				'actorName',
				'entityType',
				'entityId',
				'boardId',
				'correlationId',
				'userAgent',
				'ipAddress',
				'sessionId',
				'instance',
				'payload'
			]);
			expect(rows.length - 1).toBe(1200);
			expect(new Set(rows.slice(1).map((r) => r[1])).size).toBe(1200);
			expect(rows.slice(1).every((r) => r[2] === 'user.login_failed')).toBe(true);

			const mine = await csv(`/api/v1/admin/events?actor=${ana.id}&type=board.created`);
			const data = parseCsv(mine.text).slice(1);
			const payloads = data.map((r) => r[13]!);
			expect(payloads[0]).toBe(JSON.stringify({ title }));
			const json = await get(`/api/v1/admin/events?actor=${ana.id}&type=board.created`);
			expect(data.map((r) => r[1])).toEqual(json.body.items.map((e: { id: string }) => e.id));
		});

		it('prefixes cells that start like a formula with a quote', async () => {
			const evil = await signUp(api, 'Evil');
			await sql`update users set display_name = '=cmd|calc' where id = ${evil.id}`;
			await api.post('/api/v1/boards', { title: 'x' }, { token: evil.token });
			await settle(t.app);
			const { text } = await csv(`/api/v1/admin/events?actor=${evil.id}`);
			const rows = parseCsv(text).slice(1);
			expect(rows.length).toBeGreaterThan(0);
			expect(rows.every((r) => r[4] === "'=cmd|calc")).toBe(true);
		});

		it('is for admins only, also as CSV', async () => {
			expectProblem(await api.get('/api/v1/admin/events'), 401);
			expectProblem(await api.get('/api/v1/admin/events', { token: ana.token }), 403);
			const { res, text } = await csv('/api/v1/admin/events', ana);
			expect(res.status).toBe(403);
			expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
			expect(text).not.toContain('createdAt,');
		});
	});
}

suite('admin audit log on PostgreSQL', () => ({}));

const mongo = mongoUrl ? mongoTestDatabase('tf_audit') : null;
afterAll(async () => {
	await mongo?.drop();
});
describe.skipIf(!mongo)(mongo ? 'on MongoDB' : `on MongoDB (skipped: ${mongoSkipReason})`, () => {
	suite('admin audit log on MongoDB', () => ({ MONGODB_URL: mongo!.url }));
});
