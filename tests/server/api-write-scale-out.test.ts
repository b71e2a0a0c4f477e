/**
 * API writes with two instances on one Redis: writes and reads on instance A, a browser-like
 * provider on instance B sees each write within a second, cards created on B are readable over
 * REST on A (at once while A holds the board, within the row-sync delay once it does not), and
 * after both instances stored, the rows and the snapshot hold every task once and the event log
 * has one `task.created` per task, naming its creator.
 */
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { createTask, readBoard } from '../../src/lib/domain/board/index.ts';
import { startPair, type TestApp, type TestPair } from './support/app.ts';
import { connect, waitFor } from './support/collab.ts';
import type { TestDatabase } from './support/database.ts';
import { acknowledged, loggedEvents, settle } from './support/events.ts';
import { addMember, client, createBoard, signUp } from './support/http.ts';
import { tasksPath } from './support/task-api.ts';

let pair: TestPair;
let db: TestDatabase;
let one: TestApp;
let two: TestApp;
beforeAll(async () => {
	pair = await startPair();
	({ db, one, two } = pair);
});
afterAll(async () => {
	await pair?.stop();
});

const loaded = (t: TestApp, boardId: string) =>
	t.app.runtime.collab.hocuspocus.documents.has(`board:${boardId}`);

/** Polls `check` until it holds or `ms` pass; returns its last answer. */
async function eventually(check: () => Promise<boolean>, ms: number): Promise<boolean> {
	for (const until = Date.now() + ms; Date.now() < until;) {
		if (await check()) return true;
		await new Promise((r) => setTimeout(r, 20));
	}
	return check();
}

const titlesIn = (doc: Y.Doc) =>
	readBoard(doc)
		.columns.flatMap((c) => c.tasks.map((t) => t.title))
		.sort();

describe('API writes across two instances', () => {
	it('reads its writes on A, shows them on B, and stores every task once', async () => {
		const onA = client(one.url);
		const onB = client(two.url);
		const ana = await signUp(onA, 'Ana');
		const ben = await signUp(onA, 'Ben');
		const board = await createBoard(onA, ana);
		await addMember(onA, ana, board.id, ben, 'editor');
		const browser = connect(two.url, board.id, { token: ben.token });
		expect(await browser.ready).toBe(true);

		const created = await Promise.all(
			Array.from({ length: 20 }, async (_, i) => {
				const post = await onA.post(tasksPath(board), { title: `api ${i}` }, { token: ana.token });
				expect(post.status).toBe(201);
				const got = await onA.get(`/api/v1/tasks/${post.body.id}`, { token: ana.token });
				expect(got.body).toEqual(post.body);
				return post.body.id as string;
			})
		);
		const apiTitles = created.map((_, i) => `api ${i}`);
		await waitFor(
			() => apiTitles.every((title) => titlesIn(browser.doc).includes(title)),
			1000,
			'the API writes on B'
		);
		const patched = await onA.patch(
			`/api/v1/tasks/${created[0]}`,
			{ title: 'api 0 renamed' },
			{ token: ana.token }
		);
		expect(patched.status).toBe(200);
		await waitFor(() => titlesIn(browser.doc).includes('api 0 renamed'), 1000, 'the PATCH on B');
		apiTitles[0] = 'api 0 renamed';

		// A card typed on B, while A holds the board too: A's own copy of the card is written.
		const columnId = readBoard(browser.doc).columns[0]!.id;
		const typed = createTask(browser.doc, { columnId, title: 'typed on B' }, { actorId: ben.id });
		await acknowledged(browser);
		expect(loaded(one, board.id)).toBe(true);
		const readable = async (id: string) =>
			(await onA.get(`/api/v1/tasks/${id}`, { token: ana.token })).status === 200;
		expect(await eventually(() => readable(typed), 1000)).toBe(true);

		// Once A has let the board go, B's row sync is what A reads.
		one.app.runtime.collab.hocuspocus.flushPendingStores();
		await waitFor(() => !loaded(one, board.id), 10_000, 'A to unload the board');
		const later = createTask(browser.doc, { columnId, title: 'later on B' }, { actorId: ben.id });
		await acknowledged(browser);
		expect(await eventually(() => readable(later), 2000)).toBe(true);
		expect(loaded(one, board.id)).toBe(false);
		expect((await onB.get(`/api/v1/tasks/${later}`, { token: ana.token })).status).toBe(200);

		// Both instances store and let go.
		browser.destroy();
		await settle(one.app);
		await settle(two.app);
		await waitFor(() => !loaded(one, board.id) && !loaded(two, board.id), 15_000, 'unloads');

		const all = [...apiTitles, 'typed on B', 'later on B'].sort();
		const sql = postgres(db.url, { max: 1, onnotice: () => {} });
		try {
			const rows = await sql<{ title: string }[]>`
				select title from tasks where board_id = ${board.id} and deleted_at is null`;
			expect(rows.map((r) => r.title).sort()).toEqual(all);
			const [stored] = await sql<{ snapshot: Buffer }[]>`
				select snapshot from board_documents where board_id = ${board.id}`;
			const doc = new Y.Doc();
			Y.applyUpdate(doc, new Uint8Array(stored!.snapshot));
			expect(titlesIn(doc)).toEqual(all);
		} finally {
			await sql.end();
		}

		const events = await loggedEvents(db.url, board.id);
		const creations = events.filter((e) => e.type === 'task.created');
		expect(creations.map((e) => e.entityId).sort()).toEqual([...created, typed, later].sort());
		for (const event of creations) {
			const by = event.entityId === typed || event.entityId === later ? ben.id : ana.id;
			expect(event.actorId, event.entityId ?? '').toBe(by);
		}
	}, 60_000);
});
