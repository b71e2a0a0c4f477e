/**
 * The admin console's endpoints against a real server and database: listings page without
 * repeats or gaps (also among rows created in one statement, which share a time), search,
 * bad input, the last-admin rule, signing out everywhere (sessions and sockets), one-time reset
 * links, restoring boards and handing them over. Who may call them is in authz-matrix-admin.
 */
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from './support/app.ts';
import { connect, waitFor } from './support/collab.ts';
import { client, createBoard, signUp, type Client, type TestUser } from './support/http.ts';
import { settle } from './support/events.ts';
import { expectProblem } from './support/problem.ts';

let t: TestApp;
let api: Client;
let sql: postgres.Sql;
let admin: TestUser;

beforeAll(async () => {
	t = await startTestApp({ API_RATE_LIMIT: '1000000' });
	api = client(t.url);
	sql = postgres(t.db.url, { max: 1, onnotice: () => {} });
	admin = await signUp(api, 'Console Admin');
	expect(admin.role).toBe('admin');
});
afterAll(async () => {
	await sql?.end();
	await t?.stop();
});

const get = (path: string, user = admin) => api.get(path, { token: user.token });
const post = (path: string, body?: unknown, user = admin) =>
	api.post(path, body, { token: user.token });

/** Every page of a listing, following `nextCursor`. */
async function allPages(path: string, limit: number): Promise<{ id: string }[][]> {
	const pages: { id: string }[][] = [];
	let cursor: string | null = '';
	const join = path.includes('?') ? '&' : '?';
	while (cursor !== null) {
		const res = await get(`${path}${join}limit=${limit}${cursor ? `&cursor=${cursor}` : ''}`);
		expect(res.status, JSON.stringify(res.body)).toBe(200);
		pages.push(res.body.items);
		cursor = res.body.nextCursor;
	}
	return pages;
}

describe('GET /api/v1/admin/users', () => {
	it('pages through every account once, newest first, also when they share a created time', async () => {
		// One statement: all 23 rows get the same now(), so only the id tells them apart.
		await sql`
			insert into users (email, password_hash, display_name)
			select 'tied' || n || '@example.com', 'x', 'Tied ' || n from generate_series(1, 23) n`;
		const [count] = await sql<{ n: number }[]>`select count(*)::int as n from users`;
		const total = count!.n;
		const pages = await allPages('/api/v1/admin/users', 5);
		const ids = pages.flat().map((u) => u.id);
		expect(ids).toHaveLength(total);
		expect(new Set(ids).size).toBe(total);
		expect(pages.slice(0, -1).every((p) => p.length === 5)).toBe(true);
		const expected = await sql<{ id: string }[]>`
			select id from users order by created_at desc, id desc`;
		expect(ids).toEqual(expected.map((r) => r.id));
	});

	it('finds accounts by part of the name or email, case-insensitively, wildcards literal', async () => {
		const ana = await signUp(api, 'Ana Zyxwv');
		const res = await get('/api/v1/admin/users?q=zYXw');
		expect(res.status).toBe(200);
		expect(res.body.items.map((u: { id: string }) => u.id)).toEqual([ana.id]);
		expect(res.body.items[0]).toMatchObject({
			name: 'Ana Zyxwv',
			email: ana.email,
			role: 'user',
			status: 'active',
			boards: 0,
			lastActiveAt: expect.any(String)
		});
		const byEmail = await get(
			`/api/v1/admin/users?q=${encodeURIComponent(ana.email.toUpperCase())}`
		);
		expect(byEmail.body.items.map((u: { id: string }) => u.id)).toEqual([ana.id]);
		// `%` and `_` are text, not patterns.
		expect((await get('/api/v1/admin/users?q=%25')).body.items).toEqual([]);
		expect((await get('/api/v1/admin/users?q=Ana_Zyxwv')).body.items).toEqual([]);
		// Paging a search goes through matches only.
		const tied = await allPages('/api/v1/admin/users?q=TIED', 4);
		expect(tied.flat()).toHaveLength(23);
	});

	it('counts boards and shows one account', async () => {
		const owner = await signUp(api, 'Board Counter');
		await createBoard(api, owner, 'One');
		await createBoard(api, owner, 'Two');
		const res = await get(`/api/v1/admin/users/${owner.id}`);
		expect(res.status).toBe(200);
		expect(res.body).toMatchObject({ id: owner.id, boards: 2, status: 'active' });
		expectProblem(await get('/api/v1/admin/users/7d9e0a52-0000-4000-8000-000000000000'), 404);
		expectProblem(await get('/api/v1/admin/users/not-an-id'), 404);
	});

	it('refuses bad input with field errors', async () => {
		for (const [query, field] of [
			['limit=0', 'limit'],
			['limit=201', 'limit'],
			['limit=ten', 'limit'],
			['cursor=garbage!', 'cursor'],
			// A cursor of another listing (notifications end in a non-uuid key here).
			[`cursor=${Buffer.from('["2026-01-01T00:00:00Z","x"]').toString('base64url')}`, 'cursor'],
			[`q=${'a'.repeat(201)}`, 'q']
		] as const) {
			const res = await get(`/api/v1/admin/users?${query}`);
			expectProblem(res, 422);
			expect(Object.keys(res.body.errors)).toEqual([field]);
		}
	});
});

describe('PATCH /api/v1/admin/users/:id: the last active admin', () => {
	it('cannot demote or disable themselves; can once another admin exists', async () => {
		const demote = await api.patch(
			`/api/v1/admin/users/${admin.id}`,
			{ role: 'user' },
			{ token: admin.token }
		);
		expectProblem(demote, 409);
		expect(demote.body.detail).toMatch(/only active admin/);
		const disable = await api.patch(
			`/api/v1/admin/users/${admin.id}`,
			{ disabled: true },
			{ token: admin.token }
		);
		expectProblem(disable, 409);
		expect((await get(`/api/v1/admin/users/${admin.id}`)).body).toMatchObject({
			role: 'admin',
			status: 'active'
		});

		const second = await signUp(api, 'Second Admin');
		const promoted = await api.patch(
			`/api/v1/admin/users/${second.id}`,
			{ role: 'admin' },
			{ token: admin.token }
		);
		expect(promoted.status).toBe(200);
		// Now the second admin may step down (the first remains).
		const login = await api.post('/api/v1/auth/login', {
			email: second.email,
			password: 'a long enough passphrase'
		});
		const stepDown = await api.patch(
			`/api/v1/admin/users/${second.id}`,
			{ role: 'user' },
			{ token: login.body.sessionToken }
		);
		expect(stepDown.status).toBe(200);
		expect(stepDown.body.role).toBe('user');
		expectProblem(
			await api.patch(`/api/v1/admin/users/${admin.id}`, { role: 'boss' }, { token: admin.token }),
			422
		);
	});
});

describe('POST /api/v1/admin/users/:id/sessions/revoke', () => {
	it('ends every session and closes open boards at once, and is audited', async () => {
		const user = await signUp(api, 'Everywhere');
		const second = await api.post('/api/v1/auth/login', {
			email: user.email,
			password: 'a long enough passphrase'
		});
		const board = await createBoard(api, user, 'Open board');
		const socket = connect(t.url, board.id, { token: user.token });
		expect(await socket.ready).toBe(true);
		const closes: number[] = [];
		socket.socket.on('disconnect', ({ event }: { event: { code: number } }) =>
			closes.push(event.code)
		);

		const res = await post(`/api/v1/admin/users/${user.id}/sessions/revoke`);
		expect(res.status).toBe(200);
		expect(res.body).toEqual({ sessionsEnded: 2 });
		await waitFor(() => closes.length > 0, 2000, 'the open board to disconnect');
		expect(closes[0]).toBe(4403);
		socket.destroy();
		expect((await api.get('/api/v1/me', { token: user.token })).status).toBe(401);
		expect((await api.get('/api/v1/me', { token: second.body.sessionToken })).status).toBe(401);
		// The account itself stays usable: signing in again works.
		const again = await api.post('/api/v1/auth/login', {
			email: user.email,
			password: 'a long enough passphrase'
		});
		expect(again.status).toBe(200);
		await settle(t.app);
		const [event] = await sql<{ actor_id: string }[]>`
			select actor_id from event_logs where type = 'user.sessions_revoked' and entity_id = ${user.id}`;
		expect(event?.actor_id).toBe(admin.id);
		expectProblem(
			await post('/api/v1/admin/users/7d9e0a52-0000-4000-8000-000000000000/sessions/revoke'),
			404
		);
	});
});

describe('password reset links', () => {
	const newPassword = 'a brand new passphrase';

	async function issue(user: TestUser): Promise<string> {
		const res = await post(`/api/v1/admin/users/${user.id}/password-reset`);
		expect(res.status, JSON.stringify(res.body)).toBe(201);
		expect(res.headers.get('cache-control')).toBe('no-store');
		expect(res.body.url).toMatch(/\/reset-password\/[\w-]{43}$/);
		expect(Date.parse(res.body.expiresAt) - Date.now()).toBeGreaterThan(50 * 60 * 1000);
		return new URL(res.body.url).pathname;
	}

	/** Submits the reset form as a browser does (same-origin form post). */
	function submit(path: string, password: string, confirm = password) {
		return fetch(new URL(path, t.url), {
			method: 'POST',
			headers: {
				origin: t.url,
				'content-type': 'application/x-www-form-urlencoded',
				accept: 'application/json',
				'x-sveltekit-action': 'true'
			},
			body: new URLSearchParams({ password, confirm })
		}).then(async (res) => ({ status: res.status, body: await res.json() }));
	}

	const login = (user: TestUser, password: string) =>
		api.post('/api/v1/auth/login', { email: user.email, password });

	it('sets a new password once, ends old sessions, stores only a hash', async () => {
		const user = await signUp(api, 'Locked Out');
		const path = await issue(user);
		const token = path.split('/').pop()!;
		const stored = await sql<{ token_hash: string }[]>`
			select token_hash from password_resets where user_id = ${user.id}`;
		expect(stored).toHaveLength(1);
		expect(stored[0]!.token_hash).not.toContain(token);

		const page = await fetch(new URL(path, t.url));
		expect(page.status).toBe(200);
		expect(await page.text()).toContain(user.email);
		// The token is in the path: the page must not pass it on as a referrer.
		expect(page.headers.get('referrer-policy')).toBe('no-referrer');

		const mismatch = await submit(path, newPassword, 'something else entirely');
		expect(JSON.parse(mismatch.body.data)).toBeTruthy();
		expect(mismatch.body.status).toBe(400);
		const weak = await submit(path, 'short');
		expect(weak.body.status).toBe(400);

		const done = await submit(path, newPassword);
		expect(done.body.type).toBe('success');
		expect((await api.get('/api/v1/me', { token: user.token })).status).toBe(401);
		expect((await login(user, newPassword)).status).toBe(200);
		expect((await login(user, 'a long enough passphrase')).status).toBe(401);

		// Used once: the page and the form both refuse it now.
		expect((await fetch(new URL(path, t.url))).status).toBe(410);
		const reused = await submit(path, 'yet another passphrase');
		expect(reused.body.status).toBe(410);
		expect((await login(user, newPassword)).status).toBe(200);
		await settle(t.app);
		const events = await sql<{ type: string }[]>`
			select type from event_logs where entity_id = ${user.id} and type like 'user.password%'
			order by seq`;
		expect(events.map((e) => e.type)).toEqual([
			'user.password_reset_issued',
			'user.password_reset'
		]);
	});

	it('stops working when it expires or a newer link is made', async () => {
		const user = await signUp(api, 'Slow Reader');
		const first = await issue(user);
		const second = await issue(user);
		expect((await fetch(new URL(first, t.url))).status).toBe(410);
		await sql`update password_resets set expires_at = now() - interval '1 second'
			where user_id = ${user.id}`;
		expect((await fetch(new URL(second, t.url))).status).toBe(410);
		expect((await submit(second, newPassword)).body.status).toBe(410);
		expect((await login(user, newPassword)).status).toBe(401);
	});

	it('dies with the account’s disabling: re-enabling does not bring it back', async () => {
		const user = await signUp(api, 'Leaked Link');
		const path = await issue(user);
		const patch = (disabled: boolean) =>
			api.patch(`/api/v1/admin/users/${user.id}`, { disabled }, { token: admin.token });
		expect((await patch(true)).status).toBe(200);
		expect((await patch(false)).status).toBe(200);
		expect((await fetch(new URL(path, t.url))).status).toBe(410);
		expect((await submit(path, newPassword)).body.status).toBe(410);
		expect((await login(user, newPassword)).status).toBe(401);
	});

	it('is refused for disabled and unknown accounts', async () => {
		const user = await signUp(api, 'Disabled Reset');
		await api.patch(`/api/v1/admin/users/${user.id}`, { disabled: true }, { token: admin.token });
		expectProblem(await post(`/api/v1/admin/users/${user.id}/password-reset`), 409);
		expectProblem(
			await post('/api/v1/admin/users/7d9e0a52-0000-4000-8000-000000000000/password-reset'),
			404
		);
		expect((await fetch(new URL('/reset-password/nonsense', t.url))).status).toBe(410);
	});
});

describe('admin boards', () => {
	it('lists every board with archived ones, owners and counts, and pages by cursor', async () => {
		const owner = await signUp(api, 'Board Owner');
		const kept = await createBoard(api, owner, 'Kept board qwerty');
		const gone = await createBoard(api, owner, 'Archived board qwerty');
		expect((await api.delete(`/api/v1/boards/${gone.id}`, { token: owner.token })).status).toBe(
			204
		);
		const res = await get('/api/v1/admin/boards?q=QWERTY');
		expect(res.status).toBe(200);
		const byId = new Map(res.body.items.map((b: { id: string }) => [b.id, b]));
		expect(byId.get(gone.id)).toMatchObject({ archivedAt: expect.any(String), members: 1 });
		expect(byId.get(kept.id)).toMatchObject({
			archivedAt: null,
			owners: [{ id: owner.id, name: 'Board Owner', email: owner.email }],
			members: 1,
			cards: 0,
			lastActivityAt: expect.any(String)
		});

		for (let i = 0; i < 6; i++) await createBoard(api, owner, `Paged ${i}`);
		const [count] = await sql<{ n: number }[]>`select count(*)::int as n from boards`;
		const total = count!.n;
		const ids = (await allPages('/api/v1/admin/boards', 3)).flat().map((b) => b.id);
		expect(ids).toHaveLength(total);
		expect(new Set(ids).size).toBe(total);
		expectProblem(await get('/api/v1/admin/boards?limit=-1'), 422);
	});

	it('restores an archived board, idempotently, and audits it once', async () => {
		const owner = await signUp(api, 'Restorer');
		const board = await createBoard(api, owner, 'Back again');
		await api.delete(`/api/v1/boards/${board.id}`, { token: owner.token });
		const res = await post(`/api/v1/admin/boards/${board.id}/restore`);
		expect(res.status).toBe(200);
		expect(res.body).toMatchObject({ id: board.id, archivedAt: null });
		expect((await post(`/api/v1/admin/boards/${board.id}/restore`)).status).toBe(200);
		await settle(t.app);
		const board2 = await api.get(`/api/v1/boards/${board.id}`, { token: owner.token });
		expect(board2.body.archivedAt).toBeNull();
		const events = await sql`
			select 1 from event_logs where type = 'board.restored' and board_id = ${board.id}`;
		expect(events).toHaveLength(1);
		expectProblem(
			await post('/api/v1/admin/boards/7d9e0a52-0000-4000-8000-000000000000/restore'),
			404
		);
	});

	it('makes an active account owner; previous owners stay owners', async () => {
		const owner = await signUp(api, 'Old Owner');
		const heir = await signUp(api, 'New Owner');
		const board = await createBoard(api, owner, 'Handed over');
		const res = await post(`/api/v1/admin/boards/${board.id}/owner`, { userId: heir.id });
		expect(res.status, JSON.stringify(res.body)).toBe(200);
		expect(res.body.owners.map((o: { id: string }) => o.id).sort()).toEqual(
			[owner.id, heir.id].sort()
		);
		const seen = await api.get(`/api/v1/boards/${board.id}`, { token: heir.token });
		expect(seen.body).toMatchObject({ ownerId: heir.id, myRole: 'owner' });

		const disabled = await signUp(api, 'Disabled Heir');
		await api.patch(
			`/api/v1/admin/users/${disabled.id}`,
			{ disabled: true },
			{ token: admin.token }
		);
		for (const body of [
			{ userId: disabled.id },
			{ userId: '7d9e0a52-0000-4000-8000-000000000000' },
			{ userId: 'nobody' },
			{}
		]) {
			const refused = await post(`/api/v1/admin/boards/${board.id}/owner`, body);
			expectProblem(refused, 422);
			expect(Object.keys(refused.body.errors)).toEqual(['userId']);
		}
		for (const body of [
			{ email: disabled.email },
			{ email: 'nobody@example.com' },
			{ userId: heir.id, email: heir.email }
		]) {
			const refused = await post(`/api/v1/admin/boards/${board.id}/owner`, body);
			expectProblem(refused, 422);
			expect(Object.keys(refused.body.errors)).toEqual([
				'userId' in body && 'email' in body ? 'userId' : 'email'
			]);
		}

		// By email too, whatever its case: the exact account, not the first search match.
		const third = await signUp(api, 'Third Owner');
		const byEmail = await post(`/api/v1/admin/boards/${board.id}/owner`, {
			email: third.email.toUpperCase()
		});
		expect(byEmail.status, JSON.stringify(byEmail.body)).toBe(200);
		expect(byEmail.body.owners.map((o: { id: string }) => o.id)).toContain(third.id);
		await settle(t.app);
		const changed = await sql<{ type: string }[]>`
			select type from event_logs where board_id = ${board.id} and type = 'board.owner_changed'`;
		expect(changed).toHaveLength(2);
	});
});
