/**
 * The row-sync window (`ROW_SYNC_MS`, a minute here) holds no read back: reads over many
 * boards ("my tasks", the admin's board list) write the rows of boards edited live first, and
 * a board's title reaches `boards` within half a second whatever the window. Each check that a
 * read wrote the rows is preceded by one that they were not written before it.
 */
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
	createTask,
	readBoard,
	renameBoard,
	updateTask
} from '../../src/lib/domain/board/index.ts';
import type { RowTarget } from '../../server/extensions/Persistence.ts';
import { startTestApp, type TestApp } from './support/app.ts';
import { loggedEvents, settle } from './support/events.ts';
import { connect, waitFor, type TestProvider } from './support/collab.ts';
import { client, createBoard, signUp, type Client, type TestUser } from './support/http.ts';

let t: TestApp;
let sql: postgres.Sql;
let api: Client;
let owner: TestUser;
beforeAll(async () => {
	t = await startTestApp({ ROW_SYNC_MS: '60000' });
	sql = postgres(t.db.url, { max: 2, onnotice: () => {} });
	api = client(t.url);
	// The first account is the workspace's admin.
	owner = await signUp(api);
});
afterAll(async () => {
	await sql?.end();
	await t?.stop();
});

async function openBoard(): Promise<{ id: string; p: TestProvider; columnId: string }> {
	const { id } = await createBoard(api, owner);
	const p = connect(t.url, id, { token: owner.token });
	expect(await p.ready).toBe(true);
	return { id, p, columnId: readBoard(p.doc).columns[0]!.id };
}

/** Until the server acknowledged every change `p` made (its update is in the document). */
function acknowledged(p: TestProvider): Promise<void> {
	return waitFor(() => p.provider.unsyncedChanges === 0, 5000, 'the server’s acknowledgement');
}

async function cardTitle(boardId: string, id: string): Promise<string | null> {
	const [row] = await sql<{ title: string }[]>`
		select title from tasks where board_id = ${boardId} and id = ${id}`;
	return row?.title ?? null;
}

function myCard(p: TestProvider, columnId: string, title: string): string {
	return createTask(p.doc, { columnId, title, assigneeId: owner.id }, { actorId: owner.id });
}

const myTitles = async (path = '/api/v1/me/tasks') => {
	const res = await api.get(path, { token: owner.token });
	expect(res.status).toBe(200);
	return res.body;
};

describe('reads over many boards write the rows of live edits first', () => {
	it('GET /api/v1/me/tasks and /me/tasks list a card assigned a moment ago', async () => {
		const { id, p, columnId } = await openBoard();
		const card = myCard(p, columnId, 'Mine, just now');
		await acknowledged(p);
		expect(await cardTitle(id, card)).toBeNull();
		const mine = await myTitles();
		expect(mine.items.map((item: { id: string }) => item.id)).toContain(card);
		expect(await cardTitle(id, card)).toBe('Mine, just now');

		const next = myCard(p, columnId, 'On the page too');
		await acknowledged(p);
		expect(await cardTitle(id, next)).toBeNull();
		expect(String(await myTitles('/me/tasks'))).toContain('On the page too');
		p.destroy();
	});

	it('GET /api/v1/admin/boards counts a card added a moment ago', async () => {
		const { id, p, columnId } = await openBoard();
		const card = myCard(p, columnId, 'Counted');
		await acknowledged(p);
		expect(await cardTitle(id, card)).toBeNull();
		const res = await api.get('/api/v1/admin/boards?limit=100', { token: owner.token });
		expect(res.status).toBe(200);
		const listed = res.body.items.find((board: { id: string }) => board.id === id);
		expect(listed.cards).toBe(1);
		p.destroy();
	});

	it('a read during a row batch waits for it, then writes what came after it', async () => {
		const { id, p, columnId } = await openBoard();
		const card = myCard(p, columnId, 'First');
		await acknowledged(p);
		await myTitles();
		expect(await cardTitle(id, card)).toBe('First');

		// Counts the flushes the server has started.
		const persistence = t.app.runtime.persistence;
		const original = persistence.syncRows.bind(persistence);
		let flushes = 0;
		persistence.syncRows = (target: RowTarget) => {
			if ('all' in target) flushes += 1;
			return original(target);
		};
		// Holding the card's row makes the next batch wait in its upsert.
		const holder = postgres(t.db.url, { max: 1, onnotice: () => {} });
		const release = Promise.withResolvers<void>();
		const locked = Promise.withResolvers<void>();
		const holding = holder.begin(async (tx) => {
			await tx`select 1 from tasks where board_id = ${id} and id = ${card} for update`;
			locked.resolve();
			await release.promise;
		});
		try {
			await locked.promise;
			updateTask(p.doc, { taskId: card, title: 'Second' }, { actorId: owner.id });
			await acknowledged(p);
			const first = myTitles();
			await expect
				.poll(
					async () =>
						(
							await sql`
								select 1 from pg_stat_activity
								where datname = current_database() and wait_event_type = 'Lock'
									and query like '%insert into tasks%'`
						).length,
					{ timeout: 5000 }
				)
				.toBe(1);
			// The waiting batch holds the card as it was before this edit.
			updateTask(p.doc, { taskId: card, title: 'Third' }, { actorId: owner.id });
			await acknowledged(p);
			const second = myTitles();
			await waitFor(() => flushes === 2, 5000, 'the second read’s flush');
			release.resolve();
			await holding;
			const titleIn = (page: { items: { id: string; title: string }[] }) =>
				page.items.find((item) => item.id === card)?.title;
			// The first read waited for the batch holding 'Second' (without waiting it would have
			// read the committed 'First'); the batch the second read's flush started can commit
			// 'Third' before the first read's select runs, which is as fresh as a read can be.
			expect(['Second', 'Third']).toContain(titleIn(await first));
			expect(titleIn(await second)).toBe('Third');
		} finally {
			persistence.syncRows = original;
			release.resolve();
			await holding.catch(() => {});
			await holder.end();
		}
		p.destroy();
	});
});

describe('comment changes', () => {
	it('name the card by the title it has now, renamed live a moment ago', async () => {
		const { id, p, columnId } = await openBoard();
		const card = myCard(p, columnId, 'Old name');
		await acknowledged(p);
		const posted = await api.post(
			`/api/v1/tasks/${card}/comments`,
			{ body: 'first words' },
			{ token: owner.token }
		);
		expect(posted.status).toBe(201);
		updateTask(p.doc, { taskId: card, title: 'New name' }, { actorId: owner.id });
		await acknowledged(p);
		expect(await cardTitle(id, card)).toBe('Old name');
		const path = `/api/v1/comments/${posted.body.id}`;
		const edited = await api.patch(path, { body: 'other words' }, { token: owner.token });
		expect(edited.status).toBe(200);

		updateTask(p.doc, { taskId: card, title: 'Newer name' }, { actorId: owner.id });
		await acknowledged(p);
		expect(await cardTitle(id, card)).toBe('New name');
		expect((await api.delete(path, { token: owner.token })).status).toBe(204);
		await settle(t.app);
		const events = (await loggedEvents(t.db.url, id)).filter(
			(event) => event.entityId === posted.body.id
		);
		expect(events.map((event) => [event.type, event.payload.title])).toEqual([
			['comment.created', 'Old name'],
			['comment.updated', 'New name'],
			['comment.deleted', 'Newer name']
		]);
		p.destroy();
	});
});

describe('a board’s title', () => {
	it('reaches its row by a row batch within half a second, not the minute of the window', async () => {
		const { id, p } = await openBoard();
		const stats = t.app.runtime.persistence.rowStats;
		const batches = stats.batches;
		renameBoard(p.doc, { title: 'Renamed live' }, { actorId: owner.id });
		await acknowledged(p);
		const stored = async () =>
			(await sql<{ title: string }[]>`select title from boards where id = ${id}`)[0]!.title;
		await expect.poll(stored, { timeout: 5000, interval: 20 }).toBe('Renamed live');
		// A batch wrote it (the store, two seconds after the edit, writes rows too, alone).
		expect(stats.batches).toBeGreaterThan(batches);
		p.destroy();
	});
});
