/**
 * The REST task DTOs carry the card's checklist as collaborators edit it over the websocket:
 * `GET /api/v1/tasks/:id` and the board's task list, validated against the OpenAPI document by
 * the test client. A task without a checklist reads `[]`.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
	addChecklistItem,
	createTask,
	moveChecklistItem,
	readBoard,
	removeChecklistItem,
	toggleChecklistItem
} from '../../src/lib/domain/board/index.ts';
import { startTestApp, type TestApp } from './support/app.ts';
import { connect, type TestProvider } from './support/collab.ts';
import { acknowledged, loggedEvents, settle } from './support/events.ts';
import { client, createBoard, signUp, type TestUser } from './support/http.ts';

let t: TestApp;
let ana: TestUser;
const open: TestProvider[] = [];

beforeAll(async () => {
	t = await startTestApp();
	ana = await signUp(client(t.url), 'Ana');
});
afterAll(async () => {
	for (const p of open) p.destroy();
	await t?.stop();
});

describe('checklists over REST', () => {
	it('lists the checklist in order on the task and in the board’s task list', async () => {
		const api = client(t.url);
		const board = await createBoard(api, ana, 'Checklists');
		const p = connect(t.url, board.id, { token: ana.token });
		open.push(p);
		expect(await p.ready).toBe(true);
		const ctx = { actorId: ana.id };
		const columnId = readBoard(p.doc).columns[0]!.id;
		const taskId = createTask(p.doc, { columnId, title: 'Release' }, ctx);
		const bare = createTask(p.doc, { columnId, title: 'No checklist' }, ctx);
		const one = addChecklistItem(p.doc, { taskId, text: 'Write notes' }, ctx);
		const two = addChecklistItem(p.doc, { taskId, text: 'Tag' }, ctx);
		const three = addChecklistItem(p.doc, { taskId, text: 'Announce' }, ctx);
		toggleChecklistItem(p.doc, { taskId, itemId: one, done: true }, ctx);
		moveChecklistItem(p.doc, { taskId, itemId: three, beforeItemId: one }, ctx);
		removeChecklistItem(p.doc, { taskId, itemId: two }, ctx);
		await acknowledged(p);

		const expected = [
			{ id: three, text: 'Announce', done: false },
			{ id: one, text: 'Write notes', done: true }
		];
		const task = await api.get(`/api/v1/tasks/${taskId}`, { token: ana.token });
		expect(task.status).toBe(200);
		expect(task.body.checklist).toEqual(expected);

		const list = await api.get(`/api/v1/boards/${board.id}/tasks`, { token: ana.token });
		expect(list.status).toBe(200);
		const byId = new Map(list.body.items.map((item: { id: string }) => [item.id, item]));
		expect(byId.get(taskId)).toMatchObject({ checklist: expected });
		expect(byId.get(bare)).toMatchObject({ checklist: [] });

		// A later tick shows up too (the rows follow the document).
		toggleChecklistItem(p.doc, { taskId, itemId: three, done: true }, ctx);
		await acknowledged(p);
		const after = await api.get(`/api/v1/tasks/${taskId}`, { token: ana.token });
		expect(after.body.checklist[0]).toEqual({ id: three, text: 'Announce', done: true });
	});

	it('logs checklist edits as task.updated with the progress, not the item texts', async () => {
		const api = client(t.url);
		const board = await createBoard(api, ana, 'Checklist events');
		const p = connect(t.url, board.id, { token: ana.token });
		open.push(p);
		expect(await p.ready).toBe(true);
		const ctx = { actorId: ana.id };
		const columnId = readBoard(p.doc).columns[0]!.id;
		const taskId = createTask(p.doc, { columnId, title: 'Audit' }, ctx);
		await acknowledged(p);
		const one = addChecklistItem(p.doc, { taskId, text: 'secret step' }, ctx);
		addChecklistItem(p.doc, { taskId, text: 'other step' }, ctx);
		toggleChecklistItem(p.doc, { taskId, itemId: one, done: true }, ctx);
		await acknowledged(p);
		await settle(t.app);
		const updates = (await loggedEvents(t.db.url, board.id)).filter(
			(e) => e.type === 'task.updated'
		);
		expect(updates).toHaveLength(1);
		expect(updates[0]).toMatchObject({ actorId: ana.id, entityId: taskId });
		expect(updates[0]!.payload.changes).toEqual({
			checklist: { before: { done: 0, total: 0 }, after: { done: 1, total: 2 } }
		});
		expect(JSON.stringify(updates[0])).not.toContain('secret');
	});
});
