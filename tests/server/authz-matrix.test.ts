/**
 * Who may do what to boards and their members, as a table: every actor against every board and
 * member endpoint. Writes run on a board of their own, and every cell checks the effect (or its
 * absence) afterwards. Columns, tasks and events: authz-matrix-tasks.test.ts; tokens, accounts
 * and sign-in: authz-matrix-account.test.ts.
 */
import { randomUUID } from 'node:crypto';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
	row,
	spec,
	startCast,
	type Actor,
	type Cast,
	type EndpointSpec,
	type Row,
	matrixTests
} from './support/authz.ts';
import { addMember, createBoard, signUp, type TestUser } from './support/http.ts';
import { expectProblem } from './support/problem.ts';

type Endpoint =
	| 'GET boards'
	| 'POST boards'
	| 'GET board'
	| 'PATCH board'
	| 'DELETE board'
	| 'GET members'
	| 'POST members'
	| 'PATCH member'
	| 'DELETE member';

/** The expected status of each endpoint for each actor. */
// prettier-ignore
const expected: Record<Endpoint, Row> = {
	//                  anonymous  token read  token rw  non-member  viewer  editor  owner  admin
	'GET boards':    row(401,      200,        200,      200,        200,    200,    200,   200),
	'POST boards':   row(401,      403,        201,      201,        201,    201,    201,   201),
	'GET board':     row(401,      200,        200,      404,        200,    200,    200,   200),
	'PATCH board':   row(401,      403,        403,      404,        403,    403,    200,   200),
	'DELETE board':  row(401,      403,        403,      404,        403,    403,    204,   204),
	'GET members':   row(401,      200,        200,      404,        200,    200,    200,   200),
	'POST members':  row(401,      403,        403,      404,        403,    403,    201,   201),
	'PATCH member':  row(401,      403,        403,      404,        403,    403,    200,   200),
	'DELETE member': row(401,      403,        403,      404,        403,    403,    204,   204)
};

let cast: Cast;
let sql: postgres.Sql;
/** A viewer on every board, whose role the member endpoints change or remove. */
let target: TestUser;
/** Never a member until POST members adds them. */
let invitee: TestUser;
/** Shared by the cells that change nothing. */
let readBoard: string;

interface Fixture {
	boardId: string;
}

/** A board with owner, editor, viewer and target as members; the admin and outsider are not. */
async function buildBoard(title: string): Promise<Fixture> {
	const { api, users } = cast;
	const board = await createBoard(api, users.owner, title);
	await addMember(api, users.owner, board.id, users.editor, 'editor');
	await addMember(api, users.owner, board.id, users.viewer, 'viewer');
	await addMember(api, users.owner, board.id, target, 'viewer');
	return { boardId: board.id };
}

const shared = async (): Promise<Fixture> => ({ boardId: readBoard });
const fresh = () => buildBoard('Matrix write');

async function ownerView(boardId: string) {
	const { api, users } = cast;
	const board = await api.get(`/api/v1/boards/${boardId}`, { token: users.owner.token });
	const members = await api.get(`/api/v1/boards/${boardId}/members`, {
		token: users.owner.token
	});
	expect(board.status).toBe(200);
	expect(members.status).toBe(200);
	const roles: Record<string, string> = Object.fromEntries(
		members.body.items.map((m: { userId: string; role: string }) => [m.userId, m.role])
	);
	return { board: board.body, roles };
}

const originalRoles = () => ({
	[cast.users.owner.id]: 'owner',
	[cast.users.editor.id]: 'editor',
	[cast.users.viewer.id]: 'viewer',
	[target.id]: 'viewer'
});

const myRoles: Record<Actor, string | null> = {
	anonymous: null,
	'token read': 'editor',
	'token read-write': 'editor',
	'non-member': null,
	viewer: 'viewer',
	editor: 'editor',
	owner: 'owner',
	admin: null
};

const unchangedBoard = async ({ boardId }: Fixture) => {
	expect((await ownerView(boardId)).board.title).toBe('Matrix reads');
};

const endpoints: Record<Endpoint, EndpointSpec<unknown>> = {
	'GET boards': spec<Fixture>({
		fixture: shared,
		call: (_f, token) => cast.api.get('/api/v1/boards', { token }),
		succeeded(res, { boardId }, actor) {
			expect(res.body.nextCursor).toBeNull();
			const listed = res.body.items.find((b: { id: string }) => b.id === boardId);
			// Only memberships are listed, also for the admin (who reaches others by id).
			if (myRoles[actor]) expect(listed).toMatchObject({ id: boardId, myRole: myRoles[actor] });
			else expect(listed).toBeUndefined();
		},
		verify: unchangedBoard
	}),
	'POST boards': spec<{ title: string }>({
		fixture: async () => ({ title: `Matrix new ${randomUUID()}` }),
		call: ({ title }, token) => cast.api.post('/api/v1/boards', { title }, { token }),
		succeeded(res, { title }) {
			expect(res.body).toMatchObject({ title, myRole: 'owner', archivedAt: null });
			expect(res.headers.get('location')).toBe(`/api/v1/boards/${res.body.id}`);
		},
		async verify({ title }, allowed, actor) {
			const owners = await sql<{ user_id: string }[]>`
				select m.user_id from boards b join board_members m on m.board_id = b.id
				where b.title = ${title} and m.role = 'owner'`;
			expect(owners.map((o) => o.user_id)).toEqual(allowed ? [cast.userOf(actor)!.id] : []);
		}
	}),
	'GET board': spec<Fixture>({
		fixture: shared,
		call: ({ boardId }, token) => cast.api.get(`/api/v1/boards/${boardId}`, { token }),
		succeeded(res, { boardId }, actor) {
			expect(res.body).toMatchObject({ id: boardId, title: 'Matrix reads', archivedAt: null });
			expect(res.body.myRole).toBe(myRoles[actor]);
		},
		verify: unchangedBoard
	}),
	'PATCH board': spec<Fixture>({
		fixture: fresh,
		call: ({ boardId }, token) =>
			cast.api.patch(`/api/v1/boards/${boardId}`, { title: 'Renamed' }, { token }),
		succeeded(res, { boardId }) {
			expect(res.body).toMatchObject({ id: boardId, title: 'Renamed' });
		},
		async verify({ boardId }, allowed) {
			expect((await ownerView(boardId)).board.title).toBe(allowed ? 'Renamed' : 'Matrix write');
		}
	}),
	'DELETE board': spec<Fixture>({
		fixture: fresh,
		call: ({ boardId }, token) => cast.api.delete(`/api/v1/boards/${boardId}`, { token }),
		succeeded() {},
		async verify({ boardId }, allowed) {
			const { board } = await ownerView(boardId);
			if (allowed) expect(board.archivedAt).toEqual(expect.any(String));
			else expect(board.archivedAt).toBeNull();
			const list = await cast.api.get('/api/v1/boards', { token: cast.users.owner.token });
			const listed = list.body.items.some((b: { id: string }) => b.id === boardId);
			expect(listed).toBe(!allowed);
		}
	}),
	'GET members': spec<Fixture>({
		fixture: shared,
		call: ({ boardId }, token) => cast.api.get(`/api/v1/boards/${boardId}/members`, { token }),
		succeeded(res) {
			expect(res.body.nextCursor).toBeNull();
			const roles = Object.fromEntries(
				res.body.items.map((m: { userId: string; role: string }) => [m.userId, m.role])
			);
			expect(roles).toEqual(originalRoles());
		},
		async verify({ boardId }) {
			expect((await ownerView(boardId)).roles).toEqual(originalRoles());
		}
	}),
	'POST members': spec<Fixture>({
		fixture: fresh,
		call: ({ boardId }, token) =>
			cast.api.post(
				`/api/v1/boards/${boardId}/members`,
				{ email: invitee.email, role: 'viewer' },
				{ token }
			),
		succeeded(res) {
			expect(res.body).toMatchObject({ userId: invitee.id, email: invitee.email, role: 'viewer' });
		},
		async verify({ boardId }, allowed) {
			const expectedRoles: Record<string, string> = originalRoles();
			if (allowed) expectedRoles[invitee.id] = 'viewer';
			expect((await ownerView(boardId)).roles).toEqual(expectedRoles);
		}
	}),
	'PATCH member': spec<Fixture>({
		fixture: fresh,
		call: ({ boardId }, token) =>
			cast.api.patch(
				`/api/v1/boards/${boardId}/members/${target.id}`,
				{ role: 'editor' },
				{ token }
			),
		succeeded(res) {
			expect(res.body).toMatchObject({ userId: target.id, role: 'editor' });
		},
		async verify({ boardId }, allowed) {
			expect((await ownerView(boardId)).roles).toEqual({
				...originalRoles(),
				[target.id]: allowed ? 'editor' : 'viewer'
			});
		}
	}),
	'DELETE member': spec<Fixture>({
		fixture: fresh,
		call: ({ boardId }, token) =>
			cast.api.delete(`/api/v1/boards/${boardId}/members/${target.id}`, { token }),
		succeeded() {},
		async verify({ boardId }, allowed) {
			const expectedRoles: Record<string, string> = originalRoles();
			if (allowed) delete expectedRoles[target.id];
			expect((await ownerView(boardId)).roles).toEqual(expectedRoles);
		}
	})
};

beforeAll(async () => {
	cast = await startCast('Matrix');
	sql = postgres(cast.t.db.url, { max: 1, onnotice: () => {} });
	target = await signUp(cast.api, 'Matrix Target');
	invitee = await signUp(cast.api, 'Matrix Invitee');
	readBoard = (await buildBoard('Matrix reads')).boardId;
});
afterAll(async () => {
	await sql?.end();
	await cast?.t.stop();
});

describe('board authorization matrix', () => {
	matrixTests(expected, endpoints, () => cast);

	it('hides boards from non-members exactly like boards that do not exist', async () => {
		const missing = { boardId: '00000000-0000-4000-8000-000000000000' };
		const outsider = cast.users['non-member'].token;
		for (const endpoint of Object.keys(endpoints) as Endpoint[]) {
			if (expected[endpoint]['non-member'] !== 404) continue;
			const call = endpoints[endpoint].call;
			const hidden = await call({ boardId: readBoard }, outsider);
			const absent = await call(missing, outsider);
			expectProblem(hidden, 404);
			expectProblem(absent, 404);
			expect(hidden.body.detail).toBe(absent.body.detail);
			expect(hidden.body.title).toBe(absent.body.title);
		}
		await endpoints['GET members'].verify({ boardId: readBoard }, false, 'non-member');
	});
});
