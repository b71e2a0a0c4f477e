/**
 * Changing tasks over the REST API: PATCH, DELETE, restore and move through the live document;
 * If-Match refuses stale writes, and edits without it merge with concurrent ones.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readBoard, tasksMap, updateTask } from '../../src/lib/domain/board/index.ts';
import { connect, waitFor } from './support/collab.ts';
import { settle } from './support/events.ts';
import { expectProblem } from './support/problem.ts';
import type { Client, TestUser } from './support/http.ts';
import { startTaskApi, tasksPath, type TaskApi } from './support/task-api.ts';

let s: TaskApi;
let api: Client;
let ana: TestUser;
let ed: TestUser;
let out: TestUser;
let newBoard: TaskApi['newBoard'];
let newTask: TaskApi['newTask'];
beforeAll(async () => {
	s = await startTaskApi();
	({ api, ana, ed, out, newBoard, newTask } = s);
});
afterAll(async () => {
	await s?.t.stop();
});

describe('PATCH /api/v1/tasks/:id', () => {
	it('changes the fields sent and bumps the version', async () => {
		const board = await newBoard();
		const task = await newTask(board, { labels: ['a'] });
		const res = await api.patch(
			`/api/v1/tasks/${task.id}`,
			{ title: 'Renamed', description: 'Now with text', priority: 'high', labels: ['b'] },
			{ token: ed.token }
		);
		expect(res.status).toBe(200);
		expect(res.body).toMatchObject({
			title: 'Renamed',
			description: 'Now with text',
			priority: 'high',
			labels: ['b'],
			dueDate: null
		});
		expect(res.body.version).toBeGreaterThan(task.version);
		expect(res.headers.get('etag')).toBe(`"${res.body.version}"`);
		const got = await api.get(`/api/v1/tasks/${task.id}`, { token: ana.token });
		expect(got.body).toEqual(res.body);
	});

	it('refuses invalid fields with 422 without writing any of them', async () => {
		const board = await newBoard();
		const task = await newTask(board);
		const res = await api.patch(
			`/api/v1/tasks/${task.id}`,
			{ title: 'Would change', assigneeId: out.id },
			{ token: ana.token }
		);
		expectProblem(res, 422);
		expect(res.body.errors).toHaveProperty('assigneeId');
		expectProblem(await api.patch(`/api/v1/tasks/${task.id}`, {}, { token: ana.token }), 422);
		const got = await api.get(`/api/v1/tasks/${task.id}`, { token: ana.token });
		expect(got.body).toEqual(task);
	});

	it('refuses a stale If-Match with 412 and the current task', async () => {
		const board = await newBoard();
		const task = await newTask(board);
		const etag = `"${task.version}"`;
		const ok = await api.patch(
			`/api/v1/tasks/${task.id}`,
			{ title: 'Fresh' },
			{ token: ana.token, headers: { 'if-match': etag } }
		);
		expect(ok.status).toBe(200);
		const stale = await api.patch(
			`/api/v1/tasks/${task.id}`,
			{ title: 'Stale' },
			{ token: ana.token, headers: { 'if-match': etag } }
		);
		expectProblem(stale, 412);
		expect(stale.body.current).toEqual(ok.body);
		expect(stale.headers.get('etag')).toBe(ok.headers.get('etag'));

		// An ETag sent without its quotes is a malformed header, not a stale version.
		const version = String(ok.body.version);
		for (const header of [version, `"${version}", ${version}`]) {
			const unquoted = await api.patch(
				`/api/v1/tasks/${task.id}`,
				{ title: 'Unquoted' },
				{ token: ana.token, headers: { 'if-match': header } }
			);
			expectProblem(unquoted, 400);
			expect(unquoted.body.errors).toHaveProperty('If-Match');
		}
		const deleted = await api.delete(`/api/v1/tasks/${task.id}`, {
			token: ana.token,
			headers: { 'if-match': version }
		});
		expectProblem(deleted, 400);
		// Where If-Match is not taken, it is refused rather than ignored (a lost update otherwise).
		const batch = await api.patch(
			`/api/v1/boards/${board.id}/tasks/batch`,
			{ items: [{ id: task.id, title: 'Unguarded' }] },
			{ token: ana.token, headers: { 'if-match': '"1"' } }
		);
		expectProblem(batch, 400);
		expect(batch.body.errors).toHaveProperty('If-Match');
		const listed = await api.patch(
			`/api/v1/tasks/${task.id}`,
			{ title: 'Listed' },
			{ token: ana.token, headers: { 'if-match': `"0", W/"1", ${ok.headers.get('etag')}` } }
		);
		expect(listed.status).toBe(200);
	});

	it('lets exactly one of two PATCHes with the same If-Match through', async () => {
		const board = await newBoard();
		const task = await newTask(board);
		const headers = { 'if-match': `"${task.version}"` };
		const results = await Promise.all(
			['One', 'Two'].map((title) =>
				api.patch(`/api/v1/tasks/${task.id}`, { title }, { token: ana.token, headers })
			)
		);
		expect(results.map((r) => r.status).sort()).toEqual([200, 412]);
		const winner = results.find((r) => r.status === 200)!;
		const loser = results.find((r) => r.status === 412)!;
		expect(loser.body.current.title).toBe(winner.body.title);
		const got = await api.get(`/api/v1/tasks/${task.id}`, { token: ana.token });
		expect(got.body.title).toBe(winner.body.title);
	});

	it('refuses If-Match when a connected client changed the task after it was read', async () => {
		const board = await newBoard();
		const task = await newTask(board);
		const browser = connect(s.t.url, board.id, { token: ed.token });
		try {
			expect(await browser.ready).toBe(true);
			await waitFor(() => tasksMap(browser.doc).has(task.id), 2000, 'the task');
			updateTask(browser.doc, { taskId: task.id, priority: 'low' }, { actorId: ed.id });
			// The edit is on the server's document; its store is still debounced.
			await new Promise((r) => setTimeout(r, 200));
			const stale = await api.patch(
				`/api/v1/tasks/${task.id}`,
				{ title: 'Blind' },
				{ token: ana.token, headers: { 'if-match': `"${task.version}"` } }
			);
			expectProblem(stale, 412);
			expect(stale.body.current).toMatchObject({ title: 'A task', priority: 'low' });
			expect(stale.body.current.version).toBeGreaterThan(task.version);
		} finally {
			browser.destroy();
		}
	});

	it('merges with a concurrent edit of another field by a connected client', async () => {
		const board = await newBoard();
		const task = await newTask(board);
		const browser = connect(s.t.url, board.id, { token: ed.token });
		try {
			expect(await browser.ready).toBe(true);
			await waitFor(() => tasksMap(browser.doc).has(task.id), 2000, 'the task');
			const patch = api.patch(
				`/api/v1/tasks/${task.id}`,
				{ title: 'From the API' },
				{ token: ana.token }
			);
			updateTask(browser.doc, { taskId: task.id, priority: 'urgent' }, { actorId: ed.id });
			expect((await patch).status).toBe(200);
			const seen = () => readBoard(browser.doc).columns[0]!.tasks.find((x) => x.id === task.id);
			await waitFor(() => seen()?.title === 'From the API', 2000, 'the API title');
			expect(seen()?.priority).toBe('urgent');
			// Another API write stores the whole document: the row holds both edits.
			const after = await api.patch(
				`/api/v1/tasks/${task.id}`,
				{ labels: ['merged'] },
				{ token: ana.token }
			);
			expect(after.body).toMatchObject({
				title: 'From the API',
				priority: 'urgent',
				labels: ['merged']
			});
		} finally {
			browser.destroy();
		}
	});
});

describe('DELETE, restore and move', () => {
	it('deletes and restores a task', async () => {
		const board = await newBoard();
		const task = await newTask(board);
		const deleted = await api.delete(`/api/v1/tasks/${task.id}`, { token: ed.token });
		expect(deleted.status).toBe(200);
		expect(deleted.body.deletedAt).not.toBeNull();
		expect((await api.get(tasksPath(board), { token: ana.token })).body.items).toEqual([]);
		const all = await api.get(tasksPath(board, '?includeDeleted=true'), { token: ana.token });
		expect(all.body.items.map((i: { id: string }) => i.id)).toEqual([task.id]);
		expectProblem(
			await api.patch(`/api/v1/tasks/${task.id}`, { title: 'Ghost' }, { token: ana.token }),
			409
		);
		const restored = await api.post(`/api/v1/tasks/${task.id}/restore`, undefined, {
			token: ed.token
		});
		expect(restored.status).toBe(200);
		expect(restored.body).toMatchObject({ deletedAt: null, columnId: task.columnId });
		expectProblem(
			await api.delete(`/api/v1/tasks/${task.id}`, {
				token: ana.token,
				headers: { 'if-match': `"${task.version}"` }
			}),
			412
		);
		expectProblem(
			await api.post(`/api/v1/tasks/${crypto.randomUUID()}/restore`, undefined, {
				token: ana.token
			}),
			404
		);
	});

	it('moves a task between columns and among its neighbours', async () => {
		const board = await newBoard();
		const [todo, doing] = board.columns;
		const a = await newTask(board, { columnId: doing!.id, title: 'A' });
		const b = await newTask(board, { columnId: doing!.id, title: 'B' });
		const task = await newTask(board, { columnId: todo!.id, title: 'Mover' });
		const res = await api.post(
			`/api/v1/tasks/${task.id}/move`,
			{ columnId: doing!.id, afterTaskId: a.id, beforeTaskId: b.id },
			{ token: ed.token, headers: { 'if-match': `"${task.version}"` } }
		);
		expect(res.status).toBe(200);
		expect(res.body).toMatchObject({ columnId: doing!.id, status: 'in_progress' });
		const list = await api.get(tasksPath(board, `?columnId=${doing!.id}`), { token: ana.token });
		expect(list.body.items.map((i: { title: string }) => i.title)).toEqual(['A', 'Mover', 'B']);

		const bad = [
			[{ columnId: crypto.randomUUID() }, 'columnId'],
			[{ columnId: todo!.id, beforeTaskId: a.id }, 'beforeTaskId'],
			[{ columnId: 'x' }, 'columnId'],
			[{}, 'columnId']
		] as const;
		for (const [body, field] of bad) {
			const refused = await api.post(`/api/v1/tasks/${task.id}/move`, body, { token: ana.token });
			expectProblem(refused, 422);
			expect(refused.body.errors).toHaveProperty(field);
		}
		expectProblem(
			await api.post(
				`/api/v1/tasks/${task.id}/move`,
				{ columnId: todo!.id },
				{ token: ana.token, headers: { 'if-match': `"${task.version}"` } }
			),
			412
		);
	});
});

describe('the event log', () => {
	it('names the caller of each API write as its actor, a token’s user too', async () => {
		const board = await newBoard();
		const token = await api.post(
			'/api/v1/tokens',
			{ name: 'script', scope: 'read-write' },
			{ token: ed.token }
		);
		const created = await api.post(
			tasksPath(board),
			{ title: 'By script' },
			{ token: token.body.token }
		);
		expect(created.status).toBe(201);
		const patched = await api.patch(
			`/api/v1/tasks/${created.body.id}`,
			{ priority: 'high' },
			{ token: ana.token }
		);
		expect(patched.status).toBe(200);
		await settle(s.t.app);
		const feed = await api.get(`/api/v1/tasks/${created.body.id}/events`, { token: ana.token });
		expect(feed.status).toBe(200);
		const actors = Object.fromEntries(
			feed.body.items.map((e: { type: string; actorId: string }) => [e.type, e.actorId])
		);
		expect(actors).toMatchObject({ 'task.created': ed.id, 'task.updated': ana.id });
	});
});
