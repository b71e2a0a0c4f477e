/**
 * Reads over many boards (the board list, someone's cards across boards, the admin's board
 * list) and a single board's read write the rows of boards edited live first, so they never
 * wait out the row-sync window (`ROW_SYNC_MS`). The window here is a minute: a row present
 * right after such a read was written by the read.
 */
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
	createTask,
	readBoard,
	renameBoard,
	updateTask
} from '../../src/lib/domain/board/index.ts';
import { startTestApp, type TestApp } from './support/app.ts';
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
	owner = await signUp(api);
});
afterAll(async () => {
	await sql?.end();
	await t?.stop();
});

async function openBoard(): Promise<{ id: string; p: TestProvider }> {
	const { id } = await createBoard(api, owner);
	const p = connect(t.url, id, { token: owner.token });
	expect(await p.ready).toBe(true);
	return { id, p };
}

/** Until the server acknowledged every change `p` made (its update is in the document). */
function acknowledged(p: TestProvider): Promise<void> {
	return waitFor(() => p.provider.unsyncedChanges === 0, 5000, 'the server’s acknowledgement');
}

async function storedTitle(boardId: string): Promise<string> {
	const [row] = await sql<{ title: string }[]>`select title from boards where id = ${boardId}`;
	return row!.title;
}

async function cardRow(boardId: string, id: string): Promise<boolean> {
	const rows = await sql`select 1 from tasks where board_id = ${boardId} and id = ${id}`;
	return rows.length > 0;
}

describe('reads over many boards write the rows of live edits first', () => {
	it('GET /api/v1/boards and /boards show a title renamed a moment ago', async () => {
		const a = await openBoard();
		const b = await openBoard();
		renameBoard(a.p.doc, { title: 'Renamed live' }, { actorId: owner.id });
		renameBoard(b.p.doc, { title: 'Also renamed' }, { actorId: owner.id });
		await Promise.all([acknowledged(a.p), acknowledged(b.p)]);
		// In the document, not in the rows: the window has not passed.
		expect(await storedTitle(a.id)).not.toBe('Renamed live');

		const res = await api.get('/api/v1/boards', { token: owner.token });
		expect(res.status).toBe(200);
		const titles = new Map(
			(res.body.items as { id: string; title: string }[]).map((x) => [x.id, x.title])
		);
		expect(titles.get(a.id)).toBe('Renamed live');
		expect(titles.get(b.id)).toBe('Also renamed');

		renameBoard(a.p.doc, { title: 'Renamed twice' }, { actorId: owner.id });
		await acknowledged(a.p);
		expect(await storedTitle(a.id)).toBe('Renamed live');
		const page = await api.get('/boards', { token: owner.token });
		expect(page.status).toBe(200);
		expect(String(page.body)).toContain('Renamed twice');

		renameBoard(b.p.doc, { title: 'One board read' }, { actorId: owner.id });
		await acknowledged(b.p);
		expect(await storedTitle(b.id)).toBe('Also renamed');
		const one = await api.get(`/api/v1/boards/${b.id}`, { token: owner.token });
		expect(one.body.title).toBe('One board read');

		// The first account is the workspace's admin.
		renameBoard(a.p.doc, { title: 'Seen by the admin' }, { actorId: owner.id });
		await acknowledged(a.p);
		expect(await storedTitle(a.id)).toBe('Renamed twice');
		const listed = await api.get('/api/v1/admin/boards?q=Seen%20by', { token: owner.token });
		expect(listed.status).toBe(200);
		expect(listed.body.items.map((x: { id: string; title: string }) => [x.id, x.title])).toEqual([
			[a.id, 'Seen by the admin']
		]);
		a.p.destroy();
		b.p.destroy();
	});

	it('GET /api/v1/me/tasks and /me/tasks list a card assigned a moment ago', async () => {
		const { id, p } = await openBoard();
		const columnId = readBoard(p.doc).columns[0]!.id;
		const card = createTask(
			p.doc,
			{ columnId, title: 'Mine, just now', assigneeId: owner.id },
			{ actorId: owner.id }
		);
		await acknowledged(p);
		expect(await cardRow(id, card)).toBe(false);

		const res = await api.get('/api/v1/me/tasks', { token: owner.token });
		expect(res.status).toBe(200);
		expect(res.body.items.map((item: { id: string }) => item.id)).toContain(card);
		expect(await cardRow(id, card)).toBe(true);

		const next = createTask(
			p.doc,
			{ columnId, title: 'On the page too', assigneeId: owner.id },
			{ actorId: owner.id }
		);
		await acknowledged(p);
		expect(await cardRow(id, next)).toBe(false);
		const page = await api.get('/me/tasks', { token: owner.token });
		expect(page.status).toBe(200);
		expect(String(page.body)).toContain('On the page too');
		p.destroy();
	});

	it('a read during a row batch waits for it and writes what came after it', async () => {
		const { id, p } = await openBoard();
		const columnId = readBoard(p.doc).columns[0]!.id;
		const card = createTask(
			p.doc,
			{ columnId, title: 'First', assigneeId: owner.id },
			{ actorId: owner.id }
		);
		await acknowledged(p);
		expect((await api.get('/api/v1/me/tasks', { token: owner.token })).status).toBe(200);
		expect(await cardRow(id, card)).toBe(true);

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
			const first = api.get('/api/v1/boards', { token: owner.token });
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
			// The batch holds the card as it was before this edit.
			updateTask(p.doc, { taskId: card, title: 'Third' }, { actorId: owner.id });
			await acknowledged(p);
			const second = api.get('/api/v1/me/tasks', { token: owner.token });
			release.resolve();
			await holding;
			expect((await first).status).toBe(200);
			const mine = await second;
			expect(mine.status).toBe(200);
			expect(mine.body.items.find((item: { id: string }) => item.id === card)?.title).toBe('Third');
		} finally {
			release.resolve();
			await holding.catch(() => {});
			await holder.end();
		}
		p.destroy();
	});
});
