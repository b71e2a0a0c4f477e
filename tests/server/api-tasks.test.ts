/** Creating (live, retry-safe), reading (ETags), listing (filters, sorts, cursors) and authz. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readBoard, tasksMap } from '../../src/lib/domain/board/index.ts';
import { createSql } from '../../src/lib/server/db/client.ts';
import { connect, waitFor } from './support/collab.ts';
import { expectProblem } from './support/problem.ts';
import type { Client, TestUser } from './support/http.ts';
import { startTaskApi, tasksPath, type TaskApi } from './support/task-api.ts';

let s: TaskApi;
let api: Client;
let ana: TestUser;
let ed: TestUser;
let vic: TestUser;
let out: TestUser;
let readToken: string;
let newBoard: TaskApi['newBoard'];
let newTask: TaskApi['newTask'];
beforeAll(async () => {
	s = await startTaskApi();
	({ api, ana, ed, vic, out, readToken, newBoard, newTask } = s);
});
afterAll(async () => {
	await s?.t.stop();
});

describe('POST /api/v1/boards/:id/tasks', () => {
	it('creates a task in the first column with defaults, an ETag and a Location', async () => {
		const board = await newBoard();
		const res = await api.post(tasksPath(board), { title: 'Write notes' }, { token: ed.token });
		expect(res.status).toBe(201);
		expect(res.headers.get('location')).toBe(`/api/v1/tasks/${res.body.id}`);
		expect(res.headers.get('etag')).toBe(`"${res.body.version}"`);
		expect(res.body).toMatchObject({
			boardId: board.id,
			columnId: board.columns[0]!.id,
			title: 'Write notes',
			description: '',
			status: 'todo',
			priority: 'medium',
			assigneeId: null,
			creatorId: ed.id,
			labels: [],
			dueDate: null,
			completedAt: null,
			deletedAt: null,
			rank: expect.any(String),
			createdAt: expect.any(String),
			updatedAt: expect.any(String)
		});
	});

	it('takes every field, placing the task among its neighbours', async () => {
		const board = await newBoard();
		const done = board.columns[2]!.id;
		const last = await newTask(board, { columnId: done, title: 'Last' });
		const task = await newTask(board, {
			columnId: done,
			title: 'First',
			description: 'Line one\nline two',
			priority: 'urgent',
			assigneeId: ed.id,
			dueDate: '2027-02-28',
			labels: ['api', 'docs'],
			beforeTaskId: last.id
		});
		expect(task).toMatchObject({
			status: 'done',
			description: 'Line one\nline two',
			priority: 'urgent',
			assigneeId: ed.id,
			dueDate: '2027-02-28',
			labels: ['api', 'docs'],
			completedAt: expect.any(String)
		});
		const list = await api.get(tasksPath(board, `?columnId=${done}`), { token: ana.token });
		expect(list.body.items.map((i: { title: string }) => i.title)).toEqual(['First', 'Last']);
	});

	it('answers refused fields with 422 and creates nothing', async () => {
		const board = await newBoard();
		const cases: [Record<string, unknown>, string][] = [
			[{ title: '' }, 'title'],
			[{ title: 'a\nb' }, 'title'],
			[{ title: 'X', priority: 'soon' }, 'priority'],
			[{ title: 'X', assigneeId: out.id }, 'assigneeId'],
			[{ title: 'X', dueDate: '2027-02-30' }, 'dueDate'],
			[{ title: 'X', labels: ['ok', ''] }, 'labels'],
			[{ title: 'X', columnId: crypto.randomUUID() }, 'columnId'],
			[{ title: 'X', beforeTaskId: crypto.randomUUID() }, 'beforeTaskId'],
			[{ title: 'X', status: 'done' }, '_'],
			[{ title: 'X', description: 'x'.repeat(20_001) }, 'description']
		];
		for (const [body, field] of cases) {
			const res = await api.post(tasksPath(board), body, { token: ana.token });
			expectProblem(res, 422);
			expect(Object.keys(res.body.errors), JSON.stringify(body).slice(0, 80)).toContain(field);
		}
		expectProblem(await api.post(tasksPath(board), undefined, { token: ana.token, raw: '[' }), 400);
		const list = await api.get(tasksPath(board), { token: ana.token });
		expect(list.body.items).toEqual([]);
	});

	it('refuses an Idempotency-Key where the creation does not honour one, creating nothing', async () => {
		const headers = { 'idempotency-key': `board-${crypto.randomUUID()}` };
		const before = await api.get('/api/v1/boards?limit=200', { token: ana.token });
		const refused = await api.post(
			'/api/v1/boards',
			{ title: 'Keyed board' },
			{ token: ana.token, headers }
		);
		expectProblem(refused, 400);
		expect(refused.body.errors).toHaveProperty('Idempotency-Key');
		const after = await api.get('/api/v1/boards?limit=200', { token: ana.token });
		expect(after.body.items).toHaveLength(before.body.items.length);
		// A path or method that is no operation answers as it would without the header.
		expectProblem(await api.post('/api/v1/nope', {}, { token: ana.token, headers }), 404);
		const board = await newBoard();
		expectProblem(
			await api.request('PUT', `/api/v1/boards/${board.id}`, {}, { token: ana.token, headers }),
			405
		);
		// Where it is honoured, the same header goes through.
		const task = await api.post(
			tasksPath(board),
			{ title: 'Keyed' },
			{ token: ana.token, headers }
		);
		expect(task.status).toBe(201);
	});

	it('creates one task for one Idempotency-Key, and replays the first response', async () => {
		const board = await newBoard();
		const headers = { 'idempotency-key': `task-${crypto.randomUUID()}` };
		const body = { title: 'Only once' };
		const first = await api.post(tasksPath(board), body, { token: ana.token, headers });
		const again = await api.post(tasksPath(board), body, { token: ana.token, headers });
		expect(first.status).toBe(201);
		expect(again.status).toBe(201);
		expect(again.body).toEqual(first.body);
		expect(again.headers.get('etag')).toBe(first.headers.get('etag'));
		expect(again.headers.get('idempotent-replayed')).toBe('true');
		// The key is per user: another user's request with it is a request of its own.
		const eds = await api.post(tasksPath(board), body, { token: ed.token, headers });
		expect(eds.body.id).not.toBe(first.body.id);
		const list = await api.get(tasksPath(board), { token: ana.token });
		expect(list.body.items.filter((i: { id: string }) => i.id === first.body.id)).toHaveLength(1);
		expect(list.body.items).toHaveLength(2);
		expectProblem(
			await api.post(tasksPath(board), { title: 'Changed' }, { token: ana.token, headers }),
			422
		);
		expectProblem(
			await api.post(tasksPath(board), body, {
				token: ana.token,
				headers: { 'idempotency-key': '' }
			}),
			422
		);
	});

	it('tells a retry to wait while its key is reserved, then answers with the task it made', async () => {
		const board = await newBoard();
		const sql = createSql({ url: s.t.db.url, max: 1, applicationName: 'idempotency-test' });
		const key = `unfinished-${crypto.randomUUID()}`;
		const post = () =>
			api.post(
				tasksPath(board),
				{ title: 'After the outage' },
				{ token: ana.token, headers: { 'idempotency-key': key } }
			);
		try {
			const first = await post();
			expect(first.status).toBe(201);
			// As if that request had lost the database after its task was made, before finishing,
			// and its release with it.
			await sql`
				update idempotency_keys set status = null, body = null
				where user_id = ${ana.id} and key = ${key}`;
			const waiting = await post();
			expectProblem(waiting, 409);
			expect(waiting.headers.get('retry-after')).toBe('1');
			await sql`
				update idempotency_keys set created_at = now() - interval '3 minutes'
				where user_id = ${ana.id} and key = ${key}`;
			// The request runs again, finds the task its first attempt made and answers with it.
			const taken = await post();
			expect(taken.status).toBe(201);
			expect(taken.headers.get('idempotent-replayed')).toBeNull();
			expect(taken.body.id).toBe(first.body.id);
			// And when the first attempt's failure released the key (its answer lost after the
			// commit), the same.
			await sql`
				update idempotency_keys set status = null, body = null, released_at = now()
				where user_id = ${ana.id} and key = ${key}`;
			const released = await post();
			expect(released.status).toBe(201);
			expect(released.body.id).toBe(first.body.id);
			const list = await api.get(tasksPath(board), { token: ana.token });
			expect(list.body.items.map((i: { id: string }) => i.id)).toEqual([first.body.id]);
			// A different request under a released key is a request of its own.
			await sql`
				update idempotency_keys set status = null, body = null, released_at = now()
				where user_id = ${ana.id} and key = ${key}`;
			const other = await api.post(
				tasksPath(board),
				{ title: 'Corrected' },
				{ token: ana.token, headers: { 'idempotency-key': key } }
			);
			expect(other.status).toBe(201);
			expect(other.body.id).not.toBe(first.body.id);
			// So is the same request once its key has expired (24 hours): a new card.
			await sql`
				update idempotency_keys set created_at = now() - interval '25 hours'
				where user_id = ${ana.id} and key = ${key}`;
			const later = await post();
			expect(later.status).toBe(201);
			expect([first.body.id, other.body.id]).not.toContain(later.body.id);
		} finally {
			await sql.end();
		}
	});

	it("keeps a failed request's key and seed for its next attempt; another request gets its own", async () => {
		const board = await newBoard();
		const sql = createSql({ url: s.t.db.url, max: 1, applicationName: 'idempotency-test' });
		const key = `failing-${crypto.randomUUID()}`;
		const headers = { 'idempotency-key': key };
		const row = async () => {
			const [found] = await sql<
				{ status: number | null; released_at: Date | null; seed: string }[]
			>`select status, released_at, seed from idempotency_keys where user_id = ${ana.id} and key = ${key}`;
			return found!;
		};
		const nowhere = { title: 'Nowhere', columnId: crypto.randomUUID() };
		try {
			// Refused (no such column): the key is released, its row and seed kept.
			expectProblem(await api.post(tasksPath(board), nowhere, { token: ana.token, headers }), 422);
			const released = await row();
			expect(released.status).toBeNull();
			expect(released.released_at).toBeInstanceOf(Date);
			// The same request again takes the key over with the same seed.
			expectProblem(await api.post(tasksPath(board), nowhere, { token: ana.token, headers }), 422);
			expect((await row()).seed).toBe(released.seed);
			// A corrected request is a request of its own: a new seed, and it is kept as done.
			const fixed = await api.post(
				tasksPath(board),
				{ title: 'Here' },
				{ token: ana.token, headers }
			);
			expect(fixed.status).toBe(201);
			const done = await row();
			expect(done.status).toBe(201);
			expect(done.seed).not.toBe(released.seed);
			// While a request holds the key, another request with it is refused as a misuse.
			await sql`
				update idempotency_keys set status = null, body = null, released_at = null, created_at = now()
				where user_id = ${ana.id} and key = ${key}`;
			expectProblem(
				await api.post(tasksPath(board), { title: 'Else' }, { token: ana.token, headers }),
				422
			);
		} finally {
			await sql.end();
		}
	});

	it('reaches a connected board within a second', async () => {
		const board = await newBoard();
		const watcher = connect(s.t.url, board.id, { token: vic.token });
		try {
			expect(await watcher.ready).toBe(true);
			const started = Date.now();
			const res = await api.post(tasksPath(board), { title: 'Live' }, { token: ana.token });
			await waitFor(() => tasksMap(watcher.doc).has(res.body.id), 1000, 'the task to arrive');
			expect(Date.now() - started).toBeLessThan(1000);
			const seen = readBoard(watcher.doc).columns[0]!.tasks.map((task) => task.title);
			expect(seen).toContain('Live');
		} finally {
			watcher.destroy();
		}
	});
});

describe('GET /api/v1/tasks/:id', () => {
	it('returns the task with its ETag, and 304 for a matching If-None-Match', async () => {
		const board = await newBoard();
		const task = await newTask(board);
		const res = await api.get(`/api/v1/tasks/${task.id}`, { token: vic.token });
		expect(res.status).toBe(200);
		expect(res.body).toEqual(task);
		const etag = res.headers.get('etag')!;
		const cached = await api.get(`/api/v1/tasks/${task.id}`, {
			token: vic.token,
			headers: { 'if-none-match': etag }
		});
		expect(cached.status).toBe(304);
		expect(cached.headers.get('etag')).toBe(etag);
		const stale = await api.get(`/api/v1/tasks/${task.id}`, {
			token: vic.token,
			headers: { 'if-none-match': '"0"' }
		});
		expect(stale.status).toBe(200);
	});

	it('hides tasks of other boards and unknown ids behind 404', async () => {
		const board = await newBoard();
		const task = await newTask(board);
		expectProblem(await api.get(`/api/v1/tasks/${task.id}`), 401);
		expectProblem(await api.get(`/api/v1/tasks/${task.id}`, { token: out.token }), 404);
		expectProblem(await api.get(`/api/v1/tasks/${crypto.randomUUID()}`, { token: ana.token }), 404);
		expectProblem(await api.get('/api/v1/tasks/not-a-uuid', { token: ana.token }), 404);
	});
});

describe('GET /api/v1/boards/:id/tasks', () => {
	it('filters, sorts and pages through the tasks', async () => {
		const board = await newBoard();
		const [todo, doing, done] = board.columns;
		await newTask(board, { columnId: done!.id, title: 'Ship it', priority: 'low' });
		await newTask(board, {
			columnId: doing!.id,
			title: 'Fix login',
			priority: 'urgent',
			assigneeId: ed.id,
			dueDate: '2027-01-10'
		});
		await newTask(board, {
			columnId: todo!.id,
			title: 'Plan',
			description: 'Mention the LOGIN page',
			dueDate: '2027-03-01'
		});
		for (let i = 0; i < 4; i++) await newTask(board, { columnId: todo!.id, title: `Todo ${i}` });
		const titles = async (query: string) => {
			const res = await api.get(tasksPath(board, query), { token: vic.token });
			expect(res.status, JSON.stringify(res.body)).toBe(200);
			return res.body.items.map((i: { title: string }) => i.title);
		};
		expect(await titles('')).toEqual([
			'Plan',
			'Todo 0',
			'Todo 1',
			'Todo 2',
			'Todo 3',
			'Fix login',
			'Ship it'
		]);
		expect(await titles('?status=in_progress,done')).toEqual(['Fix login', 'Ship it']);
		expect(await titles(`?assigneeId=${ed.id}`)).toEqual(['Fix login']);
		expect(await titles('?assigneeId=none&priority=low')).toEqual(['Ship it']);
		expect(await titles('?q=login')).toEqual(['Plan', 'Fix login']);
		expect(await titles('?dueBefore=2027-02-01')).toEqual(['Fix login']);
		expect(await titles('?dueAfter=2027-02-01')).toEqual(['Plan']);
		expect((await titles('?sort=priority'))[0]).toBe('Fix login');
		expect((await titles('?sort=priority')).at(-1)).toBe('Ship it');
		expect((await titles('?sort=dueDate')).slice(0, 2)).toEqual(['Fix login', 'Plan']);
		expect((await titles('?sort=-createdAt'))[0]).toBe('Todo 3');
		expect((await titles('?sort=updatedAt')).at(-1)).toBe('Todo 3');

		for (const sort of ['rank', 'createdAt', '-updatedAt', 'dueDate', 'priority']) {
			const all = await titles(`?sort=${sort}`);
			const paged: string[] = [];
			let cursor: string | null = null;
			do {
				const query: string = `?sort=${sort}&limit=3${cursor ? `&cursor=${cursor}` : ''}`;
				const res = await api.get(tasksPath(board, query), { token: vic.token });
				expect(res.status, `${sort} ${JSON.stringify(res.body)}`).toBe(200);
				expect(res.body.items.length).toBeLessThanOrEqual(3);
				paged.push(...res.body.items.map((i: { title: string }) => i.title));
				cursor = res.body.nextCursor;
			} while (cursor);
			expect(paged, sort).toEqual(all);
		}
	});

	it('refuses bad parameters, foreign cursors, anonymous callers and non-members', async () => {
		const board = await newBoard();
		await newTask(board);
		await newTask(board);
		const first = await api.get(tasksPath(board, '?limit=1'), { token: ana.token });
		expect(first.body.nextCursor).toEqual(expect.any(String));
		for (const query of [
			'?limit=0',
			'?limit=201',
			'?status=later',
			'?sort=title',
			'?dueBefore=tomorrow',
			'?includeDeleted=1',
			'?assigneeId=someone',
			'?cursor=garbage',
			`?sort=createdAt&cursor=${first.body.nextCursor}`,
			// Cursors of this board's list, tampered (`of` names the board, as the server's do).
			`?sort=createdAt&cursor=${Buffer.from(JSON.stringify({ sort: 'createdAt', key: ['now', 'x'], of: board.id })).toString('base64url')}`,
			// NUL cannot reach PostgreSQL text: refused, not a 500.
			`?cursor=${Buffer.from(JSON.stringify({ sort: 'rank', key: ['a\u0000', '', 'a', crypto.randomUUID()], of: board.id })).toString('base64url')}`,
			'?unknown=1'
		]) {
			expectProblem(await api.get(tasksPath(board, query), { token: ana.token }), 422);
		}
		expectProblem(await api.get(tasksPath(board)), 401);
		expectProblem(await api.get(tasksPath(board), { token: out.token }), 404);
		// The page is read while access is checked; refusals still come first.
		expectProblem(await api.get(tasksPath(board, '?limit=0')), 401);
		expectProblem(await api.get(tasksPath(board, '?limit=0'), { token: out.token }), 404);
		expectProblem(await api.get(tasksPath(board, '?cursor=garbage'), { token: out.token }), 404);
		expect((await api.get(tasksPath(board), { token: readToken })).status).toBe(200);
	});
});

describe('task authorization', () => {
	it('lets owners and editors write, and refuses everyone else', async () => {
		const board = await newBoard();
		const task = await newTask(board);
		const path = `/api/v1/tasks/${task.id}`;
		const writes = (token?: string) => [
			api.post(tasksPath(board), { title: 'New' }, { token }),
			api.patch(path, { title: 'Changed' }, { token }),
			api.post(`${path}/move`, { columnId: board.columns[1]!.id }, { token }),
			api.delete(path, { token }),
			api.post(`${path}/restore`, undefined, { token })
		];
		for (const res of await Promise.all(writes(undefined))) expectProblem(res, 401);
		for (const res of await Promise.all(writes(readToken))) expectProblem(res, 403);
		for (const res of await Promise.all(writes(out.token))) expectProblem(res, 404);
		for (const res of await Promise.all(writes(vic.token))) expectProblem(res, 403);
		const got = await api.get(path, { token: readToken });
		expect(got.body).toEqual(task);

		for (const token of [ed.token, ana.token]) {
			expect((await api.post(tasksPath(board), { title: 'Mine' }, { token })).status).toBe(201);
			expect((await api.patch(path, { title: 'Edited' }, { token })).status).toBe(200);
			expect(
				(await api.post(`${path}/move`, { columnId: board.columns[1]!.id }, { token })).status
			).toBe(200);
			expect((await api.delete(path, { token })).status).toBe(200);
			expect((await api.post(`${path}/restore`, undefined, { token })).status).toBe(200);
		}
	});
});
