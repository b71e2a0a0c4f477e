/**
 * Who may use the admin console's endpoints, as a table: only the workspace admin; everyone else
 * gets 401 (no credential) or 403 (the editor's tokens, members and non-members alike), and
 * every cell checks the effect or its absence. `PATCH /api/v1/admin/users/:id` is in the
 * account matrix.
 */
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect } from 'vitest';
import {
	matrixTests,
	row,
	spec,
	startCast,
	type Cast,
	type EndpointSpec,
	type Row
} from './support/authz.ts';
import { createBoard, signUp, type TestUser } from './support/http.ts';

type Endpoint =
	| 'GET admin users'
	| 'GET admin user'
	| 'POST admin revoke sessions'
	| 'POST admin password reset'
	| 'GET admin boards'
	| 'POST admin restore board'
	| 'POST admin board owner'
	| 'GET admin events'
	| 'GET admin system';

// prettier-ignore
const expected: Record<Endpoint, Row> = {
	//                                anonymous  token read  token rw  non-member  viewer  editor  owner  admin
	'GET admin users':            row(401,      403,        403,      403,        403,    403,    403,   200),
	'GET admin user':             row(401,      403,        403,      403,        403,    403,    403,   200),
	'POST admin revoke sessions': row(401,      403,        403,      403,        403,    403,    403,   200),
	'POST admin password reset':  row(401,      403,        403,      403,        403,    403,    403,   201),
	'GET admin boards':           row(401,      403,        403,      403,        403,    403,    403,   200),
	'POST admin restore board':   row(401,      403,        403,      403,        403,    403,    403,   200),
	'POST admin board owner':     row(401,      403,        403,      403,        403,    403,    403,   200),
	'GET admin events':           row(401,      403,        403,      403,        403,    403,    403,   200),
	'GET admin system':           row(401,      403,        403,      403,        403,    403,    403,   200)
};

let cast: Cast;
let sql: postgres.Sql;
/** An account every read cell looks at, and an archived board. */
let subject: TestUser;
let archived: { id: string };

const me = (token: string) => cast.api.get('/api/v1/me', { token });

async function archivedBoard(): Promise<{ id: string }> {
	const board = await createBoard(cast.api, cast.users.owner, 'Matrix archived');
	const res = await cast.api.delete(`/api/v1/boards/${board.id}`, {
		token: cast.users.owner.token
	});
	expect(res.status).toBe(204);
	return board;
}

const readsNothing = async () => {
	expect((await me(subject.token)).status).toBe(200);
};

const endpoints: Record<Endpoint, EndpointSpec<unknown>> = {
	'GET admin users': spec<null>({
		fixture: async () => null,
		call: (_f, token) => cast.api.get('/api/v1/admin/users?limit=200', { token }),
		succeeded(res) {
			const ids = res.body.items.map((u: { id: string }) => u.id);
			expect(ids).toContain(subject.id);
			expect(JSON.stringify(res.body)).not.toContain('password');
		},
		verify: readsNothing
	}),
	'GET admin user': spec<null>({
		fixture: async () => null,
		call: (_f, token) => cast.api.get(`/api/v1/admin/users/${subject.id}`, { token }),
		succeeded(res) {
			expect(res.body).toMatchObject({ id: subject.id, email: subject.email });
		},
		verify: readsNothing
	}),
	'POST admin revoke sessions': spec<TestUser>({
		fixture: () => signUp(cast.api, 'Matrix Revoked'),
		call: (user, token) =>
			cast.api.post(`/api/v1/admin/users/${user.id}/sessions/revoke`, undefined, { token }),
		succeeded(res) {
			expect(res.body).toEqual({ sessionsEnded: 1 });
		},
		async verify(user, allowed) {
			expect((await me(user.token)).status).toBe(allowed ? 401 : 200);
		}
	}),
	'POST admin password reset': spec<TestUser>({
		fixture: () => signUp(cast.api, 'Matrix Reset'),
		call: (user, token) =>
			cast.api.post(`/api/v1/admin/users/${user.id}/password-reset`, undefined, { token }),
		succeeded(res) {
			expect(res.body.url).toMatch(/\/reset-password\//);
		},
		async verify(user, allowed) {
			const rows = await sql`select 1 from password_resets where user_id = ${user.id}`;
			expect(rows).toHaveLength(allowed ? 1 : 0);
		}
	}),
	'GET admin boards': spec<null>({
		fixture: async () => null,
		call: (_f, token) => cast.api.get('/api/v1/admin/boards?limit=200', { token }),
		succeeded(res) {
			const ids = res.body.items.map((b: { id: string }) => b.id);
			expect(ids).toContain(archived.id);
		},
		verify: readsNothing
	}),
	'POST admin restore board': spec<{ id: string }>({
		fixture: archivedBoard,
		call: ({ id }, token) =>
			cast.api.post(`/api/v1/admin/boards/${id}/restore`, undefined, { token }),
		succeeded(res, { id }) {
			expect(res.body).toMatchObject({ id, archivedAt: null });
		},
		async verify({ id }, allowed) {
			const [board] = await sql<{ archived_at: Date | null }[]>`
				select archived_at from boards where id = ${id}`;
			expect(board!.archived_at === null).toBe(allowed);
		}
	}),
	'POST admin board owner': spec<{ id: string; heir: TestUser }>({
		fixture: async () => ({
			id: (await createBoard(cast.api, cast.users.owner, 'Matrix handover')).id,
			heir: await signUp(cast.api, 'Matrix Heir')
		}),
		call: ({ id, heir }, token) =>
			cast.api.post(`/api/v1/admin/boards/${id}/owner`, { userId: heir.id }, { token }),
		succeeded(res, { heir }) {
			expect(res.body.owners.map((o: { id: string }) => o.id)).toContain(heir.id);
		},
		async verify({ id, heir }, allowed) {
			const members = await sql<{ role: string }[]>`
				select role from board_members where board_id = ${id} and user_id = ${heir.id}`;
			expect(members.map((m) => m.role)).toEqual(allowed ? ['owner'] : []);
		}
	}),
	'GET admin events': spec<null>({
		fixture: async () => null,
		call: (_f, token) =>
			cast.api.get(`/api/v1/admin/events?actor=${subject.id}&type=user.signed_up`, { token }),
		succeeded(res) {
			expect(res.body.items.map((e: { actorId: string }) => e.actorId)).toEqual([subject.id]);
			expect(res.body.items[0].metadata).toMatchObject({ instance: expect.any(String) });
		},
		verify: readsNothing
	}),
	'GET admin system': spec<null>({
		fixture: async () => null,
		call: (_f, token) => cast.api.get('/api/v1/admin/system', { token }),
		succeeded(res) {
			expect(res.body.dependencies.postgres.status).toBe('up');
		},
		verify: readsNothing
	})
};

beforeAll(async () => {
	cast = await startCast('Admin matrix');
	sql = postgres(cast.t.db.url, { max: 1, onnotice: () => {} });
	subject = await signUp(cast.api, 'Matrix Subject');
	archived = await archivedBoard();
});
afterAll(async () => {
	await sql?.end();
	await cast?.t.stop();
});

describe('admin console authorization matrix', () => {
	matrixTests(expected, endpoints, () => cast);
});
