/**
 * Board, membership and account changes made over HTTP commit together with their audit events: when
 * the outbox cannot take the event (its table is gone, for real), the change is refused and
 * nothing is half-done; once it is back, change and event land together.
 */
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from './support/app.ts';
import { loggedEvents, settle } from './support/events.ts';
import { client, createBoard, signUp, type Client, type TestUser } from './support/http.ts';

let t: TestApp;
let api: Client;
let sql: postgres.Sql;
let admin: TestUser;
let ana: TestUser;
let ben: TestUser;

beforeAll(async () => {
	t = await startTestApp();
	api = client(t.url);
	sql = postgres(t.db.url, { max: 1, onnotice: () => {} });
	admin = await signUp(api, 'Admin');
	ana = await signUp(api, 'Ana');
	ben = await signUp(api, 'Ben');
});

afterAll(async () => {
	await sql?.end();
	await t?.stop();
});

const count = async (query: string) =>
	Number((await sql.unsafe<{ n: number }[]>(`select count(*)::int as n from ${query}`))[0]!.n);

describe('HTTP changes and their events', () => {
	it('are refused together when the outbox is unavailable, and land together after', async () => {
		const board = await createBoard(api, ana, 'Atomic');
		const boardsBefore = await count('boards');
		await sql`alter table event_outbox rename to event_outbox_away`;
		try {
			const add = await api.post(
				`/api/v1/boards/${board.id}/members`,
				{ email: ben.email, role: 'editor' },
				{ token: ana.token }
			);
			expect(add.status).toBe(500);
			expect(add.headers.get('content-type')).toBe('application/problem+json');
			expect(add.body).toMatchObject({ status: 500, requestId: expect.any(String) });
			expect(await count(`board_members where board_id = '${board.id}'`)).toBe(1);
			const create = await api.post('/api/v1/boards', { title: 'Never' }, { token: ana.token });
			expect(create.status).toBe(500);
			expect(await count('boards')).toBe(boardsBefore);
			const archive = await api.delete(`/api/v1/boards/${board.id}`, { token: ana.token });
			expect(archive.status).toBe(500);
			expect(await count(`boards where id = '${board.id}' and archived_at is null`)).toBe(1);
			// Accounts too: no account without its user.signed_up, no silent disabling.
			const users = await count('users');
			const signup = await api.post('/api/v1/auth/signup', {
				name: 'Never',
				email: 'never@example.com',
				password: 'a long enough passphrase'
			});
			expect(signup.status).toBe(500);
			expect(await count('users')).toBe(users);
			const disable = await api.patch(
				`/api/v1/admin/users/${ben.id}`,
				{ disabled: true },
				{ token: admin.token }
			);
			expect(disable.status).toBe(500);
			expect(await count(`users where id = '${ben.id}' and disabled_at is null`)).toBe(1);
		} finally {
			await sql`alter table event_outbox_away rename to event_outbox`;
		}

		const add = await api.post(
			`/api/v1/boards/${board.id}/members`,
			{ email: ben.email, role: 'editor' },
			{ token: ana.token }
		);
		expect(add.status).toBe(201);
		const role = await api.patch(
			`/api/v1/boards/${board.id}/members/${ben.id}`,
			{ role: 'viewer' },
			{ token: ana.token }
		);
		expect(role.status).toBe(200);
		const removed = await api.delete(`/api/v1/boards/${board.id}/members/${ben.id}`, {
			token: ana.token
		});
		expect(removed.status).toBe(204);
		// Two archive requests at once: both succeed, one archived it and records that.
		const archives = await Promise.all([
			api.delete(`/api/v1/boards/${board.id}`, { token: ana.token }),
			api.delete(`/api/v1/boards/${board.id}`, { token: ana.token })
		]);
		expect(archives.map((r) => r.status)).toEqual([204, 204]);
		// Twice at once: both answer 200, one of them disabled the account and records that.
		const disabled = await Promise.all(
			[1, 2].map(() =>
				api.patch(`/api/v1/admin/users/${ben.id}`, { disabled: true }, { token: admin.token })
			)
		);
		expect(disabled.map((r) => r.status)).toEqual([200, 200]);
		await settle(t.app);
		const accountEvents = await sql<{ type: string; actor: string }[]>`
			select document->>'type' as type, document->>'actorId' as actor from event_logs
			where document->>'entityId' = ${ben.id} and document->>'type' like 'user.%'
			order by seq`;
		expect(accountEvents).toEqual([
			{ type: 'user.signed_up', actor: ben.id },
			// signUp signs in after the sign-up, which starts no session.
			{ type: 'user.logged_in', actor: ben.id },
			{ type: 'user.disabled', actor: admin.id }
		]);
		const types = (await loggedEvents(t.db.url, board.id)).map((e) => `${e.type} by ${e.actorId}`);
		expect(types).toEqual([
			`board.created by ${ana.id}`,
			`member.added by ${ana.id}`,
			`member.role_changed by ${ana.id}`,
			`member.removed by ${ana.id}`,
			`board.archived by ${ana.id}`
		]);
	});
});
