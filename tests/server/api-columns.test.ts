/** Columns over the REST API: listing, creating, changing and deleting through the live document. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSql } from '../../src/lib/server/db/client.ts';
import type { Client, TestUser } from './support/http.ts';
import { expectProblem } from './support/problem.ts';
import { startTaskApi, type TaskApi } from './support/task-api.ts';

let s: TaskApi;
let api: Client;
let ana: TestUser;
let ed: TestUser;
let vic: TestUser;
let out: TestUser;
let readToken: string;
beforeAll(async () => {
	s = await startTaskApi();
	({ api, ana, ed, vic, out, readToken } = s);
});
afterAll(async () => {
	await s?.t.stop();
});

async function newBoard(): Promise<string> {
	return (await s.newBoard()).id;
}

async function columns(boardId: string, query = ''): Promise<{ id: string; title: string }[]> {
	const res = await api.get(`/api/v1/boards/${boardId}/columns${query}`, { token: ana.token });
	expect(res.status).toBe(200);
	return res.body.items;
}

describe('GET /api/v1/boards/:id/columns', () => {
	it('lists the live columns in board order', async () => {
		const boardId = await newBoard();
		const res = await api.get(`/api/v1/boards/${boardId}/columns`, { token: vic.token });
		expect(res.status).toBe(200);
		expect(res.body.items.map((c: { title: string }) => c.title)).toEqual([
			'To do',
			'In progress',
			'Done'
		]);
		expect(res.body.items[0]).toMatchObject({
			boardId,
			category: 'todo',
			wipLimit: null,
			deletedAt: null,
			version: expect.any(Number)
		});
		expect(res.body.nextCursor).toBeNull();
	});

	it('refuses anonymous callers, non-members and bad parameters', async () => {
		const boardId = await newBoard();
		expectProblem(await api.get(`/api/v1/boards/${boardId}/columns`), 401);
		expectProblem(await api.get(`/api/v1/boards/${boardId}/columns`, { token: out.token }), 404);
		expectProblem(await api.get('/api/v1/boards/not-a-uuid/columns', { token: ana.token }), 404);
		const bad = await api.get(`/api/v1/boards/${boardId}/columns?includeDeleted=yes`, {
			token: ana.token
		});
		expectProblem(bad, 422);
		expect(bad.body.errors).toHaveProperty('includeDeleted');
	});
});

describe('POST /api/v1/boards/:id/columns', () => {
	it('creates a column at the position asked for', async () => {
		const boardId = await newBoard();
		const [first] = await columns(boardId);
		const res = await api.post(
			`/api/v1/boards/${boardId}/columns`,
			{ title: 'Review', category: 'in_progress', wipLimit: 3, afterColumnId: first!.id },
			{ token: ed.token }
		);
		expect(res.status).toBe(201);
		expect(res.headers.get('location')).toBe(`/api/v1/boards/${boardId}/columns/${res.body.id}`);
		expect(res.body).toMatchObject({ title: 'Review', category: 'in_progress', wipLimit: 3 });
		expect((await columns(boardId)).map((c) => c.title)).toEqual([
			'To do',
			'Review',
			'In progress',
			'Done'
		]);
	});

	it('answers field errors with 422 and malformed bodies with 400/415', async () => {
		const boardId = await newBoard();
		const path = `/api/v1/boards/${boardId}/columns`;
		const cases: [unknown, string][] = [
			[{ title: '  ' }, 'title'],
			[{ title: 'X', category: 'later' }, 'category'],
			[{ title: 'X', wipLimit: 0 }, 'wipLimit'],
			[{ title: 'X', afterColumnId: crypto.randomUUID() }, 'afterColumnId'],
			[{ title: 'X', colour: 'red' }, '_']
		];
		for (const [body, field] of cases) {
			const res = await api.post(path, body, { token: ana.token });
			expectProblem(res, 422);
			expect(Object.keys(res.body.errors), JSON.stringify(body)).toContain(field);
		}
		expectProblem(await api.post(path, undefined, { token: ana.token, raw: '{' }), 400);
		expectProblem(
			await api.post(path, undefined, { token: ana.token, raw: 'x', contentType: 'text/plain' }),
			415
		);
		expect(await columns(boardId)).toHaveLength(3);
	});

	it('creates one column for one Idempotency-Key', async () => {
		const boardId = await newBoard();
		const path = `/api/v1/boards/${boardId}/columns`;
		const headers = { 'idempotency-key': `col-${crypto.randomUUID()}` };
		const first = await api.post(path, { title: 'Once' }, { token: ana.token, headers });
		const again = await api.post(path, { title: 'Once' }, { token: ana.token, headers });
		expect(first.status).toBe(201);
		expect(again.status).toBe(201);
		expect(again.body.id).toBe(first.body.id);
		expect(again.headers.get('idempotent-replayed')).toBe('true');
		expect((await columns(boardId)).filter((c) => c.title === 'Once')).toHaveLength(1);
		// As if the first attempt's answer had been lost after its commit and its key released.
		const sql = createSql({ url: s.t.db.url, max: 1, applicationName: 'idempotency-test' });
		try {
			await sql`
				update idempotency_keys set status = null, body = null, released_at = now()
				where user_id = ${ana.id} and key = ${headers['idempotency-key']}`;
		} finally {
			await sql.end();
		}
		const rerun = await api.post(path, { title: 'Once' }, { token: ana.token, headers });
		expect(rerun.status).toBe(201);
		expect(rerun.headers.get('idempotent-replayed')).toBeNull();
		expect(rerun.body.id).toBe(first.body.id);
		expect((await columns(boardId)).filter((c) => c.title === 'Once')).toHaveLength(1);
		const other = await api.post(path, { title: 'Other' }, { token: ana.token, headers });
		expectProblem(other, 422);
		expect(other.body.errors).toHaveProperty('Idempotency-Key');
	});
});

describe('PATCH and DELETE /api/v1/boards/:id/columns/:columnId', () => {
	it('renames, recategorises, limits and moves a column in one request', async () => {
		const boardId = await newBoard();
		const [todo, , done] = await columns(boardId);
		const res = await api.patch(
			`/api/v1/boards/${boardId}/columns/${done!.id}`,
			{ title: 'Shipped', category: 'done', wipLimit: 9, beforeColumnId: todo!.id },
			{ token: ed.token }
		);
		expect(res.status).toBe(200);
		expect(res.body).toMatchObject({ id: done!.id, title: 'Shipped', wipLimit: 9 });
		expect((await columns(boardId)).map((c) => c.title)).toEqual([
			'Shipped',
			'To do',
			'In progress'
		]);
		const cleared = await api.patch(
			`/api/v1/boards/${boardId}/columns/${done!.id}`,
			{ wipLimit: null },
			{ token: ed.token }
		);
		expect(cleared.body.wipLimit).toBeNull();
	});

	it('changes nothing when one field is refused', async () => {
		const boardId = await newBoard();
		const [todo] = await columns(boardId);
		const res = await api.patch(
			`/api/v1/boards/${boardId}/columns/${todo!.id}`,
			{ title: 'Renamed', wipLimit: 5000 },
			{ token: ana.token }
		);
		expectProblem(res, 422);
		expect(res.body.errors).toHaveProperty('wipLimit');
		expect((await columns(boardId))[0]!.title).toBe('To do');
		expectProblem(
			await api.patch(`/api/v1/boards/${boardId}/columns/${todo!.id}`, {}, { token: ana.token }),
			422
		);
	});

	it('deletes a column, moving its tasks or deleting them with it', async () => {
		const boardId = await newBoard();
		const [todo, doing, done] = await columns(boardId);
		const task = await api.post(
			`/api/v1/boards/${boardId}/tasks`,
			{ columnId: todo!.id, title: 'Moves along' },
			{ token: ana.token }
		);
		const gone = await api.post(
			`/api/v1/boards/${boardId}/tasks`,
			{ columnId: done!.id, title: 'Goes with its column' },
			{ token: ana.token }
		);
		const moved = await api.delete(
			`/api/v1/boards/${boardId}/columns/${todo!.id}?moveTasksTo=${doing!.id}`,
			{ token: ana.token }
		);
		expect(moved.status).toBe(200);
		expect(moved.body.deletedAt).not.toBeNull();
		const movedTask = await api.get(`/api/v1/tasks/${task.body.id}`, { token: ana.token });
		expect(movedTask.body).toMatchObject({ columnId: doing!.id, status: 'in_progress' });

		expect(
			(await api.delete(`/api/v1/boards/${boardId}/columns/${done!.id}`, { token: ana.token }))
				.status
		).toBe(200);
		const goneTask = await api.get(`/api/v1/tasks/${gone.body.id}`, { token: ana.token });
		expect(goneTask.body.deletedAt).not.toBeNull();
		expect((await columns(boardId)).map((c) => c.title)).toEqual(['In progress']);
		expect(await columns(boardId, '?includeDeleted=true')).toHaveLength(3);

		expectProblem(
			await api.delete(`/api/v1/boards/${boardId}/columns/${doing!.id}`, { token: ana.token }),
			409
		);
		expectProblem(
			await api.patch(
				`/api/v1/boards/${boardId}/columns/${todo!.id}`,
				{ title: 'Back?' },
				{ token: ana.token }
			),
			409
		);
	});

	it('answers unknown columns with 404 and bad targets with 422', async () => {
		const boardId = await newBoard();
		const [todo] = await columns(boardId);
		const base = `/api/v1/boards/${boardId}/columns`;
		expectProblem(
			await api.patch(`${base}/${crypto.randomUUID()}`, { title: 'X' }, { token: ana.token }),
			404
		);
		expectProblem(await api.patch(`${base}/nope`, { title: 'X' }, { token: ana.token }), 404);
		expectProblem(await api.delete(`${base}/${crypto.randomUUID()}`, { token: ana.token }), 404);
		const bad = await api.delete(`${base}/${todo!.id}?moveTasksTo=${todo!.id}`, {
			token: ana.token
		});
		expectProblem(bad, 422);
		expect(bad.body.errors).toHaveProperty('moveTasksTo');
		expectProblem(await api.delete(`${base}/${todo!.id}?moveTasksTo=x`, { token: ana.token }), 422);
		expectProblem(
			await api.delete(`${base}/${todo!.id}?moveTasksTo=${crypto.randomUUID()}`, {
				token: ana.token
			}),
			422
		);
	});
});

describe('column authorization', () => {
	it('lets owners and editors write, and refuses everyone else', async () => {
		const boardId = await newBoard();
		const [todo] = await columns(boardId);
		const base = `/api/v1/boards/${boardId}/columns`;
		const writes = (token?: string) => [
			api.post(base, { title: 'New' }, { token }),
			api.patch(`${base}/${todo!.id}`, { title: 'Renamed' }, { token }),
			api.delete(`${base}/${todo!.id}`, { token })
		];
		for (const res of await Promise.all(writes(undefined))) expectProblem(res, 401);
		for (const res of await Promise.all(writes(readToken))) expectProblem(res, 403);
		for (const res of await Promise.all(writes(out.token))) expectProblem(res, 404);
		for (const res of await Promise.all(writes(vic.token))) expectProblem(res, 403);
		expect((await columns(boardId)).map((c) => c.title)).toEqual(['To do', 'In progress', 'Done']);

		expect((await api.get(base, { token: readToken })).status).toBe(200);
		expect((await api.post(base, { title: 'By editor' }, { token: ed.token })).status).toBe(201);
		expect((await api.post(base, { title: 'By owner' }, { token: ana.token })).status).toBe(201);
		expect(
			(await api.patch(`${base}/${todo!.id}`, { title: 'Edited' }, { token: ed.token })).status
		).toBe(200);
		expect((await api.delete(`${base}/${todo!.id}`, { token: ana.token })).status).toBe(200);
	});
});
