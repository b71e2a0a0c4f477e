/**
 * Who may read and write a board's content, as a table: every actor against every column, task
 * and activity endpoint. Reads share one board; each write works on a column or task of its
 * own (on a shared write board), and every cell checks the effect or its absence afterwards
 * through the owner's eyes.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
	row,
	spec,
	startCast,
	type Cast,
	type EndpointSpec,
	type Row,
	matrixTests
} from './support/authz.ts';
import { settle } from './support/events.ts';
import { addMember, createBoard, type ApiResponse } from './support/http.ts';
import { expectProblem } from './support/problem.ts';

type Endpoint =
	| 'GET columns'
	| 'POST columns'
	| 'GET column'
	| 'PATCH column'
	| 'DELETE column'
	| 'GET tasks'
	| 'POST tasks'
	| 'GET task'
	| 'GET task ?boardId'
	| 'PATCH task'
	| 'PATCH task ?boardId'
	| 'DELETE task'
	| 'POST task move'
	| 'POST task restore'
	| 'GET board events'
	| 'GET task events'
	| 'GET board insights';

/** The expected status of each endpoint for each actor. Admins read any board, edit none. */
// prettier-ignore
const expected: Record<Endpoint, Row> = {
	//                      anonymous  token read  token rw  non-member  viewer  editor  owner  admin
	'GET columns':       row(401,      200,        200,      404,        200,    200,    200,   200),
	'POST columns':      row(401,      403,        201,      404,        403,    201,    201,   403),
	'GET column':        row(401,      200,        200,      404,        200,    200,    200,   200),
	'PATCH column':      row(401,      403,        200,      404,        403,    200,    200,   403),
	'DELETE column':     row(401,      403,        200,      404,        403,    200,    200,   403),
	'GET tasks':         row(401,      200,        200,      404,        200,    200,    200,   200),
	'POST tasks':        row(401,      403,        201,      404,        403,    201,    201,   403),
	'GET task':          row(401,      200,        200,      404,        200,    200,    200,   200),
	'GET task ?boardId': row(401,      200,        200,      404,        200,    200,    200,   200),
	'PATCH task':        row(401,      403,        200,      404,        403,    200,    200,   403),
	'PATCH task ?boardId': row(401,    403,        200,      404,        403,    200,    200,   403),
	'DELETE task':       row(401,      403,        200,      404,        403,    200,    200,   403),
	'POST task move':    row(401,      403,        200,      404,        403,    200,    200,   403),
	'POST task restore': row(401,      403,        200,      404,        403,    200,    200,   403),
	'GET board events':  row(401,      200,        200,      404,        200,    200,    200,   200),
	'GET task events':   row(401,      200,        200,      404,        200,    200,    200,   200),
	'GET board insights': row(401,     200,        200,      404,        200,    200,    200,   200)
};

/** What a cell works on; reads share one, writes get a column or task of their own. */
interface Fixture {
	boardId: string;
	columnId: string;
	taskId: string;
	/** A title unique to the cell, for the creating endpoints. */
	title: string;
}

let cast: Cast;
let reads: Fixture;
let readVersion: number;
let writeBoard: { id: string; columns: string[] };

const owner = () => ({ token: cast.users.owner.token });

async function ok(res: Promise<ApiResponse>, status = 200): Promise<any> {
	const answer = await res;
	expect(answer.status, JSON.stringify(answer.body)).toBe(status);
	return answer.body;
}

async function memberBoard(title: string) {
	const { api, users } = cast;
	const board = await createBoard(api, users.owner, title);
	await addMember(api, users.owner, board.id, users.editor, 'editor');
	await addMember(api, users.owner, board.id, users.viewer, 'viewer');
	const columns = await ok(api.get(`/api/v1/boards/${board.id}/columns`, owner()));
	return { id: board.id, columns: columns.items.map((c: { id: string }) => c.id) as string[] };
}

const shared = async () => reads;
const unique = async (): Promise<Fixture> => ({
	boardId: writeBoard.id,
	columnId: writeBoard.columns[0]!,
	taskId: '',
	title: `Matrix ${randomUUID()}`
});

/** A task of its own on the write board, created by the owner; `deleted` soft-deletes it. */
async function ownTask(deleted = false): Promise<Fixture> {
	const fixture = await unique();
	const task = await ok(
		cast.api.post(`/api/v1/boards/${writeBoard.id}/tasks`, { title: fixture.title }, owner()),
		201
	);
	if (deleted) await ok(cast.api.delete(`/api/v1/tasks/${task.id}`, owner()));
	return { ...fixture, taskId: task.id };
}

async function ownColumn(): Promise<Fixture> {
	const fixture = await unique();
	const column = await ok(
		cast.api.post(`/api/v1/boards/${writeBoard.id}/columns`, { title: 'Own column' }, owner()),
		201
	);
	return { ...fixture, columnId: column.id };
}

const ownerTask = (taskId: string) => ok(cast.api.get(`/api/v1/tasks/${taskId}`, owner()));
const ownerColumn = ({ boardId, columnId }: Fixture) =>
	ok(cast.api.get(`/api/v1/boards/${boardId}/columns/${columnId}`, owner()));

/** Reads change nothing: the shared task keeps its version. */
async function unchanged() {
	expect((await ownerTask(reads.taskId)).version).toBe(readVersion);
}

const tasksPath = (f: Fixture) => `/api/v1/boards/${f.boardId}/tasks`;
const columnsPath = (f: Fixture) => `/api/v1/boards/${f.boardId}/columns`;

const endpoints: Record<Endpoint, EndpointSpec<unknown>> = {
	'GET columns': spec<Fixture>({
		fixture: shared,
		call: (f, token) => cast.api.get(columnsPath(f), { token }),
		succeeded(res) {
			expect(res.body.items.map((c: { id: string }) => c.id)).toContain(reads.columnId);
			expect(res.body.items).toHaveLength(3);
		},
		verify: unchanged
	}),
	'POST columns': spec<Fixture>({
		fixture: unique,
		call: (f, token) => cast.api.post(columnsPath(f), { title: f.title }, { token }),
		succeeded(res, f) {
			expect(res.body).toMatchObject({ boardId: f.boardId, title: f.title, deletedAt: null });
		},
		async verify(f, allowed) {
			const { items } = await ok(cast.api.get(columnsPath(f), owner()));
			const made = items.filter((c: { title: string }) => c.title === f.title);
			expect(made).toHaveLength(allowed ? 1 : 0);
		}
	}),
	'GET column': spec<Fixture>({
		fixture: shared,
		call: (f, token) => cast.api.get(`${columnsPath(f)}/${f.columnId}`, { token }),
		succeeded(res, f) {
			expect(res.body).toMatchObject({ id: f.columnId, boardId: f.boardId });
		},
		verify: unchanged
	}),
	'PATCH column': spec<Fixture>({
		fixture: ownColumn,
		call: (f, token) =>
			cast.api.patch(`${columnsPath(f)}/${f.columnId}`, { title: 'Renamed column' }, { token }),
		succeeded(res, f) {
			expect(res.body).toMatchObject({ id: f.columnId, title: 'Renamed column' });
		},
		async verify(f, allowed) {
			expect((await ownerColumn(f)).title).toBe(allowed ? 'Renamed column' : 'Own column');
		}
	}),
	'DELETE column': spec<Fixture>({
		fixture: ownColumn,
		call: (f, token) => cast.api.delete(`${columnsPath(f)}/${f.columnId}`, { token }),
		succeeded(res, f) {
			expect(res.body).toMatchObject({ id: f.columnId, deletedAt: expect.any(String) });
		},
		async verify(f, allowed) {
			const { deletedAt } = await ownerColumn(f);
			if (allowed) expect(deletedAt).toEqual(expect.any(String));
			else expect(deletedAt).toBeNull();
		}
	}),
	'GET tasks': spec<Fixture>({
		fixture: shared,
		call: (f, token) => cast.api.get(tasksPath(f), { token }),
		succeeded(res) {
			expect(res.body.items.map((t: { id: string }) => t.id)).toEqual([reads.taskId]);
		},
		verify: unchanged
	}),
	'POST tasks': spec<Fixture>({
		fixture: unique,
		call: (f, token) => cast.api.post(tasksPath(f), { title: f.title }, { token }),
		succeeded(res, f, actor) {
			expect(res.body).toMatchObject({ title: f.title, creatorId: cast.userOf(actor)!.id });
			expect(res.headers.get('etag')).toBe(`"${res.body.version}"`);
		},
		async verify(f, allowed) {
			const query = `?includeDeleted=true&q=${encodeURIComponent(f.title)}`;
			const { items } = await ok(cast.api.get(`${tasksPath(f)}${query}`, owner()));
			expect(items).toHaveLength(allowed ? 1 : 0);
		}
	}),
	'GET task': spec<Fixture>({
		fixture: shared,
		call: (f, token) => cast.api.get(`/api/v1/tasks/${f.taskId}`, { token }),
		succeeded(res, f) {
			expect(res.body).toMatchObject({ id: f.taskId, title: f.title, version: readVersion });
			expect(res.headers.get('etag')).toBe(`"${readVersion}"`);
		},
		verify: unchanged
	}),
	'PATCH task': spec<Fixture>({
		fixture: () => ownTask(),
		call: (f, token) =>
			cast.api.patch(`/api/v1/tasks/${f.taskId}`, { title: 'Patched' }, { token }),
		succeeded(res, f) {
			expect(res.body).toMatchObject({ id: f.taskId, title: 'Patched' });
		},
		async verify(f, allowed) {
			expect((await ownerTask(f.taskId)).title).toBe(allowed ? 'Patched' : f.title);
		}
	}),
	'GET task ?boardId': spec<Fixture>({
		fixture: shared,
		call: (f, token) => cast.api.get(`/api/v1/tasks/${f.taskId}?boardId=${f.boardId}`, { token }),
		succeeded(res, f) {
			expect(res.body).toMatchObject({ id: f.taskId, boardId: f.boardId, version: readVersion });
		},
		verify: unchanged
	}),
	'PATCH task ?boardId': spec<Fixture>({
		fixture: () => ownTask(),
		call: (f, token) =>
			cast.api.patch(
				`/api/v1/tasks/${f.taskId}?boardId=${f.boardId}`,
				{ title: 'Patched on its board' },
				{ token }
			),
		succeeded(res, f) {
			expect(res.body).toMatchObject({ id: f.taskId, title: 'Patched on its board' });
		},
		async verify(f, allowed) {
			expect((await ownerTask(f.taskId)).title).toBe(allowed ? 'Patched on its board' : f.title);
		}
	}),
	'DELETE task': spec<Fixture>({
		fixture: () => ownTask(),
		call: (f, token) => cast.api.delete(`/api/v1/tasks/${f.taskId}`, { token }),
		succeeded(res, f) {
			expect(res.body).toMatchObject({ id: f.taskId, deletedAt: expect.any(String) });
		},
		async verify(f, allowed) {
			const { deletedAt } = await ownerTask(f.taskId);
			if (allowed) expect(deletedAt).toEqual(expect.any(String));
			else expect(deletedAt).toBeNull();
		}
	}),
	'POST task move': spec<Fixture>({
		fixture: () => ownTask(),
		call: (f, token) =>
			cast.api.post(
				`/api/v1/tasks/${f.taskId}/move`,
				{ columnId: writeBoard.columns[1] },
				{ token }
			),
		succeeded(res, f) {
			expect(res.body).toMatchObject({ id: f.taskId, columnId: writeBoard.columns[1] });
		},
		async verify(f, allowed) {
			const { columnId } = await ownerTask(f.taskId);
			expect(columnId).toBe(allowed ? writeBoard.columns[1] : f.columnId);
		}
	}),
	'POST task restore': spec<Fixture>({
		fixture: () => ownTask(true),
		call: (f, token) => cast.api.post(`/api/v1/tasks/${f.taskId}/restore`, undefined, { token }),
		succeeded(res, f) {
			expect(res.body).toMatchObject({ id: f.taskId, deletedAt: null });
		},
		async verify(f, allowed) {
			const { deletedAt } = await ownerTask(f.taskId);
			if (allowed) expect(deletedAt).toBeNull();
			else expect(deletedAt).toEqual(expect.any(String));
		}
	}),
	'GET board events': spec<Fixture>({
		fixture: shared,
		call: (f, token) => cast.api.get(`/api/v1/boards/${f.boardId}/events`, { token }),
		succeeded(res, f, actor) {
			const types = res.body.items.map((e: { type: string }) => e.type);
			expect(types).toEqual(expect.arrayContaining(['board.created', 'task.created']));
			// Client addresses and user agents are for admins only.
			const created = res.body.items.find((e: { type: string }) => e.type === 'board.created');
			expect(created.entityId).toBe(f.boardId);
			if (actor === 'admin') expect(created.metadata.ipAddress).toEqual(expect.any(String));
			else
				expect(res.body.items.every((e: { metadata: unknown }) => e.metadata === null)).toBe(true);
		},
		verify: unchanged
	}),
	'GET task events': spec<Fixture>({
		fixture: shared,
		call: (f, token) => cast.api.get(`/api/v1/tasks/${f.taskId}/events`, { token }),
		succeeded(res, f) {
			expect(res.body.items.map((e: { type: string }) => e.type)).toContain('task.created');
			for (const event of res.body.items) expect(event.entityId).toBe(f.taskId);
		},
		verify: unchanged
	}),
	'GET board insights': spec<Fixture>({
		fixture: shared,
		call: (f, token) => cast.api.get(`/api/v1/boards/${f.boardId}/insights`, { token }),
		succeeded(res) {
			expect(res.body.wip).toHaveLength(3);
			expect(res.body.cumulativeFlow.at(-1)).toMatchObject({ todo: 1, inProgress: 0, done: 0 });
		},
		verify: unchanged
	})
};

beforeAll(async () => {
	cast = await startCast('Tasks matrix');
	const readBoard = await memberBoard('Matrix reads');
	writeBoard = await memberBoard('Matrix writes');
	const task = await ok(
		cast.api.post(`/api/v1/boards/${readBoard.id}/tasks`, { title: 'Matrix task' }, owner()),
		201
	);
	reads = {
		boardId: readBoard.id,
		columnId: readBoard.columns[0]!,
		taskId: task.id,
		title: 'Matrix task'
	};
	readVersion = task.version;
	// The activity endpoints read the event log, which the outbox relay fills shortly after.
	await settle(cast.t.app);
}, 60_000);
afterAll(async () => {
	await cast?.t.stop();
});

describe('board content authorization matrix', () => {
	matrixTests(expected, endpoints, () => cast);

	it('hides boards, columns and tasks from non-members exactly like ones that do not exist', async () => {
		const missing: Fixture = {
			boardId: randomUUID(),
			columnId: randomUUID(),
			taskId: randomUUID(),
			title: 'Missing'
		};
		const outsider = cast.users['non-member'].token;
		for (const endpoint of Object.keys(endpoints) as Endpoint[]) {
			const { call, fixture } = endpoints[endpoint];
			const hidden = await call(await fixture('non-member'), outsider);
			const absent = await call(missing, outsider);
			expectProblem(hidden, 404);
			expectProblem(absent, 404);
			expect(hidden.body.detail, endpoint).toBe(absent.body.detail);
		}
		await unchanged();
	});
});
