/**
 * Every board event names the user whose connection made the change, even when two users edit
 * the same board and the same card within one store window; a burst of typing is one event;
 * another user's edit in between splits it.
 */
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import {
	createTask,
	deleteTask,
	editDescription,
	moveTask,
	readBoard,
	renameColumn,
	restoreTask,
	updateTask
} from '../../src/lib/domain/board/index.ts';
import { startTestApp, type TestApp } from './support/app.ts';
import { connect, waitFor, type TestProvider } from './support/collab.ts';
import { acknowledged, loggedEvents, settle, summary } from './support/events.ts';
import { addMember, client, createBoard, signUp, type TestUser } from './support/http.ts';

let t: TestApp;
let ana: TestUser;
let ben: TestUser;
const open: TestProvider[] = [];

beforeAll(async () => {
	t = await startTestApp();
	const api = client(t.url);
	ana = await signUp(api, 'Ana');
	ben = await signUp(api, 'Ben');
});
afterAll(async () => {
	for (const p of open) p.destroy();
	await t?.stop();
});

async function boardWithBoth(title: string) {
	const api = client(t.url);
	const board = await createBoard(api, ana, title);
	await addMember(api, ana, board.id, ben, 'editor');
	const a = connect(t.url, board.id, { token: ana.token, headers: { 'user-agent': 'ana-agent' } });
	const b = connect(t.url, board.id, { token: ben.token, headers: { 'user-agent': 'ben-agent' } });
	open.push(a, b);
	expect(await a.ready).toBe(true);
	expect(await b.ready).toBe(true);
	return { board, a, b, columns: readBoard(a.doc).columns.map((c) => c.id) };
}

const has = (p: TestProvider, taskId: string) => p.doc.getMap('tasks').has(taskId);
const tick = () => new Promise((r) => setTimeout(r, 2));

describe('event attribution', () => {
	it('names the right user for each change two users make to one card within a store window', async () => {
		const { board, a, b, columns } = await boardWithBoth('Attribution');
		const [todo, doing, done] = columns as [string, string, string];
		const card = createTask(a.doc, { columnId: todo, title: 'Fix login' }, { actorId: ana.id });
		await waitFor(() => has(b, card), 3000, 'the card on Ben’s side');
		updateTask(b.doc, { taskId: card, priority: 'high' }, { actorId: ben.id });
		await acknowledged(a, b);
		moveTask(a.doc, { taskId: card, columnId: doing }, { actorId: ana.id });
		const other = createTask(b.doc, { columnId: todo, title: 'Write docs' }, { actorId: ben.id });
		renameColumn(b.doc, { columnId: done, title: 'Shipped' }, { actorId: ben.id });
		await waitFor(() => has(a, other), 3000, 'Ben’s card on Ana’s side');
		deleteTask(a.doc, { taskId: other }, { actorId: ana.id });
		await waitFor(() => readBoard(b.doc).deletedTasks.length === 1, 3000, 'the deletion');
		restoreTask(b.doc, { taskId: other }, { actorId: ben.id });
		await acknowledged(a, b);
		await settle(t.app);

		const events = await loggedEvents(t.db.url, board.id);
		const board_ = events.filter((e) => e.type !== 'board.created' && e.type !== 'member.added');
		expect(summary(board_)).toEqual([
			`task.created by ${ana.id}`,
			`task.updated by ${ben.id}`,
			`task.moved by ${ana.id}`,
			`task.created by ${ben.id}`,
			`column.renamed by ${ben.id}`,
			`task.deleted by ${ana.id}`,
			`task.restored by ${ben.id}`
		]);
		const moved = board_.find((e) => e.type === 'task.moved')!;
		expect(moved.payload).toMatchObject({
			title: 'Fix login',
			fromColumnId: todo,
			toColumnId: doing,
			fromColumnTitle: 'To do',
			toColumnTitle: 'In progress'
		});
		expect(board_.find((e) => e.type === 'task.updated')!.payload.changes).toEqual({
			priority: { before: 'medium', after: 'high' }
		});
		for (const event of board_) {
			const agent = event.actorId === ana.id ? 'ana-agent' : 'ben-agent';
			expect(event.metadata).toMatchObject({
				userAgent: agent,
				instance: t.app.runtime.ctx.instanceId
			});
			expect(event.metadata.ipAddress).toMatch(/127\.0\.0\.1$/);
			expect(event.metadata.sessionId).toMatch(/^[0-9a-f]{16}$/);
			expect(event.metadata.sessionId).not.toBe(event.actorId === ana.id ? ana.token : ben.token);
		}
		expect(new Set(events.map((e) => e.id)).size).toBe(events.length);
	});

	it('makes 200 keystrokes in one description one task.updated, also across a store', async () => {
		const { board, a, columns } = await boardWithBoth('Typing');
		const card = createTask(a.doc, { columnId: columns[0]!, title: 'Notes' }, { actorId: ana.id });
		await acknowledged(a);
		for (let i = 0; i < 200; i++) {
			editDescription(
				a.doc,
				{ taskId: card, index: i, deleteCount: 0, insert: 'x' },
				{ actorId: ana.id }
			);
			await tick();
			// A store in the middle of the burst must not split it.
			if (i === 100) await settle(t.app);
		}
		await acknowledged(a);
		await settle(t.app);

		const updates = (await loggedEvents(t.db.url, board.id)).filter(
			(e) => e.type === 'task.updated'
		);
		expect(updates).toHaveLength(1);
		expect(updates[0]).toMatchObject({ actorId: ana.id, entityId: card });
		expect(updates[0]!.payload.changes).toEqual({
			description: { before: { chars: 0 }, after: { chars: 200 } }
		});
		// Summarised, never the text itself.
		expect(JSON.stringify(updates[0])).not.toContain('xxxx');
	});

	it('splits a burst when another user edits the card in between', async () => {
		const { board, a, b, columns } = await boardWithBoth('Interleaved');
		const card = createTask(a.doc, { columnId: columns[0]!, title: 'Shared' }, { actorId: ana.id });
		await waitFor(() => has(b, card), 3000, 'the card on Ben’s side');
		const type = async (p: TestProvider, who: TestUser, count: number) => {
			for (let i = 0; i < count; i++) {
				const length = (p.doc.getMap('tasks').get(card) as any).get('description').length;
				editDescription(
					p.doc,
					{ taskId: card, index: length, deleteCount: 0, insert: 'y' },
					{ actorId: who.id }
				);
				await tick();
			}
			await acknowledged(p);
			await waitFor(
				() =>
					(a.doc.getMap('tasks').get(card) as any).get('description').length ===
					(b.doc.getMap('tasks').get(card) as any).get('description').length,
				3000,
				'both sides'
			);
		};
		await type(a, ana, 5);
		await type(b, ben, 1);
		await type(a, ana, 5);
		await settle(t.app);

		const updates = (await loggedEvents(t.db.url, board.id)).filter(
			(e) => e.type === 'task.updated'
		);
		expect(updates.map((e) => [e.actorId, e.payload.changes.description])).toEqual([
			[ana.id, { before: { chars: 0 }, after: { chars: 5 } }],
			[ben.id, { before: { chars: 5 }, after: { chars: 6 } }],
			[ana.id, { before: { chars: 6 }, after: { chars: 11 } }]
		]);
	});

	it('stores events of whatever a hostile client writes, without ever failing a store', async () => {
		const { board, a, b } = await boardWithBoth('Hostile');
		const evil = new Y.Map<unknown>();
		a.doc.transact(() => {
			a.doc.getMap('tasks').set('not-a-uuid\u0000', evil);
			evil.set('title', `nul\u0000${'x'.repeat(5000)}`);
			evil.set('placement', { columnId: 42, rank: ['no'] });
			evil.set('labels', 'not an array');
		});
		a.doc.getMap('board').set('title', 'Renamed\u0000 by a raw write');
		await acknowledged(a);
		await waitFor(() => b.doc.getMap('tasks').size === 1, 3000, 'the raw card on Ben’s side');
		await settle(t.app);
		const events = await loggedEvents(t.db.url, board.id);
		const created = events.find((e) => e.type === 'task.created')!;
		expect(created).toMatchObject({ actorId: ana.id, entityId: 'not-a-uuid' });
		expect(created.payload.title).toHaveLength(255);
		expect(created.payload.title).not.toContain('\u0000');
		expect(events.find((e) => e.type === 'board.renamed')!.payload).toEqual({
			before: 'Hostile',
			after: 'Renamed by a raw write'
		});
		const sql = postgres(t.db.url, { max: 1 });
		const [left] =
			await sql`select count(*)::int as n from board_updates where board_id = ${board.id}`;
		await sql.end();
		expect(left!.n, 'the board was stored, its log compacted').toBe(0);
	});

	it('records account, board and member changes made over HTTP with the right actor', async () => {
		const api = client(t.url);
		const cleo = await signUp(api, 'Cleo');
		const secret = 'wrong passphrase 1234';
		expect(
			(await api.post('/api/v1/auth/login', { email: cleo.email, password: secret })).status
		).toBe(401);
		const login = await api.post(
			'/api/v1/auth/login',
			{ email: cleo.email, password: 'a long enough passphrase' },
			{ headers: { 'user-agent': 'cleo-agent' } }
		);
		expect(login.status).toBe(200);
		const session = login.body.sessionToken as string;
		const board = await createBoard(api, { ...cleo, token: session }, 'Over HTTP');
		const renamed = await api.patch(
			`/api/v1/boards/${board.id}`,
			{ title: 'Renamed over HTTP' },
			{ token: session }
		);
		expect(renamed.status).toBe(200);
		await addMember(api, { ...cleo, token: session }, board.id, ben, 'viewer');
		const member = `/api/v1/boards/${board.id}/members/${ben.id}`;
		expect((await api.patch(member, { role: 'editor' }, { token: session })).status).toBe(200);
		expect((await api.delete(member, { token: session })).status).toBe(204);
		expect((await api.delete(`/api/v1/boards/${board.id}`, { token: session })).status).toBe(204);
		expect((await api.post('/api/v1/auth/logout', undefined, { token: session })).status).toBe(204);
		const admin = `/api/v1/admin/users/${cleo.id}`;
		expect((await api.patch(admin, { role: 'admin' }, { token: ana.token })).status).toBe(200);
		expect((await api.patch(admin, { disabled: true }, { token: ana.token })).status).toBe(200);
		await settle(t.app);

		const all = await loggedEvents(t.db.url);
		const about = all.filter(
			(e) => e.entityId === cleo.id || e.boardId === board.id || e.payload?.email === cleo.email
		);
		expect(
			about.map(
				(e) =>
					`${e.type} by ${e.actorId === cleo.id ? 'Cleo' : e.actorId === ana.id ? 'Ana' : e.actorId}`
			)
		).toEqual([
			'user.signed_up by Cleo',
			// The sign-in that follows the sign-up (which starts no session).
			'user.logged_in by Cleo',
			'user.login_failed by null',
			'user.logged_in by Cleo',
			'board.created by Cleo',
			'board.renamed by Cleo',
			'member.added by Cleo',
			'member.role_changed by Cleo',
			'member.removed by Cleo',
			'board.archived by Cleo',
			'user.logged_out by Cleo',
			'user.role_changed by Ana',
			'user.disabled by Ana'
		]);
		const byType = (type: string) => about.find((e) => e.type === type)!;
		expect(byType('user.login_failed').payload).toEqual({ email: cleo.email, reason: 'invalid' });
		expect(byType('member.role_changed').payload).toMatchObject({
			before: 'viewer',
			after: 'editor'
		});
		expect(byType('user.role_changed').payload).toEqual({ before: 'user', after: 'admin' });
		const loggedIn = about.findLast((e) => e.type === 'user.logged_in')!;
		expect(loggedIn.metadata).toMatchObject({ userAgent: 'cleo-agent' });
		expect(loggedIn.correlationId).not.toBe(byType('board.created').correlationId);
		expect(JSON.stringify(all)).not.toContain(secret);
		for (const event of about) expect(event.metadata.sessionId ?? '').not.toBe(session);
	});

	it('serves a board’s and a card’s events to members only, newest first, with a cursor', async () => {
		const api = client(t.url);
		const { board, a, columns } = await boardWithBoth('Feed');
		const card = createTask(a.doc, { columnId: columns[0]!, title: 'Paged' }, { actorId: ana.id });
		for (const column of [columns[1]!, columns[2]!, columns[0]!]) {
			await acknowledged(a);
			moveTask(a.doc, { taskId: card, columnId: column }, { actorId: ana.id });
		}
		await acknowledged(a);
		await settle(t.app);
		const first = await api.get(`/api/v1/tasks/${card}/events?limit=3`, { token: ben.token });
		expect(first.status).toBe(200);
		expect(first.body.items.map((e: any) => e.type)).toEqual([
			'task.moved',
			'task.moved',
			'task.moved'
		]);
		expect(first.body.items[0]).toMatchObject({
			actorId: ana.id,
			actorName: 'Ana',
			metadata: null
		});
		const second = await api.get(
			`/api/v1/tasks/${card}/events?limit=3&cursor=${first.body.nextCursor}`,
			{
				token: ben.token
			}
		);
		expect(second.body.items.map((e: any) => e.type)).toEqual(['task.created']);
		expect(second.body.nextCursor).toBeNull();

		const feed = await api.get(`/api/v1/boards/${board.id}/events`, { token: ana.token });
		expect(feed.status).toBe(200);
		const times = feed.body.items.map((e: any) => e.createdAt);
		expect([...times].sort().reverse()).toEqual(times);
		expect(feed.body.items.at(-1).type).toBe('board.created');
		// Admins (Ana signed up first) also see where changes came from.
		expect(feed.body.items[0].metadata).toMatchObject({ userAgent: 'ana-agent' });

		const stranger = await signUp(api, 'Stranger');
		for (const path of [`/api/v1/boards/${board.id}/events`, `/api/v1/tasks/${card}/events`]) {
			const res = await api.get(path, { token: stranger.token });
			expect(res.status).toBe(404);
			expect(res.headers.get('content-type')).toContain('application/problem+json');
		}
		for (const query of ['limit=201', 'limit=0', 'limit=abc', 'cursor=not-a-cursor']) {
			const res = await api.get(`/api/v1/boards/${board.id}/events?${query}`, { token: ana.token });
			expect(res.status, query).toBe(422);
		}
		expect((await api.get(`/api/v1/boards/${board.id}/events`)).status).toBe(401);
	});
});
