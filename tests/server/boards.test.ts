/** Boards and their members over /api/v1: every endpoint, its successes and its failures. */
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
import { connect } from './support/collab.ts';
import { acknowledged } from './support/events.ts';
import { boardMap } from '../../src/lib/domain/board/schema.ts';

const unknownUuid = '00000000-0000-4000-8000-000000000000';

function expectJson(res: ApiResponse, status: number): void {
	expect(res.status, JSON.stringify(res.body)).toBe(status);
	expect(res.headers.get('content-type')).toMatch(/^application\/json\b/);
}

function isoDate(value: unknown): boolean {
	return typeof value === 'string' && !Number.isNaN(Date.parse(value));
}

let t: TestApp;
let api: Client;
/** The first account, hence the workspace admin; a member of nothing unless added. */
let admin: TestUser;

beforeAll(async () => {
	// Contract checks off: some tests here need a document of an unknown schema version (written by a newer server, or before the checks), which
	// the checks now refuse over the websocket (tests/server/ws-hostile.test.ts covers them).
	t = await startTestApp({ BOARD_UPDATE_CHECKS: 'off' });
	api = client(t.url);
	admin = await signUp(api, 'Boards Admin');
	expect(admin.role).toBe('admin');
});
afterAll(async () => {
	await t?.stop();
});

describe('GET and POST /api/v1/boards', () => {
	it('creates a board: 201, Location, the caller as owner', async () => {
		const ana = await signUp(api, 'Ana Create');
		const res = await api.post('/api/v1/boards', { title: '  Roadmap  ' }, { token: ana.token });
		expectJson(res, 201);
		expect(res.body).toEqual({
			id: expect.stringMatching(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/),
			title: 'Roadmap',
			ownerId: ana.id,
			archivedAt: null,
			createdAt: expect.any(String),
			updatedAt: expect.any(String),
			myRole: 'owner'
		});
		expect(isoDate(res.body.createdAt)).toBe(true);
		expect(isoDate(res.body.updatedAt)).toBe(true);
		expect(res.headers.get('location')).toBe(`/api/v1/boards/${res.body.id}`);

		const fetched = await api.get(res.headers.get('location')!, { token: ana.token });
		expectJson(fetched, 200);
		expect(fetched.body).toEqual(res.body);

		const members = await api.get(`/api/v1/boards/${res.body.id}/members`, { token: ana.token });
		expect(members.body.items).toEqual([
			expect.objectContaining({ userId: ana.id, role: 'owner' })
		]);
	});

	it('accepts a 255-character title and refuses 256 characters with 422', async () => {
		const ana = await signUp(api, 'Ana Long');
		const ok = await api.post('/api/v1/boards', { title: 'x'.repeat(255) }, { token: ana.token });
		expectJson(ok, 201);
		expect(ok.body.title).toHaveLength(255);

		const tooLong = await api.post(
			'/api/v1/boards',
			{ title: 'x'.repeat(256) },
			{ token: ana.token }
		);
		expectProblem(tooLong, 422);
		expect(tooLong.body.errors.title).toEqual(expect.any(String));
	});

	it.each([
		['an empty title', { title: '' }],
		['a blank title', { title: '   \t ' }],
		['no title', {}],
		['a numeric title', { title: 42 }],
		['a null title', { title: null }]
	])('refuses %s with 422 and a title error', async (_what, body) => {
		const ana = await signUp(api, 'Ana Invalid');
		const res = await api.post('/api/v1/boards', body, { token: ana.token });
		expectProblem(res, 422);
		expect(res.body.errors).toEqual({ title: expect.any(String) });
		const list = await api.get('/api/v1/boards', { token: ana.token });
		expect(list.body.items).toEqual([]);
	});

	it('refuses malformed JSON (400), other media types (415) and a JSON array (422)', async () => {
		const ana = await signUp(api, 'Ana Body');
		expectProblem(
			await api.post('/api/v1/boards', undefined, { token: ana.token, raw: '{"title":' }),
			400
		);
		expectProblem(
			await api.post('/api/v1/boards', undefined, {
				token: ana.token,
				raw: '<title>x</title>',
				contentType: 'application/xml'
			}),
			415
		);
		expectProblem(await api.post('/api/v1/boards', ['x'], { token: ana.token }), 422);
	});

	it('refuses a compressed body (415) and takes one marked identity', async () => {
		const ana = await signUp(api, 'Ana Coding');
		for (const coding of ['gzip', 'br, gzip']) {
			const res = await api.post(
				'/api/v1/boards',
				{ title: 'Claims to be compressed' },
				{ token: ana.token, headers: { 'content-encoding': coding } }
			);
			expectProblem(res, 415);
			expect(res.headers.get('accept-encoding')).toBe('identity');
		}
		const list = await api.get('/api/v1/boards', { token: ana.token });
		expect(list.body.items).toEqual([]);
		const plain = await api.post(
			'/api/v1/boards',
			{ title: 'Plain' },
			{ token: ana.token, headers: { 'content-encoding': 'identity' } }
		);
		expect(plain.status).toBe(201);
	});

	it('answers 401 to anonymous callers and bad tokens', async () => {
		const list = await api.get('/api/v1/boards');
		expectProblem(list, 401);
		expect(list.headers.get('www-authenticate')).toMatch(/^Bearer/);
		expectProblem(await api.post('/api/v1/boards', { title: 'Nope' }), 401);
		expectProblem(await api.get('/api/v1/boards', { token: 'a'.repeat(40) }), 401);
	});

	it('lists only the boards the caller belongs to, as {items, nextCursor} with myRole', async () => {
		const ana = await signUp(api, 'Ana List');
		const ben = await signUp(api, 'Ben List');
		const empty = await api.get('/api/v1/boards', { token: ana.token });
		expectJson(empty, 200);
		expect(empty.body).toEqual({ items: [], nextCursor: null });

		const own = await createBoard(api, ana, 'Ana owns');
		const shared = await createBoard(api, ben, 'Ben shares');
		await addMember(api, ben, shared.id, ana, 'viewer');
		const editing = await createBoard(api, ben, 'Ben lets Ana edit');
		await addMember(api, ben, editing.id, ana, 'editor');
		const hidden = await createBoard(api, ben, 'Ben keeps');

		const res = await api.get('/api/v1/boards', { token: ana.token });
		expectJson(res, 200);
		expect(Object.keys(res.body).sort()).toEqual(['items', 'nextCursor']);
		expect(res.body.nextCursor).toBeNull();
		const byId = new Map<string, { myRole: string; title: string }>(
			res.body.items.map((b: { id: string; myRole: string; title: string }) => [b.id, b])
		);
		expect(byId.size).toBe(3);
		expect(byId.get(own.id)).toMatchObject({ title: 'Ana owns', myRole: 'owner' });
		expect(byId.get(shared.id)).toMatchObject({ title: 'Ben shares', myRole: 'viewer' });
		expect(byId.get(editing.id)).toMatchObject({ title: 'Ben lets Ana edit', myRole: 'editor' });
		expect(byId.has(hidden.id)).toBe(false);
		for (const item of res.body.items) {
			expect(Object.keys(item).sort()).toEqual(
				['archivedAt', 'createdAt', 'id', 'myRole', 'ownerId', 'title', 'updatedAt'].sort()
			);
		}

		// The admin sees no boards in their own list: it lists memberships only.
		const adminList = await api.get('/api/v1/boards', { token: admin.token });
		expect(adminList.body.items.map((b: { id: string }) => b.id)).not.toContain(own.id);
	});

	it('lists the most recently updated board first', async () => {
		const ana = await signUp(api, 'Ana Order');
		const first = await createBoard(api, ana, 'First');
		const second = await createBoard(api, ana, 'Second');
		await new Promise((r) => setTimeout(r, 5));
		await api.patch(
			`/api/v1/boards/${first.id}`,
			{ title: 'First, renamed' },
			{ token: ana.token }
		);
		const res = await api.get('/api/v1/boards', { token: ana.token });
		expect(res.body.items.map((b: { id: string }) => b.id)).toEqual([first.id, second.id]);
	});
});

describe('GET, PATCH and DELETE /api/v1/boards/:id', () => {
	let owner: TestUser;
	let viewer: TestUser;
	let outsider: TestUser;

	beforeAll(async () => {
		owner = await signUp(api, 'Owner Single');
		viewer = await signUp(api, 'Viewer Single');
		outsider = await signUp(api, 'Outsider Single');
	});

	it('GET answers 200 with the board and the caller role', async () => {
		const board = await createBoard(api, owner, 'Readable');
		await addMember(api, owner, board.id, viewer, 'viewer');
		const asOwner = await api.get(`/api/v1/boards/${board.id}`, { token: owner.token });
		expectJson(asOwner, 200);
		expect(asOwner.body).toMatchObject({
			id: board.id,
			title: 'Readable',
			ownerId: owner.id,
			archivedAt: null,
			myRole: 'owner'
		});
		const asViewer = await api.get(`/api/v1/boards/${board.id}`, { token: viewer.token });
		expectJson(asViewer, 200);
		expect(asViewer.body.myRole).toBe('viewer');
		const asAdmin = await api.get(`/api/v1/boards/${board.id}`, { token: admin.token });
		expectJson(asAdmin, 200);
		expect(asAdmin.body.myRole).toBeNull();
	});

	it('GET answers 404 for unknown, malformed and hidden boards, 401 anonymously', async () => {
		const board = await createBoard(api, owner, 'Hidden');
		expectProblem(await api.get(`/api/v1/boards/${unknownUuid}`, { token: owner.token }), 404);
		for (const bad of [
			'not-a-uuid',
			'123',
			`${board.id}x`,
			board.id.toUpperCase() + '-1',
			"1'or'1"
		]) {
			expectProblem(
				await api.get(`/api/v1/boards/${encodeURIComponent(bad)}`, { token: owner.token }),
				404
			);
		}
		const hidden = await api.get(`/api/v1/boards/${board.id}`, { token: outsider.token });
		expectProblem(hidden, 404);
		const unknown = await api.get(`/api/v1/boards/${unknownUuid}`, { token: outsider.token });
		// A board you may not see looks exactly like one that does not exist.
		expect(hidden.body.detail).toBe(unknown.body.detail);
		expectProblem(await api.get(`/api/v1/boards/${board.id}`), 401);
	});

	it('GET accepts an upper-case board id', async () => {
		const board = await createBoard(api, owner, 'Case');
		const res = await api.get(`/api/v1/boards/${board.id.toUpperCase()}`, { token: owner.token });
		expectJson(res, 200);
		expect(res.body.id).toBe(board.id);
	});

	it('PATCH renames the board and bumps updatedAt', async () => {
		const board = await createBoard(api, owner, 'Old name');
		const before = await api.get(`/api/v1/boards/${board.id}`, { token: owner.token });
		await new Promise((r) => setTimeout(r, 5));
		const res = await api.patch(
			`/api/v1/boards/${board.id}`,
			{ title: '  New name ' },
			{ token: owner.token }
		);
		expectJson(res, 200);
		expect(res.body).toMatchObject({ id: board.id, title: 'New name', myRole: 'owner' });
		expect(Date.parse(res.body.updatedAt)).toBeGreaterThan(Date.parse(before.body.updatedAt));
		expect(res.body.createdAt).toBe(before.body.createdAt);
		const after = await api.get(`/api/v1/boards/${board.id}`, { token: owner.token });
		expect(after.body.title).toBe('New name');
	});

	it('PATCH refuses bad titles and bodies, unknown boards and non-owners', async () => {
		const board = await createBoard(api, owner, 'Keep me');
		await addMember(api, owner, board.id, viewer, 'viewer');
		const path = `/api/v1/boards/${board.id}`;
		for (const body of [
			{ title: '' },
			{ title: 'y'.repeat(256) },
			{},
			{ title: 7 },
			// Nothing a person can see: zero-width space and a direction mark.
			{ title: '\u202e\u200b' }
		]) {
			const res = await api.patch(path, body, { token: owner.token });
			expectProblem(res, 422);
			expect(res.body.errors.title).toEqual(expect.any(String));
		}
		expectProblem(await api.patch(path, undefined, { token: owner.token, raw: '{' }), 400);
		expectProblem(
			await api.patch(path, undefined, {
				token: owner.token,
				raw: 'title=x',
				contentType: 'application/xml'
			}),
			415
		);
		expectProblem(
			await api.patch(`/api/v1/boards/${unknownUuid}`, { title: 'x' }, { token: owner.token }),
			404
		);
		expectProblem(
			await api.patch('/api/v1/boards/nope', { title: 'x' }, { token: owner.token }),
			404
		);
		expectProblem(await api.patch(path, { title: 'Viewer' }, { token: viewer.token }), 403);
		expectProblem(await api.patch(path, { title: 'Outsider' }, { token: outsider.token }), 404);
		expectProblem(await api.patch(path, { title: 'Anonymous' }), 401);
		const after = await api.get(path, { token: owner.token });
		expect(after.body.title).toBe('Keep me');
	});

	it('DELETE archives: 204, gone from lists, still readable with archivedAt', async () => {
		const board = await createBoard(api, owner, 'To archive');
		await addMember(api, owner, board.id, viewer, 'viewer');
		const res = await api.delete(`/api/v1/boards/${board.id}`, { token: owner.token });
		expect(res.status).toBe(204);
		expect(res.body).toBe('');

		for (const user of [owner, viewer]) {
			const list = await api.get('/api/v1/boards', { token: user.token });
			expect(list.body.items.map((b: { id: string }) => b.id)).not.toContain(board.id);
		}
		const fetched = await api.get(`/api/v1/boards/${board.id}`, { token: owner.token });
		expectJson(fetched, 200);
		expect(fetched.body.title).toBe('To archive');
		expect(isoDate(fetched.body.archivedAt)).toBe(true);
		expect((await api.get(`/api/v1/boards/${board.id}`, { token: viewer.token })).status).toBe(200);
		const members = await api.get(`/api/v1/boards/${board.id}/members`, { token: owner.token });
		expect(members.body.items).toHaveLength(2);

		// Archiving again is harmless and keeps the original archive time.
		const again = await api.delete(`/api/v1/boards/${board.id}`, { token: owner.token });
		expect(again.status).toBe(204);
		const still = await api.get(`/api/v1/boards/${board.id}`, { token: owner.token });
		expect(still.body.archivedAt).toBe(fetched.body.archivedAt);

		// An archived board is kept as it was: renaming it is refused like any other change.
		const rename = await api.patch(
			`/api/v1/boards/${board.id}`,
			{ title: 'Renamed in the archive' },
			{ token: owner.token }
		);
		expectProblem(rename, 409);
		// The board page's rename form refuses it too.
		const form = await fetch(new URL(`/boards/${board.id}?/rename`, t.url), {
			method: 'POST',
			redirect: 'manual',
			headers: {
				origin: t.url,
				cookie: `tf_session=${owner.token}`,
				accept: 'application/json',
				'content-type': 'application/x-www-form-urlencoded'
			},
			body: new URLSearchParams({ title: 'Renamed by the form' }).toString()
		});
		const result = (await form.json()) as { type: string; status: number; data: string };
		expect(result).toMatchObject({ type: 'failure', status: 400 });
		expect(result.data).toContain('This board is archived');
		const kept = await api.get(`/api/v1/boards/${board.id}`, { token: owner.token });
		expect(kept.body.title).toBe('To archive');
	});

	it('PATCH explains, not crashes, when the document is of a schema this server does not know', async () => {
		const board = await createBoard(api, owner, 'From the future');
		// A newer (or hostile) client stamped another schema version into the document.
		const client = connect(t.url, board.id, { token: owner.token });
		try {
			expect(await client.ready).toBe(true);
			boardMap(client.doc).set('schemaVersion', 99);
			await acknowledged(client);
		} finally {
			client.destroy();
		}
		const rename = await api.patch(
			`/api/v1/boards/${board.id}`,
			{ title: 'Renamed' },
			{ token: owner.token }
		);
		expectProblem(rename, 422);
		expect(rename.body.detail).toMatch(/schema version 99/);
	});

	it('DELETE refuses unknown or malformed boards, non-owners and anonymous callers', async () => {
		const board = await createBoard(api, owner, 'Stays');
		await addMember(api, owner, board.id, viewer, 'viewer');
		expectProblem(await api.delete(`/api/v1/boards/${unknownUuid}`, { token: owner.token }), 404);
		expectProblem(await api.delete('/api/v1/boards/not-a-board', { token: owner.token }), 404);
		expectProblem(await api.delete(`/api/v1/boards/${board.id}`, { token: viewer.token }), 403);
		expectProblem(await api.delete(`/api/v1/boards/${board.id}`, { token: outsider.token }), 404);
		expectProblem(await api.delete(`/api/v1/boards/${board.id}`), 401);
		const after = await api.get(`/api/v1/boards/${board.id}`, { token: owner.token });
		expect(after.body.archivedAt).toBeNull();
	});
});

describe('/api/v1/boards/:id/members', () => {
	let owner: TestUser;

	beforeAll(async () => {
		owner = await signUp(api, 'Member Owner');
	});

	function membersPath(boardId: string, userId?: string): string {
		return `/api/v1/boards/${boardId}/members${userId ? `/${userId}` : ''}`;
	}

	async function roles(boardId: string): Promise<Record<string, string>> {
		const res = await api.get(membersPath(boardId), { token: owner.token });
		expectJson(res, 200);
		return Object.fromEntries(
			res.body.items.map((m: { userId: string; role: string }) => [m.userId, m.role])
		);
	}

	it('GET lists members as {items, nextCursor}, owners first', async () => {
		const board = await createBoard(api, owner, 'Members list');
		const viewer = await signUp(api, 'Aaron Viewer');
		const editor = await signUp(api, 'Zed Editor');
		await addMember(api, owner, board.id, viewer, 'viewer');
		await addMember(api, owner, board.id, editor, 'editor');

		for (const user of [owner, viewer, editor]) {
			const res = await api.get(membersPath(board.id), { token: user.token });
			expectJson(res, 200);
			expect(res.body.nextCursor).toBeNull();
			expect(res.body.items.map((m: { userId: string }) => m.userId)).toEqual([
				owner.id,
				editor.id,
				viewer.id
			]);
		}
		const res = await api.get(membersPath(board.id), { token: owner.token });
		expect(res.body.items[0]).toEqual({
			userId: owner.id,
			email: owner.email,
			name: owner.name,
			role: 'owner',
			addedAt: expect.any(String)
		});
		expect(isoDate(res.body.items[0].addedAt)).toBe(true);
		for (const item of res.body.items) expect(item).not.toHaveProperty('password_hash');
	});

	it('GET answers 404 for unknown, malformed and hidden boards and 401 anonymously', async () => {
		const board = await createBoard(api, owner, 'Members hidden');
		const outsider = await signUp(api, 'Members Outsider');
		expectProblem(await api.get(membersPath(unknownUuid), { token: owner.token }), 404);
		expectProblem(await api.get(membersPath('zzz'), { token: owner.token }), 404);
		expectProblem(await api.get(membersPath(board.id), { token: outsider.token }), 404);
		expectProblem(await api.get(membersPath(board.id)), 401);
	});

	it('POST adds a member by email (any case): 201 with the member', async () => {
		const board = await createBoard(api, owner, 'Invite');
		const invitee = await signUp(api, 'Invitee Person');
		const res = await api.post(
			membersPath(board.id),
			{ email: `  ${invitee.email.toUpperCase()} `, role: 'editor' },
			{ token: owner.token }
		);
		expectJson(res, 201);
		expect(res.body).toEqual({
			userId: invitee.id,
			email: invitee.email,
			name: invitee.name,
			role: 'editor',
			addedAt: expect.any(String)
		});
		expect(await roles(board.id)).toEqual({ [owner.id]: 'owner', [invitee.id]: 'editor' });
		const seen = await api.get(`/api/v1/boards/${board.id}`, { token: invitee.token });
		expect(seen.body.myRole).toBe('editor');
	});

	it('POST can add a second owner', async () => {
		const board = await createBoard(api, owner, 'Co-owned');
		const other = await signUp(api, 'Co Owner');
		const res = await api.post(
			membersPath(board.id),
			{ email: other.email, role: 'owner' },
			{ token: owner.token }
		);
		expectJson(res, 201);
		expect(res.body.role).toBe('owner');
		// The new owner can manage the board.
		const renamed = await api.patch(
			`/api/v1/boards/${board.id}`,
			{ title: 'Renamed by co-owner' },
			{ token: other.token }
		);
		expectJson(renamed, 200);
	});

	it('POST answers 422 for an unknown or disabled email, a bad email or role', async () => {
		const board = await createBoard(api, owner, 'Invite errors');
		const unknown = await api.post(
			membersPath(board.id),
			{ email: 'nobody-here@example.com', role: 'viewer' },
			{ token: owner.token }
		);
		expectProblem(unknown, 422);
		expect(unknown.body.errors.email).toEqual(expect.any(String));

		const disabled = await signUp(api, 'Disabled Invitee');
		const off = await api.patch(
			`/api/v1/admin/users/${disabled.id}`,
			{ disabled: true },
			{ token: admin.token }
		);
		expect(off.status).toBe(200);
		const toDisabled = await api.post(
			membersPath(board.id),
			{ email: disabled.email, role: 'viewer' },
			{ token: owner.token }
		);
		expectProblem(toDisabled, 422);
		expect(toDisabled.body.errors.email).toEqual(expect.any(String));
		// Same answer as for an address without an account.
		expect(toDisabled.body.detail).toBe(unknown.body.detail);

		const someone = await signUp(api, 'Role Errors');
		for (const [body, field] of [
			[{ email: 'not-an-email', role: 'viewer' }, 'email'],
			[{ role: 'viewer' }, 'email'],
			[{ email: someone.email, role: 'admin' }, 'role'],
			[{ email: someone.email, role: 'Owner' }, 'role'],
			[{ email: someone.email }, 'role']
		] as const) {
			const res = await api.post(membersPath(board.id), body, { token: owner.token });
			expectProblem(res, 422);
			expect(res.body.errors[field]).toEqual(expect.any(String));
		}
		expectProblem(
			await api.post(membersPath(board.id), undefined, { token: owner.token, raw: '[' }),
			400
		);
		expect(Object.keys(await roles(board.id))).toEqual([owner.id]);
	});

	it('POST answers 409 for someone who is already a member', async () => {
		const board = await createBoard(api, owner, 'Invite twice');
		const member = await signUp(api, 'Already Member');
		await addMember(api, owner, board.id, member, 'viewer');
		const again = await api.post(
			membersPath(board.id),
			{ email: member.email, role: 'editor' },
			{ token: owner.token }
		);
		expectProblem(again, 409);
		expect(again.body.errors.email).toEqual(expect.any(String));
		const self = await api.post(
			membersPath(board.id),
			{ email: owner.email.toUpperCase(), role: 'viewer' },
			{ token: owner.token }
		);
		expectProblem(self, 409);
		// Nothing changed: the existing role stays.
		expect(await roles(board.id)).toEqual({ [owner.id]: 'owner', [member.id]: 'viewer' });
	});

	it('POST answers 404 for unknown or malformed boards', async () => {
		const someone = await signUp(api, 'Lost Invitee');
		const body = { email: someone.email, role: 'viewer' };
		expectProblem(await api.post(membersPath(unknownUuid), body, { token: owner.token }), 404);
		expectProblem(await api.post(membersPath('bad-id'), body, { token: owner.token }), 404);
	});

	it('PATCH changes a role: 200 with the member', async () => {
		const board = await createBoard(api, owner, 'Promote');
		const member = await signUp(api, 'Promoted');
		await addMember(api, owner, board.id, member, 'viewer');
		const res = await api.patch(
			membersPath(board.id, member.id),
			{ role: 'editor' },
			{ token: owner.token }
		);
		expectJson(res, 200);
		expect(res.body).toEqual({
			userId: member.id,
			email: member.email,
			name: member.name,
			role: 'editor',
			addedAt: expect.any(String)
		});
		expect((await roles(board.id))[member.id]).toBe('editor');
		const same = await api.patch(
			membersPath(board.id, member.id),
			{ role: 'editor' },
			{ token: owner.token }
		);
		expectJson(same, 200);
	});

	it('PATCH answers 409 when demoting the last owner', async () => {
		const board = await createBoard(api, owner, 'Last owner');
		const editor = await signUp(api, 'Not An Owner');
		await addMember(api, owner, board.id, editor, 'editor');
		for (const role of ['editor', 'viewer']) {
			expectProblem(
				await api.patch(membersPath(board.id, owner.id), { role }, { token: owner.token }),
				409
			);
		}
		// Not even an admin may leave a board without an owner.
		expectProblem(
			await api.patch(membersPath(board.id, owner.id), { role: 'viewer' }, { token: admin.token }),
			409
		);
		// Keeping the owner an owner is fine.
		expectJson(
			await api.patch(membersPath(board.id, owner.id), { role: 'owner' }, { token: owner.token }),
			200
		);
		expect((await roles(board.id))[owner.id]).toBe('owner');
	});

	it('PATCH lets a board with two owners demote one, then protects the other', async () => {
		const board = await createBoard(api, owner, 'Two owners');
		const second = await signUp(api, 'Second Owner');
		await addMember(api, owner, board.id, second, 'owner');

		const demoted = await api.patch(
			membersPath(board.id, owner.id),
			{ role: 'editor' },
			{ token: second.token }
		);
		expectJson(demoted, 200);
		expect(demoted.body.role).toBe('editor');
		expect(await roles(board.id)).toEqual({ [owner.id]: 'editor', [second.id]: 'owner' });

		// The demoted owner can no longer manage members.
		expectProblem(
			await api.patch(membersPath(board.id, second.id), { role: 'viewer' }, { token: owner.token }),
			403
		);
		// And the remaining owner is now the last one.
		expectProblem(
			await api.patch(
				membersPath(board.id, second.id),
				{ role: 'viewer' },
				{ token: second.token }
			),
			409
		);
	});

	it('PATCH answers 404 for non-members and malformed ids, 422 for a bad role', async () => {
		const board = await createBoard(api, owner, 'Patch errors');
		const stranger = await signUp(api, 'Patch Stranger');
		const member = await signUp(api, 'Patch Member');
		await addMember(api, owner, board.id, member, 'viewer');
		expectProblem(
			await api.patch(
				membersPath(board.id, stranger.id),
				{ role: 'editor' },
				{ token: owner.token }
			),
			404
		);
		expectProblem(
			await api.patch(
				membersPath(board.id, unknownUuid),
				{ role: 'editor' },
				{ token: owner.token }
			),
			404
		);
		expectProblem(
			await api.patch(
				membersPath(board.id, 'not-a-user'),
				{ role: 'editor' },
				{ token: owner.token }
			),
			404
		);
		expectProblem(
			await api.patch(
				membersPath(unknownUuid, member.id),
				{ role: 'editor' },
				{ token: owner.token }
			),
			404
		);
		expectProblem(
			await api.patch(membersPath('bad', member.id), { role: 'editor' }, { token: owner.token }),
			404
		);
		for (const body of [{ role: 'admin' }, {}, { role: null }]) {
			const res = await api.patch(membersPath(board.id, member.id), body, { token: owner.token });
			expectProblem(res, 422);
			expect(res.body.errors.role).toEqual(expect.any(String));
		}
		expectProblem(
			await api.patch(membersPath(board.id, member.id), undefined, {
				token: owner.token,
				raw: 'nope'
			}),
			400
		);
		// The stranger did not become a member.
		expect(await roles(board.id)).toEqual({ [owner.id]: 'owner', [member.id]: 'viewer' });
	});

	it('DELETE removes a member: 204, and their access ends', async () => {
		const board = await createBoard(api, owner, 'Remove');
		const member = await signUp(api, 'Removed Member');
		await addMember(api, owner, board.id, member, 'editor');
		expect((await api.get(`/api/v1/boards/${board.id}`, { token: member.token })).status).toBe(200);

		const res = await api.delete(membersPath(board.id, member.id), { token: owner.token });
		expect(res.status).toBe(204);
		expect(res.body).toBe('');
		expect(await roles(board.id)).toEqual({ [owner.id]: 'owner' });
		expectProblem(await api.get(`/api/v1/boards/${board.id}`, { token: member.token }), 404);
		const list = await api.get('/api/v1/boards', { token: member.token });
		expect(list.body.items.map((b: { id: string }) => b.id)).not.toContain(board.id);

		// Removing again: no longer a member.
		expectProblem(await api.delete(membersPath(board.id, member.id), { token: owner.token }), 404);
	});

	it('DELETE refuses a viewer removing themselves (members are managed by owners)', async () => {
		const board = await createBoard(api, owner, 'Leave');
		const viewer = await signUp(api, 'Leaving Viewer');
		await addMember(api, owner, board.id, viewer, 'viewer');
		expectProblem(await api.delete(membersPath(board.id, viewer.id), { token: viewer.token }), 403);
		expect((await roles(board.id))[viewer.id]).toBe('viewer');
	});

	it('DELETE answers 409 when removing the last owner, but a second owner can go', async () => {
		const board = await createBoard(api, owner, 'Remove owner');
		expectProblem(await api.delete(membersPath(board.id, owner.id), { token: owner.token }), 409);
		expectProblem(await api.delete(membersPath(board.id, owner.id), { token: admin.token }), 409);
		expect(await roles(board.id)).toEqual({ [owner.id]: 'owner' });

		const second = await signUp(api, 'Removable Owner');
		await addMember(api, owner, board.id, second, 'owner');
		const res = await api.delete(membersPath(board.id, second.id), { token: owner.token });
		expect(res.status).toBe(204);
		expect(await roles(board.id)).toEqual({ [owner.id]: 'owner' });

		// An owner may also step down while another owner remains.
		const third = await signUp(api, 'Staying Owner');
		await addMember(api, owner, board.id, third, 'owner');
		expect((await api.delete(membersPath(board.id, owner.id), { token: owner.token })).status).toBe(
			204
		);
		const after = await api.get(`/api/v1/boards/${board.id}/members`, { token: third.token });
		expect(after.body.items.map((m: { userId: string }) => m.userId)).toEqual([third.id]);
	});

	it('DELETE answers 404 for non-members, unknown boards and malformed ids', async () => {
		const board = await createBoard(api, owner, 'Delete errors');
		const stranger = await signUp(api, 'Delete Stranger');
		expectProblem(
			await api.delete(membersPath(board.id, stranger.id), { token: owner.token }),
			404
		);
		expectProblem(
			await api.delete(membersPath(board.id, unknownUuid), { token: owner.token }),
			404
		);
		expectProblem(await api.delete(membersPath(board.id, 'abc'), { token: owner.token }), 404);
		expectProblem(
			await api.delete(membersPath(unknownUuid, owner.id), { token: owner.token }),
			404
		);
		expectProblem(await api.delete(membersPath('abc', owner.id), { token: owner.token }), 404);
		expectProblem(await api.delete(membersPath(board.id, owner.id)), 401);
	});
});

describe('unknown API paths', () => {
	it.each([
		['GET', '/api/v1/nope'],
		['GET', '/api/v2/boards'],
		['POST', '/api/v1/boards/x/y/z'],
		['DELETE', '/api/v1/users'],
		['GET', '/api/v1/boards/not-a-uuid/cards'],
		['PATCH', '/api/v1'],
		['GET', '/api']
	])('%s %s answers 404 problem+json', async (method, path) => {
		const ana = await signUp(api, 'Path Prober');
		const res = await api.request(method, path, undefined, { token: ana.token });
		expectProblem(res, 404);
		expect(res.body.instance).toBe(path);
		const anonymous = await api.request(method, path);
		expectProblem(anonymous, 404);
	});
});
