/**
 * The batch task endpoints: up to 1,000 tasks created or changed as one change of the live
 * document (one write-ahead log row, one audit event per task), all or nothing with per-item
 * errors, within BOARD_MAX_CARDS, and with Idempotency-Key.
 */
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from './support/app.ts';
import { loggedEvents, settle } from './support/events.ts';
import {
	addMember,
	client,
	createBoard,
	signUp,
	type Client,
	type TestUser
} from './support/http.ts';
import { expectProblem } from './support/problem.ts';

let t: TestApp;
let api: Client;
let ana: TestUser;
let ed: TestUser;
let out: TestUser;
let sql: postgres.Sql;
beforeAll(async () => {
	t = await startTestApp({ BOARD_MAX_CARDS: '1500' });
	api = client(t.url);
	await signUp(api, 'Admin');
	ana = await signUp(api, 'Ana');
	ed = await signUp(api, 'Ed');
	out = await signUp(api, 'Out');
	sql = postgres(t.db.url, { max: 2, onnotice: () => {} });
});
afterAll(async () => {
	await sql?.end();
	await t?.stop();
});

const batch = (boardId: string) => `/api/v1/boards/${boardId}/tasks/batch`;

async function newBoard() {
	const board = await createBoard(api, ana);
	await addMember(api, ana, board.id, ed, 'editor');
	const columns = await api.get(`/api/v1/boards/${board.id}/columns`, { token: ana.token });
	return { id: board.id, columns: columns.body.items.map((c: { id: string }) => c.id) as string[] };
}

async function allTasks(boardId: string): Promise<any[]> {
	const res = await api.get(`/api/v1/boards/${boardId}/tasks?limit=200`, { token: ana.token });
	expect(res.status).toBe(200);
	return res.body.items;
}

async function logRows(boardId: string, after: number) {
	return sql<{ id: string; actor_id: string; size: number }[]>`
		select id, actor_id, octet_length(update) as size from board_updates
		where board_id = ${boardId} and id > ${after}`;
}

async function lastLogId(): Promise<number> {
	const [row] = await sql<{ id: string | null }[]>`select max(id) as id from board_updates`;
	return Number(row!.id ?? 0);
}

describe('POST /api/v1/boards/:id/tasks/batch', () => {
	it('creates 1,000 tasks in one log entry, in order, with one attributed event each', async () => {
		const board = await newBoard();
		const before = await lastLogId();
		const items = Array.from({ length: 1000 }, (_, i) => ({
			title: `Task ${i}`,
			columnId: board.columns[i % 2],
			labels: i % 3 === 0 ? ['bulk'] : undefined,
			priority: i % 2 === 0 ? 'high' : undefined,
			assigneeId: i % 5 === 0 ? ed.id : undefined
		}));
		const res = await api.post(batch(board.id), { items }, { token: ana.token });
		expect(res.status, JSON.stringify(res.body).slice(0, 500)).toBe(201);
		expect(res.body.items).toHaveLength(1000);
		expect(res.body.items.map((task: { title: string }) => task.title)).toEqual(
			items.map((item) => item.title)
		);
		expect(res.body.items[5]).toMatchObject({ columnId: board.columns[1], assigneeId: ed.id });
		// One change of the live document: exactly one write-ahead log row, by the caller.
		const rows = await logRows(board.id, before);
		expect(rows).toHaveLength(1);
		expect(rows[0]!.actor_id).toBe(ana.id);
		// Board order inside each column is the order sent.
		const stored = await api.get(
			`/api/v1/boards/${board.id}/tasks?columnId=${board.columns[0]}&limit=200`,
			{ token: ana.token }
		);
		expect(stored.body.items.slice(0, 5).map((task: { title: string }) => task.title)).toEqual([
			'Task 0',
			'Task 2',
			'Task 4',
			'Task 6',
			'Task 8'
		]);
		await settle(t.app);
		const created = (await loggedEvents(t.db.url, board.id)).filter(
			(e) => e.type === 'task.created'
		);
		expect(created).toHaveLength(1000);
		expect(new Set(created.map((e) => e.entityId))).toEqual(
			new Set(res.body.items.map((task: { id: string }) => task.id))
		);
		expect(new Set(created.map((e) => e.actorId))).toEqual(new Set([ana.id]));
	});

	it('writes nothing when one item is bad, and names every bad item', async () => {
		const board = await newBoard();
		const before = await lastLogId();
		const items = [
			{ title: 'Fine' },
			{ title: '   ' },
			{ title: 'Fine too' },
			{ title: 'Outsider', assigneeId: out.id },
			{ title: 'Bad date', dueDate: '2026-02-30' },
			{ title: 'Nowhere', columnId: '00000000-0000-4000-8000-000000000000' }
		];
		const res = await api.post(batch(board.id), { items }, { token: ana.token });
		expectProblem(res, 422);
		expect(res.body.itemErrors).toEqual([
			{ index: 1, field: 'title', detail: expect.any(String) },
			{ index: 3, field: 'assigneeId', detail: expect.any(String) },
			{ index: 4, field: 'dueDate', detail: expect.any(String) },
			{ index: 5, field: 'columnId', detail: expect.any(String) }
		]);
		expect(res.body.errors).toHaveProperty('items.3.assigneeId');
		expect(await allTasks(board.id)).toEqual([]);
		expect(await logRows(board.id, before)).toHaveLength(0);
	});

	it('reports schema errors per item too', async () => {
		const board = await newBoard();
		const res = await api.post(
			batch(board.id),
			{ items: [{ title: 'ok' }, { title: 3 }, { title: 'x', priority: 'soon' }, { nope: 1 }] },
			{ token: ana.token }
		);
		expectProblem(res, 422);
		const fields = res.body.itemErrors.map((e: { index: number; field: string }) => [
			e.index,
			e.field
		]);
		expect(fields).toEqual(
			expect.arrayContaining([
				[1, 'title'],
				[2, 'priority'],
				[3, 'title']
			])
		);
		expect(fields.some(([index]: [number]) => index === 0)).toBe(false);
		expect(await allTasks(board.id)).toEqual([]);
	});

	it('reports a string that cannot be stored as an item error beside the schema errors', async () => {
		const board = await newBoard();
		const raw = JSON.stringify({
			items: [{ title: 'ok' }, { title: 3 }, { title: 'nul\u0000' }, { title: 'fine' }]
		});
		const res = await api.post(batch(board.id), undefined, { token: ana.token, raw });
		expectProblem(res, 422);
		expect(res.body.itemErrors).toEqual(
			expect.arrayContaining([
				{ index: 1, field: 'title', detail: expect.any(String) },
				{ index: 2, field: 'title', detail: expect.stringContaining('cannot be stored') }
			])
		);
		expect(res.body.errors).toHaveProperty(['items.2.title']);
		expect(await allTasks(board.id)).toEqual([]);
	});
	it('refuses empty and oversized batches', async () => {
		const board = await newBoard();
		expectProblem(await api.post(batch(board.id), { items: [] }, { token: ana.token }), 422);
		const many = Array.from({ length: 1001 }, (_, i) => ({ title: `t${i}` }));
		const res = await api.post(batch(board.id), { items: many }, { token: ana.token });
		expectProblem(res, 422);
		expect(res.body.errors).toHaveProperty('items');
		expect(await allTasks(board.id)).toEqual([]);
	});

	it('answers 409 when the batch would pass BOARD_MAX_CARDS, writing nothing', async () => {
		const board = await newBoard();
		const first = Array.from({ length: 1000 }, (_, i) => ({ title: `a${i}` }));
		expect((await api.post(batch(board.id), { items: first }, { token: ana.token })).status).toBe(
			201
		);
		const second = Array.from({ length: 501 }, (_, i) => ({ title: `b${i}` }));
		expectProblem(await api.post(batch(board.id), { items: second }, { token: ana.token }), 409);
		const fits = Array.from({ length: 500 }, (_, i) => ({ title: `c${i}` }));
		expect((await api.post(batch(board.id), { items: fits }, { token: ana.token })).status).toBe(
			201
		);
		const [row] = await sql<{ n: number }[]>`
			select count(*)::int as n from tasks where board_id = ${board.id}`;
		expect(row!.n).toBe(1500);
	});

	it('costs one request of the rate limit, whatever the number of items', async () => {
		const board = await newBoard();
		const remaining = (res: { headers: Headers }) => Number(res.headers.get('ratelimit-remaining'));
		const before = await api.get(`/api/v1/boards/${board.id}`, { token: ana.token });
		const items = Array.from({ length: 300 }, (_, i) => ({ title: `Counted ${i}` }));
		const res = await api.post(batch(board.id), { items }, { token: ana.token });
		expect(res.status).toBe(201);
		expect(remaining(res)).toBe(remaining(before) - 1);
	});

	it('replays a retry with the same Idempotency-Key and creates nothing more', async () => {
		const board = await newBoard();
		const body = { items: [{ title: 'Once' }, { title: 'Twice?' }] };
		const headers = { 'idempotency-key': `batch-${board.id}` };
		const first = await api.post(batch(board.id), body, { token: ana.token, headers });
		expect(first.status).toBe(201);
		const again = await api.post(batch(board.id), body, { token: ana.token, headers });
		expect(again.status).toBe(201);
		expect(again.headers.get('idempotent-replayed')).toBe('true');
		expect(again.body).toEqual(first.body);
		expect(await allTasks(board.id)).toHaveLength(2);
		// As if the first attempt's answer had been lost after its commit and its key released:
		// the request runs again and answers with the tasks it made.
		await sql`
			update idempotency_keys set status = null, body = null, released_at = now()
			where user_id = ${ana.id} and key = ${headers['idempotency-key']}`;
		const rerun = await api.post(batch(board.id), body, { token: ana.token, headers });
		expect(rerun.status).toBe(201);
		expect(rerun.headers.get('idempotent-replayed')).toBeNull();
		expect(rerun.body.items.map((i: { id: string }) => i.id)).toEqual(
			first.body.items.map((i: { id: string }) => i.id)
		);
		expect(await allTasks(board.id)).toHaveLength(2);
		const other = await api.post(
			batch(board.id),
			{ items: [{ title: 'Else' }] },
			{ token: ana.token, headers }
		);
		expectProblem(other, 422);
		expect(other.body.errors).toHaveProperty('Idempotency-Key');
	});

	it('takes a retry whose JSON lists the same fields in another order as the same request', async () => {
		const board = await newBoard();
		const headers = { 'idempotency-key': `reordered-${board.id}` };
		const first = await api.post(
			batch(board.id),
			{ items: [{ title: 'Ordered', priority: 'high' }] },
			{ token: ana.token, headers }
		);
		expect(first.status).toBe(201);
		const again = await api.post(
			batch(board.id),
			{ items: [{ priority: 'high', title: 'Ordered' }] },
			{ token: ana.token, headers }
		);
		expect(again.status).toBe(201);
		expect(again.headers.get('idempotent-replayed')).toBe('true');
		expect(again.body).toEqual(first.body);
		expect(await allTasks(board.id)).toHaveLength(1);

		const id = first.body.items[0].id as string;
		const patchHeaders = { 'idempotency-key': `reordered-patch-${board.id}` };
		const patched = await api.patch(
			batch(board.id),
			{ items: [{ id, title: 'Renamed', position: 0 }] },
			{ token: ana.token, headers: patchHeaders }
		);
		expect(patched.status).toBe(200);
		const patchedAgain = await api.patch(
			batch(board.id),
			{ items: [{ position: 0, title: 'Renamed', id }] },
			{ token: ana.token, headers: patchHeaders }
		);
		expect(patchedAgain.status).toBe(200);
		expect(patchedAgain.headers.get('idempotent-replayed')).toBe('true');
	});
});

describe('PATCH /api/v1/boards/:id/tasks/batch', () => {
	async function seeded(n: number) {
		const board = await newBoard();
		const items = Array.from({ length: n }, (_, i) => ({ title: `Task ${i}` }));
		const res = await api.post(batch(board.id), { items }, { token: ana.token });
		expect(res.status).toBe(201);
		return { board, ids: res.body.items.map((task: { id: string }) => task.id) as string[] };
	}

	it('changes and moves many tasks in one log entry, in order', async () => {
		const { board, ids } = await seeded(6);
		const before = await lastLogId();
		const res = await api.patch(
			batch(board.id),
			{
				items: [
					{ id: ids[0], priority: 'urgent', labels: ['x'], description: 'Now described' },
					{ id: ids[1], columnId: board.columns[1] },
					{ id: ids[2], columnId: board.columns[1], position: 0 },
					{ id: ids[5], position: 0 },
					{ id: ids[3], title: 'Renamed', assigneeId: ed.id }
				]
			},
			{ token: ed.token }
		);
		expect(res.status, JSON.stringify(res.body)).toBe(200);
		expect(res.body.items.map((task: { id: string }) => task.id)).toEqual([
			ids[0],
			ids[1],
			ids[2],
			ids[5],
			ids[3]
		]);
		expect(res.body.items[0]).toMatchObject({
			priority: 'urgent',
			labels: ['x'],
			description: 'Now described'
		});
		expect(res.body.items[4]).toMatchObject({ title: 'Renamed', assigneeId: ed.id });
		expect(await logRows(board.id, before)).toHaveLength(1);
		const order = async (columnId: string) =>
			(
				await api.get(`/api/v1/boards/${board.id}/tasks?columnId=${columnId}`, { token: ana.token })
			).body.items.map((task: { id: string }) => task.id);
		expect(await order(board.columns[0]!)).toEqual([ids[5], ids[0], ids[3], ids[4]]);
		expect(await order(board.columns[1]!)).toEqual([ids[2], ids[1]]);
		await settle(t.app);
		const events = await loggedEvents(t.db.url, board.id);
		const moved = events.filter((e) => e.type === 'task.moved');
		expect(new Set(moved.map((e) => e.entityId))).toEqual(new Set([ids[1], ids[2], ids[5]]));
		expect(new Set(moved.map((e) => e.actorId))).toEqual(new Set([ed.id]));
	});

	it('writes nothing when one item is bad: unknown, deleted or repeated tasks', async () => {
		const { board, ids } = await seeded(3);
		expect((await api.delete(`/api/v1/tasks/${ids[2]}`, { token: ana.token })).status).toBe(200);
		const res = await api.patch(
			batch(board.id),
			{
				items: [
					{ id: ids[0], title: 'Would change' },
					{ id: '00000000-0000-4000-8000-000000000000', title: 'Ghost' },
					{ id: ids[2], title: 'Deleted' },
					{ id: ids[0], priority: 'low' },
					{ id: ids[1], columnId: '00000000-0000-4000-8000-000000000000' },
					{ id: ids[1] }
				]
			},
			{ token: ana.token }
		);
		expectProblem(res, 422);
		// The schema refuses first (item 5 sends nothing to change); fix it and the board refuses.
		expect(res.body.itemErrors).toEqual([{ index: 5, field: '_', detail: expect.any(String) }]);
		const fixed = await api.patch(
			batch(board.id),
			{
				items: [
					{ id: ids[0], title: 'Would change' },
					{ id: '00000000-0000-4000-8000-000000000000', title: 'Ghost' },
					{ id: ids[2], title: 'Deleted' },
					{ id: ids[0], priority: 'low' },
					{ id: ids[1], columnId: '00000000-0000-4000-8000-000000000000' }
				]
			},
			{ token: ana.token }
		);
		expectProblem(fixed, 422);
		expect(
			fixed.body.itemErrors.map((e: { index: number; field: string }) => [e.index, e.field])
		).toEqual([
			[1, 'id'],
			[2, 'id'],
			[3, 'id'],
			[4, 'columnId']
		]);
		const titles = (await allTasks(board.id)).map((task) => task.title);
		expect(titles).toEqual(['Task 0', 'Task 1']);
	});
});
