/**
 * What a REST read sees right after a write, before the debounced store writes the snapshot:
 * the caller's own API writes (read-your-writes), their events already committed, and cards a
 * browser created — at once on the instance that holds the board, and in the rows within the
 * row-sync delay even when nobody reads.
 */
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTask, readBoard, updateTask } from '../../src/lib/domain/board/index.ts';
import { connect, waitFor, type TestProvider } from './support/collab.ts';
import { acknowledged } from './support/events.ts';
import type { Client, TestUser } from './support/http.ts';
import { startTaskApi, tasksPath, type TaskApi } from './support/task-api.ts';

let s: TaskApi;
let api: Client;
let ana: TestUser;
let ed: TestUser;
let sql: postgres.Sql;
beforeAll(async () => {
	s = await startTaskApi();
	({ api, ana, ed } = s);
	sql = postgres(s.t.db.url, { max: 2, onnotice: () => {} });
});
afterAll(async () => {
	await sql?.end();
	await s?.t.stop();
});

const pause = () => new Promise((r) => setTimeout(r, 20));

async function logRows(boardId: string): Promise<number> {
	const [row] = await sql<{ n: number }[]>`
		select count(*)::int as n from board_updates where board_id = ${boardId}`;
	return row!.n;
}

describe('read-your-writes', () => {
	it('answers a GET right after each POST and PATCH with the write, before any store', async () => {
		const board = await s.newBoard();
		const created = await Promise.all(
			Array.from({ length: 20 }, async (_, i) => {
				const post = await api.post(tasksPath(board), { title: `task ${i}` }, { token: ana.token });
				expect(post.status).toBe(201);
				const got = await api.get(`/api/v1/tasks/${post.body.id}`, { token: ana.token });
				expect(got.status).toBe(200);
				expect(got.body).toEqual(post.body);
				expect(got.headers.get('etag')).toBe(post.headers.get('etag'));
				const patch = await api.patch(
					`/api/v1/tasks/${post.body.id}`,
					{ title: `renamed ${i}` },
					{ token: ed.token }
				);
				expect(patch.status).toBe(200);
				const again = await api.get(`/api/v1/tasks/${post.body.id}`, { token: ana.token });
				expect(again.body).toMatchObject({ title: `renamed ${i}`, version: patch.body.version });
				return post.body.id as string;
			})
		);
		// The log still holds the writes: what the reads saw came from the rows written with them.
		expect(await logRows(board.id)).toBeGreaterThan(0);
		const list = await api.get(tasksPath(board, '?limit=200'), { token: ana.token });
		expect(list.body.items.map((t: { id: string }) => t.id).sort()).toEqual(created.sort());
	});

	it('commits an API write’s events with it, naming the caller', async () => {
		const board = await s.newBoard();
		const post = await api.post(tasksPath(board), { title: 'Evented' }, { token: ed.token });
		expect(post.status).toBe(201);
		// Right after the 201, in the outbox or already delivered; never only in memory.
		const events = await sql<{ actor: string }[]>`
			select event->>'actorId' as actor from event_outbox
			where event->>'type' = 'task.created' and event->>'entityId' = ${post.body.id}
			union all
			select actor_id::text from event_logs
			where type = 'task.created' and entity_id = ${post.body.id}`;
		expect(events.length).toBeGreaterThan(0);
		expect(new Set(events.map((e) => e.actor))).toEqual(new Set([ed.id]));
	});
});

describe('cards created in a browser', () => {
	let browser: TestProvider;
	afterAll(() => browser?.destroy());

	async function browserCard(board: { id: string }, title: string): Promise<string> {
		browser?.destroy();
		browser = connect(s.t.url, board.id, { token: ed.token });
		expect(await browser.ready).toBe(true);
		const columnId = readBoard(browser.doc).columns[0]!.id;
		const id = createTask(browser.doc, { columnId, title }, { actorId: ed.id });
		await acknowledged(browser);
		return id;
	}

	it('are readable and writable over REST at once on the instance holding the board', async () => {
		const board = await s.newBoard();
		const id = await browserCard(board, 'Typed in a browser');
		const got = await api.get(`/api/v1/tasks/${id}`, { token: ana.token });
		expect(got.status).toBe(200);
		expect(got.body).toMatchObject({ title: 'Typed in a browser', creatorId: ed.id });
		const list = await api.get(tasksPath(board), { token: ana.token });
		expect(list.body.items.map((t: { id: string }) => t.id)).toEqual([id]);
		const patch = await api.patch(
			`/api/v1/tasks/${id}`,
			{ priority: 'high' },
			{ token: ana.token }
		);
		expect(patch.status).toBe(200);
		const priority = () =>
			readBoard(browser.doc).columns[0]!.tasks.find((t) => t.id === id)?.priority;
		await waitFor(() => priority() === 'high', 1000, 'the patch in the browser');
	});

	it('reach the rows within the row-sync delay with nobody reading, before the store', async () => {
		const board = await s.newBoard();
		const id = await browserCard(board, 'Unread');
		const row = async () => {
			const [found] = await sql<{ title: string }[]>`
				select title from tasks where board_id = ${board.id} and id = ${id}`;
			return found?.title ?? null;
		};
		const logged = async () => (await logRows(board.id)) > 0;
		let seen: { title: string | null; logged: boolean } = { title: null, logged: false };
		for (const until = Date.now() + 5000; Date.now() < until && seen.title === null;) {
			await pause();
			const title = await row();
			seen = { title, logged: await logged() };
		}
		// The log was not compacted yet once the row was there: the row came from the row sync.
		expect(seen).toEqual({ title: 'Unread', logged: true });

		updateTask(browser.doc, { taskId: id, title: 'Edited' }, { actorId: ed.id });
		await acknowledged(browser);
		for (const until = Date.now() + 5000; Date.now() < until;) {
			if ((await row()) === 'Edited') break;
			await pause();
		}
		expect(await row()).toBe('Edited');
	});
});
