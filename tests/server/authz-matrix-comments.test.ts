/**
 * Who may read and write comments, as a table: viewers read, editors and owners write and edit
 * their own, owners delete anyone's, non-members get 404 (like a missing card or comment) and
 * read-only tokens cannot write. Every write cell works on a comment of its own and checks the
 * effect, or its absence, through the owner's eyes.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
	matrixTests,
	row,
	spec,
	startCast,
	type Actor,
	type Cast,
	type EndpointSpec,
	type Row
} from './support/authz.ts';
import { addMember, createBoard, type ApiResponse, type TestUser } from './support/http.ts';
import { expectProblem } from './support/problem.ts';

type Endpoint =
	| 'GET comments'
	| 'GET comments ?boardId'
	| 'GET comment counts'
	| 'POST comment'
	| 'POST comment ?boardId'
	| 'PATCH own comment'
	| "PATCH another's comment"
	| 'DELETE own comment'
	| "DELETE another's comment";

// prettier-ignore
const expected: Record<Endpoint, Row> = {
	//                             anonymous  token read  token rw  non-member  viewer  editor  owner  admin
	'GET comments':            row(401,      200,        200,      404,        200,    200,    200,   200),
	'GET comments ?boardId':   row(401,      200,        200,      404,        200,    200,    200,   200),
	'GET comment counts':      row(401,      200,        200,      404,        200,    200,    200,   200),
	'POST comment':            row(401,      403,        201,      404,        403,    201,    201,   403),
	'POST comment ?boardId':   row(401,      403,        201,      404,        403,    201,    201,   403),
	'PATCH own comment':       row(401,      403,        200,      404,        403,    200,    200,   403),
	"PATCH another's comment": row(401,      403,        403,      404,        403,    403,    403,   403),
	'DELETE own comment':      row(401,      403,        204,      404,        403,    204,    204,   403),
	"DELETE another's comment": row(401,     403,        403,      404,        403,    403,    204,   403)
};

interface Fixture {
	taskId: string;
	commentId: string;
	body: string;
}

let cast: Cast;
let boardId: string;
let taskId: string;
let shared: Fixture;
const asOwner = () => ({ token: cast.users.owner.token });

async function ok(res: Promise<ApiResponse>, status = 200): Promise<any> {
	const answer = await res;
	expect(answer.status, JSON.stringify(answer.body)).toBe(status);
	return answer.body;
}

async function commentBy(user: TestUser): Promise<Fixture> {
	const body = `Matrix ${randomUUID()}`;
	const comment = await ok(
		cast.api.post(`/api/v1/tasks/${taskId}/comments`, { body }, { token: user.token }),
		201
	);
	return { taskId, commentId: comment.id, body };
}

/** Whose comment is "own" for an actor: theirs when they may write, else the editor's. */
function writerOf(actor: Actor): TestUser {
	const user = cast.userOf(actor);
	return user && (user === cast.users.owner || user === cast.users.editor)
		? user
		: cast.users.editor;
}

/** Someone else's: the editor's for the owner, the owner's for everyone else. */
function otherThan(actor: Actor): TestUser {
	return cast.userOf(actor) === cast.users.owner ? cast.users.editor : cast.users.owner;
}

async function ownerSees(commentId: string): Promise<{ body: string } | undefined> {
	const page = await ok(cast.api.get(`/api/v1/tasks/${taskId}/comments?limit=200`, asOwner()));
	return page.items.find((c: { id: string }) => c.id === commentId);
}

const auth = (credential: string | undefined) => (credential ? { token: credential } : {});

const patch = (who: (actor: Actor) => TestUser) =>
	spec<Fixture>({
		fixture: (actor) => commentBy(who(actor)),
		call: (f, credential) =>
			cast.api.patch(`/api/v1/comments/${f.commentId}`, { body: 'Changed' }, auth(credential)),
		succeeded: (res) => expect(res.body).toMatchObject({ body: 'Changed', edited: true }),
		async verify(f, allowed) {
			expect((await ownerSees(f.commentId))?.body).toBe(allowed ? 'Changed' : f.body);
		}
	});

const remove = (who: (actor: Actor) => TestUser) =>
	spec<Fixture>({
		fixture: (actor) => commentBy(who(actor)),
		call: (f, credential) => cast.api.delete(`/api/v1/comments/${f.commentId}`, auth(credential)),
		succeeded: () => {},
		async verify(f, allowed) {
			expect(await ownerSees(f.commentId)).toEqual(allowed ? undefined : expect.anything());
		}
	});

/** Posts on the matrix card; `on` is `''` or `?boardId=` (followed by the board's id). */
const post = (on: '' | '?boardId=') =>
	spec<Fixture>({
		fixture: async () => ({ taskId, commentId: '', body: `Posted ${randomUUID()}` }),
		call: (f, credential) =>
			cast.api.post(
				`/api/v1/tasks/${f.taskId}/comments${on && `${on}${boardId}`}`,
				{ body: f.body },
				auth(credential)
			),
		succeeded: (res, f) => expect(res.body).toMatchObject({ body: f.body, boardId, canEdit: true }),
		async verify(f, allowed) {
			const page = await ok(cast.api.get(`/api/v1/tasks/${taskId}/comments?limit=200`, asOwner()));
			const found = page.items.some((c: { body: string }) => c.body === f.body);
			expect(found).toBe(allowed);
		}
	});

const endpoints: Record<Endpoint, EndpointSpec<unknown>> = {
	'GET comments': spec<Fixture>({
		fixture: async () => shared,
		call: (f, credential) => cast.api.get(`/api/v1/tasks/${f.taskId}/comments`, auth(credential)),
		succeeded: (res) =>
			expect(res.body.items.map((c: { id: string }) => c.id)).toContain(shared.commentId),
		verify: async () => expect((await ownerSees(shared.commentId))?.body).toBe(shared.body)
	}),
	'GET comments ?boardId': spec<Fixture>({
		fixture: async () => shared,
		call: (f, credential) =>
			cast.api.get(`/api/v1/tasks/${f.taskId}/comments?boardId=${boardId}`, auth(credential)),
		succeeded: (res) =>
			expect(res.body.items.map((c: { id: string }) => c.id)).toContain(shared.commentId),
		verify: async () => expect((await ownerSees(shared.commentId))?.body).toBe(shared.body)
	}),
	'GET comment counts': spec<Fixture>({
		fixture: async () => shared,
		call: (_f, credential) =>
			cast.api.get(`/api/v1/boards/${boardId}/comment-counts`, auth(credential)),
		succeeded: (res) => expect(res.body.counts[taskId]).toBeGreaterThanOrEqual(1),
		verify: async () => expect((await ownerSees(shared.commentId))?.body).toBe(shared.body)
	}),
	'POST comment': post(''),
	'POST comment ?boardId': post('?boardId='),
	'PATCH own comment': patch(writerOf),
	"PATCH another's comment": patch(otherThan),
	'DELETE own comment': remove(writerOf),
	"DELETE another's comment": remove(otherThan)
};

beforeAll(async () => {
	cast = await startCast('Comments');
	const { api, users } = cast;
	const board = await createBoard(api, users.owner, 'Comment matrix');
	boardId = board.id;
	await addMember(api, users.owner, board.id, users.editor, 'editor');
	await addMember(api, users.owner, board.id, users.viewer, 'viewer');
	const task = await ok(
		api.post(`/api/v1/boards/${board.id}/tasks`, { title: 'Discussed' }, asOwner()),
		201
	);
	taskId = task.id;
	shared = await commentBy(users.owner);
}, 60_000);
afterAll(async () => {
	await cast?.t.stop();
});

describe('comment authorization matrix', () => {
	matrixTests(expected, endpoints, () => cast);

	it('hides comments from non-members exactly like ones that do not exist', async () => {
		const outsider = { token: cast.users['non-member'].token };
		const pairs: [Promise<ApiResponse>, Promise<ApiResponse>][] = [
			[
				cast.api.get(`/api/v1/tasks/${taskId}/comments`, outsider),
				cast.api.get(`/api/v1/tasks/${randomUUID()}/comments`, outsider)
			],
			[
				cast.api.patch(`/api/v1/comments/${shared.commentId}`, { body: 'x' }, outsider),
				cast.api.patch(`/api/v1/comments/${randomUUID()}`, { body: 'x' }, outsider)
			],
			[
				cast.api.delete(`/api/v1/comments/${shared.commentId}`, outsider),
				cast.api.delete(`/api/v1/comments/${randomUUID()}`, outsider)
			]
		];
		for (const [hiddenCall, absentCall] of pairs) {
			const [hidden, absent] = [await hiddenCall, await absentCall];
			expectProblem(hidden, 404);
			expectProblem(absent, 404);
			expect(hidden.body.detail).toBe(absent.body.detail);
		}
		expect((await ownerSees(shared.commentId))?.body).toBe(shared.body);
	});
});
