/**
 * Who may do what to a board, as a table: every actor against every board and member endpoint.
 * Each write runs on a fresh board, and every row checks the effect (or its absence) afterwards.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from './support/app.ts';
import {
	addMember,
	client,
	createBoard,
	signUp,
	type ApiResponse,
	type Client,
	type TestUser
} from './support/http.ts';
import { expectProblem } from './support/problem.ts';

type Actor = 'anonymous' | 'non-member' | 'viewer' | 'editor' | 'owner' | 'admin';
type Endpoint =
	| 'GET board'
	| 'PATCH board'
	| 'DELETE board'
	| 'GET members'
	| 'POST members'
	| 'PATCH member'
	| 'DELETE member';

const actors: Actor[] = ['anonymous', 'non-member', 'viewer', 'editor', 'owner', 'admin'];

/** The expected status of each endpoint for each actor. */
const expected: Record<Endpoint, Record<Actor, number>> = {
	'GET board': {
		anonymous: 401,
		'non-member': 404,
		viewer: 200,
		editor: 200,
		owner: 200,
		admin: 200
	},
	'PATCH board': {
		anonymous: 401,
		'non-member': 404,
		viewer: 403,
		editor: 403,
		owner: 200,
		admin: 200
	},
	'DELETE board': {
		anonymous: 401,
		'non-member': 404,
		viewer: 403,
		editor: 403,
		owner: 204,
		admin: 204
	},
	'GET members': {
		anonymous: 401,
		'non-member': 404,
		viewer: 200,
		editor: 200,
		owner: 200,
		admin: 200
	},
	'POST members': {
		anonymous: 401,
		'non-member': 404,
		viewer: 403,
		editor: 403,
		owner: 201,
		admin: 201
	},
	'PATCH member': {
		anonymous: 401,
		'non-member': 404,
		viewer: 403,
		editor: 403,
		owner: 200,
		admin: 200
	},
	'DELETE member': {
		anonymous: 401,
		'non-member': 404,
		viewer: 403,
		editor: 403,
		owner: 204,
		admin: 204
	}
};

let t: TestApp;
let api: Client;
let users: Record<Exclude<Actor, 'anonymous'>, TestUser>;
/** A viewer on every board, whose role the member endpoints change or remove. */
let target: TestUser;
/** Never a member until POST members adds them. */
let invitee: TestUser;
/** Shared by the rows that change nothing. */
let readBoard: string;

interface Fixture {
	boardId: string;
}

/** A board with owner, editor, viewer and target as members; the admin and outsider are not. */
async function buildBoard(title: string): Promise<Fixture> {
	const board = await createBoard(api, users.owner, title);
	await addMember(api, users.owner, board.id, users.editor, 'editor');
	await addMember(api, users.owner, board.id, users.viewer, 'viewer');
	await addMember(api, users.owner, board.id, target, 'viewer');
	return { boardId: board.id };
}

async function ownerView(boardId: string) {
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

interface EndpointSpec {
	/** Changes state, so it runs on a board of its own. */
	destructive: boolean;
	call(boardId: string, token: string | undefined): Promise<ApiResponse>;
	/** Checks the success body. */
	succeeded(res: ApiResponse, fixture: Fixture, actor: Actor): void;
	/** Checks the board afterwards, through the owner's eyes. */
	verify(fixture: Fixture, allowed: boolean): Promise<void>;
}

const originalRoles = () => ({
	[users.owner.id]: 'owner',
	[users.editor.id]: 'editor',
	[users.viewer.id]: 'viewer',
	[target.id]: 'viewer'
});

const myRoles: Record<Actor, string | null> = {
	anonymous: null,
	'non-member': null,
	viewer: 'viewer',
	editor: 'editor',
	owner: 'owner',
	admin: null
};

const endpoints: Record<Endpoint, EndpointSpec> = {
	'GET board': {
		destructive: false,
		call: (id, token) => api.get(`/api/v1/boards/${id}`, { token }),
		succeeded(res, { boardId }, actor) {
			expect(res.body).toMatchObject({ id: boardId, title: 'Matrix reads', archivedAt: null });
			expect(res.body.myRole).toBe(myRoles[actor]);
		},
		async verify({ boardId }) {
			expect((await ownerView(boardId)).board.title).toBe('Matrix reads');
		}
	},
	'PATCH board': {
		destructive: true,
		call: (id, token) => api.patch(`/api/v1/boards/${id}`, { title: 'Renamed' }, { token }),
		succeeded(res, { boardId }) {
			expect(res.body).toMatchObject({ id: boardId, title: 'Renamed' });
		},
		async verify({ boardId }, allowed) {
			expect((await ownerView(boardId)).board.title).toBe(allowed ? 'Renamed' : 'Matrix write');
		}
	},
	'DELETE board': {
		destructive: true,
		call: (id, token) => api.delete(`/api/v1/boards/${id}`, { token }),
		succeeded(res) {
			expect(res.body).toBe('');
		},
		async verify({ boardId }, allowed) {
			const { board } = await ownerView(boardId);
			if (allowed) expect(board.archivedAt).toEqual(expect.any(String));
			else expect(board.archivedAt).toBeNull();
			const list = await api.get('/api/v1/boards', { token: users.owner.token });
			const listed = list.body.items.some((b: { id: string }) => b.id === boardId);
			expect(listed).toBe(!allowed);
		}
	},
	'GET members': {
		destructive: false,
		call: (id, token) => api.get(`/api/v1/boards/${id}/members`, { token }),
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
	},
	'POST members': {
		destructive: true,
		call: (id, token) =>
			api.post(`/api/v1/boards/${id}/members`, { email: invitee.email, role: 'viewer' }, { token }),
		succeeded(res) {
			expect(res.body).toMatchObject({ userId: invitee.id, email: invitee.email, role: 'viewer' });
		},
		async verify({ boardId }, allowed) {
			const expectedRoles: Record<string, string> = originalRoles();
			if (allowed) expectedRoles[invitee.id] = 'viewer';
			expect((await ownerView(boardId)).roles).toEqual(expectedRoles);
		}
	},
	'PATCH member': {
		destructive: true,
		call: (id, token) =>
			api.patch(`/api/v1/boards/${id}/members/${target.id}`, { role: 'editor' }, { token }),
		succeeded(res) {
			expect(res.body).toMatchObject({ userId: target.id, role: 'editor' });
		},
		async verify({ boardId }, allowed) {
			expect((await ownerView(boardId)).roles).toEqual({
				...originalRoles(),
				[target.id]: allowed ? 'editor' : 'viewer'
			});
		}
	},
	'DELETE member': {
		destructive: true,
		call: (id, token) => api.delete(`/api/v1/boards/${id}/members/${target.id}`, { token }),
		succeeded(res) {
			expect(res.body).toBe('');
		},
		async verify({ boardId }, allowed) {
			const expectedRoles: Record<string, string> = originalRoles();
			if (allowed) delete expectedRoles[target.id];
			expect((await ownerView(boardId)).roles).toEqual(expectedRoles);
		}
	}
};

beforeAll(async () => {
	t = await startTestApp();
	api = client(t.url);
	// The first account is the workspace admin, and a member of none of these boards.
	const admin = await signUp(api, 'Matrix Admin');
	expect(admin.role).toBe('admin');
	users = {
		admin,
		owner: await signUp(api, 'Matrix Owner'),
		editor: await signUp(api, 'Matrix Editor'),
		viewer: await signUp(api, 'Matrix Viewer'),
		'non-member': await signUp(api, 'Matrix Outsider')
	};
	target = await signUp(api, 'Matrix Target');
	invitee = await signUp(api, 'Matrix Invitee');
	for (const user of [users.owner, users.editor, users.viewer, users['non-member'], target]) {
		expect(user.role).toBe('user');
	}
	readBoard = (await buildBoard('Matrix reads')).boardId;
});
afterAll(async () => {
	await t?.stop();
});

const rows = (Object.keys(expected) as Endpoint[]).flatMap((endpoint) =>
	actors.map((actor) => ({ endpoint, actor, status: expected[endpoint][actor] }))
);

describe('board authorization matrix', () => {
	it('covers every actor and endpoint', () => {
		expect(rows).toHaveLength(6 * 7);
	});

	it.each(rows)('$actor: $endpoint -> $status', async ({ endpoint, actor, status }) => {
		const spec = endpoints[endpoint];
		const fixture = spec.destructive ? await buildBoard('Matrix write') : { boardId: readBoard };
		const token = actor === 'anonymous' ? undefined : users[actor].token;

		const res = await spec.call(fixture.boardId, token);
		const allowed = status < 300;
		if (allowed) {
			expect(res.status, JSON.stringify(res.body)).toBe(status);
			if (status !== 204) {
				expect(res.headers.get('content-type')).toMatch(/^application\/json\b/);
			}
			spec.succeeded(res, fixture, actor);
		} else {
			expectProblem(res, status);
			if (status === 401) expect(res.headers.get('www-authenticate')).toMatch(/^Bearer/);
		}
		await spec.verify(fixture, allowed);
	});

	it('hides boards from non-members exactly like boards that do not exist', async () => {
		const missing = '00000000-0000-4000-8000-000000000000';
		for (const endpoint of Object.keys(endpoints) as Endpoint[]) {
			const spec = endpoints[endpoint];
			const hidden = await spec.call(readBoard, users['non-member'].token);
			const absent = await spec.call(missing, users['non-member'].token);
			expectProblem(hidden, 404);
			expectProblem(absent, 404);
			expect(hidden.body.detail).toBe(absent.body.detail);
			expect(hidden.body.title).toBe(absent.body.title);
		}
		await endpoints['GET members'].verify({ boardId: readBoard }, false);
	});
});
