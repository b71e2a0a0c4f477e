/**
 * The board page's first paint: the stored document as its own binary answer, and the
 * first-screen preview read from the row mirror (what the page data carries instead).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import {
	createColumn,
	createTask,
	deleteTask,
	firstScreenCards,
	readBoard
} from '../../src/lib/domain/board/index.ts';
import {
	boardDocumentPath,
	yjsUpdateType
} from '../../src/lib/collab-protocol/document-transfer.ts';
import { readBoardPreview } from '../../src/lib/server/board-preview.ts';
import { createSql, type Sql } from '../../src/lib/server/db/client.ts';
import { startTestApp, type TestApp } from './support/app.ts';
import { connect, waitFor } from './support/collab.ts';
import { createBoard, client, signUp, type TestUser } from './support/http.ts';

let t: TestApp;
let sql: Sql;
let ana: TestUser;
let boardId: string;
/** The board as Ana's live client holds it after seeding. */
let seeded: Y.Doc;

const unknownUuid = '00000000-0000-4000-8000-000000000000';

beforeAll(async () => {
	t = await startTestApp();
	sql = createSql({ url: t.db.url, max: 2 });
	const api = client(t.url);
	ana = await signUp(api, 'Ana Preview');
	boardId = (await createBoard(api, ana, 'Preview board')).id;
	const live = connect(t.url, boardId, { token: ana.token });
	expect(await live.ready).toBe(true);
	const ctx = { actorId: ana.id };
	live.doc.transact(() => {
		const [first, second] = readBoard(live.doc).columns.map((c) => c.id);
		createColumn(live.doc, { title: 'Empty' }, ctx);
		// More than a first screen in one column, a few in another, one of them deleted.
		for (let i = 1; i <= firstScreenCards + 12; i++)
			createTask(live.doc, { columnId: first!, title: `Card ${i}`, labels: ['x'] }, ctx);
		for (let i = 1; i <= 3; i++) {
			const description = i === 1 ? 'Steps to reproduce, at some length.' : '';
			const id = createTask(live.doc, { columnId: second!, title: `Other ${i}`, description }, ctx);
			if (i === 2) deleteTask(live.doc, { taskId: id }, ctx);
		}
	});
	await waitFor(() => !live.provider.hasUnsyncedChanges, 10_000, 'the seed to be stored');
	seeded = live.doc;
	// The rows follow within the row sync's debounce.
	const rowsSynced = async () =>
		(await sql`select count(*)::int as n from tasks where board_id = ${boardId}`)[0]!.n === 45;
	const deadline = Date.now() + 10_000;
	while (!(await rowsSynced()) && Date.now() < deadline)
		await new Promise((r) => setTimeout(r, 50));
	live.destroy();
});

afterAll(async () => {
	await sql?.end();
	await t?.stop();
});

describe('GET /boards/:id/document', () => {
	const get = (path: string, headers: Record<string, string> = {}) =>
		fetch(new URL(path, t.url), { headers, redirect: 'manual' });

	it('answers a reader with the stored document as one binary Yjs update', async () => {
		const res = await get(boardDocumentPath(boardId), {
			cookie: `tf_session=${ana.token}`,
			'accept-encoding': 'br'
		});
		expect(res.status).toBe(200);
		expect(res.headers.get('content-type')).toBe(yjsUpdateType);
		expect(res.headers.get('cache-control')).toBe('private, no-store');
		// Compressed by the same handle as pages (fetch decodes it below).
		expect(res.headers.get('content-encoding')).toBe('br');
		const doc = new Y.Doc();
		Y.applyUpdate(doc, new Uint8Array(await res.arrayBuffer()));
		expect(readBoard(doc)).toEqual(readBoard(seeded));
	});

	it('is 401 problem+json without a session, 404 for a board the caller cannot read', async () => {
		const anonymous = await get(boardDocumentPath(boardId));
		expect(anonymous.status).toBe(401);
		expect(anonymous.headers.get('content-type')).toMatch(/^application\/problem\+json/);
		const ben = await signUp(client(t.url), 'Ben Outsider');
		for (const id of [boardId, unknownUuid, 'not-a-uuid']) {
			const res = await get(boardDocumentPath(id), { cookie: `tf_session=${ben.token}` });
			expect(res.status, id).toBe(404);
			expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
		}
	});
});

describe('readBoardPreview', () => {
	it('is the live columns with true counts and their first cards, as the document shows them', async () => {
		const preview = await readBoardPreview(sql, { id: boardId, title: 'Preview board' });
		const full = readBoard(seeded);
		expect(preview.title).toBe('Preview board');
		expect(preview.schemaVersion).toBe(full.schemaVersion);
		expect(preview.deletedTasks).toEqual([]);
		expect(preview.columns).toEqual(
			full.columns.map((column) => ({
				...column,
				tasks: column.tasks.slice(0, firstScreenCards).map((task) => ({
					...task,
					// The row keeps the instant; its text form is PostgreSQL's.
					createdAt: new Date(task.createdAt).toISOString(),
					// Only whether there is one: the card shows no more.
					description: task.description.slice(0, 1)
				}))
			}))
		);
		expect(preview.columns.map((c) => [c.taskCount, c.tasks.length])).toEqual([
			[firstScreenCards + 12, firstScreenCards],
			[2, 2],
			[0, 0],
			[0, 0]
		]);
	});
});
