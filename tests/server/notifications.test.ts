/**
 * Notifications: who is told what (assigned, unassigned, a created card completed), never the
 * actor and never someone outside the board; reading and marking read; system messages from
 * admins; and the live stream reaching every open tab across two instances on Redis.
 */
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tasksMap, updateTask } from '../../src/lib/domain/board/index.ts';
import { startPair, type TestApp, type TestPair } from './support/app.ts';
import { connect, waitFor } from './support/collab.ts';
import type { TestDatabase } from './support/database.ts';
import { acknowledged, settle } from './support/events.ts';
import {
	addMember,
	client,
	createBoard,
	signUp,
	type Client,
	type TestUser
} from './support/http.ts';
import { eventually, inbox, openStream } from './support/notifications.ts';
import { expectProblem } from './support/problem.ts';

let pair: TestPair;
let db: TestDatabase;
let a: TestApp;
let b: TestApp;
let api: Client;
let apiB: Client;
let admin: TestUser;
let ana: TestUser;
let bob: TestUser;
let cat: TestUser;
let out: TestUser;

beforeAll(async () => {
	pair = await startPair({ DUE_SCAN_MS: '0' });
	({ db, one: a, two: b } = pair);
	api = client(a.url);
	apiB = client(b.url);
	admin = await signUp(api, 'Admin');
	ana = await signUp(api, 'Ana');
	bob = await signUp(api, 'Bob');
	cat = await signUp(api, 'Cat');
	out = await signUp(api, 'Out');
});

afterAll(async () => {
	await pair?.stop();
});

/** A board of Ana's with Bob and Cat as editors; returns its id and first and done columns. */
async function newBoard(title = 'Web') {
	const board = await createBoard(api, ana, title);
	await addMember(api, ana, board.id, bob, 'editor');
	await addMember(api, ana, board.id, cat, 'editor');
	const columns = await api.get(`/api/v1/boards/${board.id}/columns`, { token: ana.token });
	const done = columns.body.items.find((c: any) => c.category === 'done');
	return { id: board.id, first: columns.body.items[0].id as string, done: done.id as string };
}

async function newTask(boardId: string, as: TestUser, body: Record<string, unknown> = {}) {
	const res = await api.post(
		`/api/v1/boards/${boardId}/tasks`,
		{ title: 'Fix login', ...body },
		{ token: as.token }
	);
	expect(res.status, JSON.stringify(res.body)).toBe(201);
	return res.body as { id: string };
}

describe('who is told', () => {
	it('tells an assignee, and the previous one that they were unassigned, never the actor', async () => {
		const board = await newBoard();
		const task = await newTask(board.id, ana);
		const before = await inbox(api, bob);
		const patch = await api.patch(
			`/api/v1/tasks/${task.id}`,
			{ assigneeId: bob.id },
			{ token: ana.token }
		);
		expect(patch.status).toBe(200);
		const bobs = await eventually(
			() => inbox(api, bob),
			(box) => box.unreadCount === before.unreadCount + 1,
			"Bob's assignment"
		);
		expect(bobs.items[0]).toMatchObject({
			kind: 'assigned',
			text: 'Ana assigned you to “Fix login” on Web',
			board: { id: board.id, title: 'Web' },
			task: { id: task.id, title: 'Fix login' },
			actor: { id: ana.id, name: 'Ana' },
			link: `/boards/${board.id}?card=${task.id}`,
			readAt: null
		});

		await api.patch(`/api/v1/tasks/${task.id}`, { assigneeId: cat.id }, { token: ana.token });
		await eventually(
			() => inbox(api, bob),
			(box) => box.items[0]?.kind === 'unassigned',
			"Bob's unassignment"
		);
		const cats = await eventually(
			() => inbox(api, cat),
			(box) => box.items[0]?.kind === 'assigned',
			"Cat's assignment"
		);
		expect(cats.items[0]!.task.id).toBe(task.id);
		await settle(a.app);
		expect((await inbox(api, ana)).items).toEqual([]);
	});

	it('keeps the board title it was sent with: a later rename does not reach someone who left', async () => {
		const board = await newBoard('Before');
		const task = await newTask(board.id, ana, { title: 'Titled', assigneeId: bob.id });
		await eventually(
			() => inbox(api, bob),
			(box) => box.items.some((item) => item.task?.id === task.id),
			"Bob's notification"
		);
		const removed = await api.delete(`/api/v1/boards/${board.id}/members/${bob.id}`, {
			token: ana.token
		});
		expect(removed.status).toBe(204);
		const renamed = await api.patch(
			`/api/v1/boards/${board.id}`,
			{ title: 'Secret plans' },
			{ token: ana.token }
		);
		expect(renamed.status).toBe(200);
		const box = await inbox(api, bob);
		const item = box.items.find((i) => i.task?.id === task.id)!;
		expect(item.board).toEqual({ id: board.id, title: 'Before' });
		expect(item.text).toBe('Ana assigned you to “Titled” on Before');
		expect(JSON.stringify(box)).not.toContain('Secret plans');
	});

	it('tells the assignee of a card created already assigned', async () => {
		const board = await newBoard('Ops');
		const task = await newTask(board.id, ana, { title: 'Rotate keys', assigneeId: cat.id });
		const box = await eventually(
			() => inbox(api, cat),
			(b) => b.items.some((item) => item.task?.id === task.id),
			"Cat's notification"
		);
		expect(box.items.find((item) => item.task?.id === task.id)).toMatchObject({
			kind: 'assigned',
			text: 'Ana assigned you to “Rotate keys” on Ops'
		});
	});

	it('tells whoever created a card when someone else completes it', async () => {
		const board = await newBoard();
		const mine = await newTask(board.id, bob, { title: 'Bob’s card' });
		const hers = await newTask(board.id, ana, { title: 'Ana’s card' });
		for (const task of [mine, hers]) {
			const moved = await api.post(
				`/api/v1/tasks/${task.id}/move`,
				{ columnId: board.done },
				{ token: ana.token }
			);
			expect(moved.status).toBe(200);
		}
		const box = await eventually(
			() => inbox(api, bob),
			(b) => b.items.some((item) => item.kind === 'completed' && item.task?.id === mine.id),
			"Bob's completion"
		);
		expect(box.items.find((item) => item.task?.id === mine.id)?.text).toBe(
			'Ana completed “Bob’s card” on Web (a card you created)'
		);
		// Ana completed her own card: nobody to tell.
		await settle(a.app);
		const anas = await inbox(api, ana);
		expect(anas.items.filter((item) => item.kind === 'completed')).toEqual([]);
	});

	it('attributes a live edit to the connection’s user and tells no one outside the board', async () => {
		const board = await newBoard('Live');
		const task = await newTask(board.id, ana, { title: 'Live card' });
		const editor = connect(a.url, board.id, { token: cat.token });
		try {
			expect(await editor.ready).toBe(true);
			await waitFor(() => tasksMap(editor.doc).has(task.id), 3000, 'the card');
			// An outsider's id, then Bob's: only Bob may hear about this card.
			updateTask(editor.doc, { taskId: task.id, assigneeId: out.id }, { actorId: cat.id });
			updateTask(editor.doc, { taskId: task.id, assigneeId: bob.id }, { actorId: cat.id });
			await acknowledged(editor);
			const box = await eventually(
				() => inbox(api, bob),
				(b) => b.items.some((item) => item.task?.id === task.id),
				"Bob's live assignment"
			);
			expect(box.items.find((item) => item.task?.id === task.id)).toMatchObject({
				kind: 'assigned',
				actor: { id: cat.id, name: 'Cat' }
			});
			await settle(a.app);
			expect((await inbox(api, out)).items).toEqual([]);
		} finally {
			editor.destroy();
		}
	});
});

describe('reading and marking read', () => {
	it('pages newest first and marks one, others’ and all', async () => {
		const board = await newBoard('Pages');
		for (const title of ['One', 'Two', 'Three']) {
			await newTask(board.id, ana, { title, assigneeId: bob.id });
		}
		const all = await eventually(
			() => inbox(api, bob, '?unread=true'),
			(box) => box.items.filter((item) => item.board?.id === board.id).length === 3,
			'three assignments'
		);
		// Two pages of two are exactly the first four, in order: nothing skipped or repeated.
		const four = await inbox(api, bob, '?limit=4');
		const first = await inbox(api, bob, '?limit=2');
		expect(first.items).toHaveLength(2);
		expect(first.nextCursor).toEqual(expect.any(String));
		const second = await inbox(api, bob, `?limit=2&cursor=${first.nextCursor}`);
		expect([...first.items, ...second.items].map((i) => i.id)).toEqual(four.items.map((i) => i.id));

		const target = all.items[0]!;
		const one = await api.post(
			'/api/v1/notifications/read',
			{ ids: [target.id] },
			{ token: bob.token }
		);
		expect(one.status).toBe(200);
		expect(one.body).toEqual({ updated: 1, unreadCount: all.unreadCount - 1 });
		// Someone else's id changes nothing.
		const foreign = await api.post(
			'/api/v1/notifications/read',
			{ ids: [all.items[1]!.id] },
			{ token: cat.token }
		);
		expect(foreign.body.updated).toBe(0);
		const everything = await api.post(
			'/api/v1/notifications/read',
			{ all: true },
			{ token: bob.token }
		);
		expect(everything.body).toEqual({ updated: all.unreadCount - 1, unreadCount: 0 });
		const after = await inbox(api, bob);
		expect(after.unreadCount).toBe(0);
		expect(after.items.every((item) => item.readAt !== null)).toBe(true);
	});

	it('refuses bad input and anonymous callers with problems', async () => {
		expectProblem(await api.get('/api/v1/notifications'), 401);
		expectProblem(await api.get('/api/v1/notifications/stream'), 401);
		expectProblem(await api.post('/api/v1/notifications/read', { all: true }), 401);
		for (const body of [{}, { ids: [] }, { ids: ['nope'] }, { all: false }]) {
			expectProblem(await api.post('/api/v1/notifications/read', body, { token: bob.token }), 422);
		}
		expectProblem(
			await api.post('/api/v1/notifications/read', undefined, { token: bob.token, raw: '{' }),
			400
		);
		expectProblem(await api.get('/api/v1/notifications?limit=0', { token: bob.token }), 422);
		expectProblem(await api.get('/api/v1/notifications?cursor=zz!', { token: bob.token }), 422);
		expectProblem(await api.get('/api/v1/notifications?unread=yes', { token: bob.token }), 422);
		// A well-formed cursor of another kind (an event feed's keys are not notification ids).
		const foreign = Buffer.from(JSON.stringify(['2026-01-01T00:00:00.000Z', 'x'])).toString(
			'base64url'
		);
		expectProblem(
			await api.get(`/api/v1/notifications?cursor=${foreign}`, { token: bob.token }),
			422
		);
	});

	it('lets a read token list but not mark read', async () => {
		const token = await api.post(
			'/api/v1/tokens',
			{ name: 'bell reader', scope: 'read' },
			{ token: bob.token }
		);
		expect(token.status).toBe(201);
		expect((await api.get('/api/v1/notifications', { token: token.body.token })).status).toBe(200);
		expectProblem(
			await api.post('/api/v1/notifications/read', { all: true }, { token: token.body.token }),
			403
		);
	});
});

describe('system messages', () => {
	it('reach every active user, from admins only', async () => {
		const disabled = await signUp(api, 'Gone');
		const off = await api.patch(
			`/api/v1/admin/users/${disabled.id}`,
			{ disabled: true },
			{ token: admin.token }
		);
		expect(off.status).toBe(200);

		expectProblem(await api.post('/api/v1/admin/broadcasts', { title: 'Hi' }), 401);
		expectProblem(
			await api.post('/api/v1/admin/broadcasts', { title: 'Hi' }, { token: ana.token }),
			403
		);
		for (const title of ['  ', '\u200b\u2060', 'Two\nlines']) {
			expectProblem(
				await api.post('/api/v1/admin/broadcasts', { title }, { token: admin.token }),
				422
			);
		}
		const sql = postgres(db.url, { max: 1 });
		const [active] = await sql<{ count: number }[]>`
			select count(*)::int as count from users where disabled_at is null`;
		const sent = await api.post(
			'/api/v1/admin/broadcasts',
			{ title: 'Maintenance at 18:00', body: 'Expect a minute of reconnecting.' },
			{ token: admin.token }
		);
		expect(sent.status).toBe(201);
		expect(sent.body).toMatchObject({
			id: expect.any(String),
			title: 'Maintenance at 18:00',
			recipients: active!.count
		});
		const box = await inbox(api, cat);
		expect(box.items[0]).toMatchObject({
			kind: 'system',
			text: 'Maintenance at 18:00',
			body: 'Expect a minute of reconnecting.',
			actor: { id: admin.id },
			link: null
		});
		// A read-only token of an admin sends nothing, through the API or the admin page.
		const readOnly = await api.post(
			'/api/v1/tokens',
			{ name: 'admin reader', scope: 'read' },
			{ token: admin.token }
		);
		expectProblem(
			await api.post('/api/v1/admin/broadcasts', { title: 'Nope' }, { token: readOnly.body.token }),
			403
		);
		const viaPage = await fetch(new URL('/admin?/broadcast', a.url), {
			method: 'POST',
			redirect: 'manual',
			headers: {
				authorization: `Bearer ${readOnly.body.token}`,
				'content-type': 'application/x-www-form-urlencoded'
			},
			body: new URLSearchParams({ title: 'Nope', body: '' }).toString()
		});
		expect(viaPage.status).toBe(403);
		const [nope] = await sql<{ count: number }[]>`
			select count(*)::int as count from broadcasts where title = 'Nope'`;
		expect(nope!.count).toBe(0);
		const [received] = await sql<{ count: number }[]>`
			select count(*)::int as count from notifications where user_id = ${disabled.id}`;
		await sql.end();
		expect(received!.count).toBe(0);
	});
});

describe('the admin page', () => {
	const page = (path: string, user: TestUser | null, init: RequestInit = {}) =>
		fetch(new URL(path, a.url), {
			redirect: 'manual',
			...init,
			headers: {
				origin: a.url,
				...(user ? { cookie: `tf_session=${user.token}` } : {}),
				...init.headers
			}
		});

	it('is for admins, and sends a system message from its form', async () => {
		expect((await page('/admin', null)).status).toBe(303);
		expect((await page('/admin', ana)).status).toBe(403);
		const open = await page('/admin', admin);
		expect(open.status).toBe(200);
		expect(await open.text()).toContain('Send a system message');

		const form = (title: string, as: TestUser) =>
			page('/admin?/broadcast', as, {
				method: 'POST',
				headers: { 'content-type': 'application/x-www-form-urlencoded' },
				body: new URLSearchParams({ title, body: 'From the page.' }).toString()
			});
		expect((await form('Not from Ana', ana)).status).toBe(403);
		const sent = await form('Release at noon', admin);
		expect(sent.status).toBe(200);
		const box = await inbox(api, cat);
		expect(box.items[0]).toMatchObject({ kind: 'system', text: 'Release at noon' });
		expect(box.items.some((item) => item.text === 'Not from Ana')).toBe(false);
		const listed = await (await page('/admin', admin)).text();
		expect(listed).toContain('Release at noon');
	});
});

describe('live stream', () => {
	it('tells every open tab, on either instance, of new notifications and reads', async () => {
		const board = await newBoard('Stream');
		const task = await newTask(board.id, ana, { title: 'Streamed' });
		const tabOnA = await openStream(a.url, bob);
		const tabOnB = await openStream(b.url, bob);
		const bystander = await openStream(b.url, cat);
		try {
			await tabOnA.next('ready');
			await tabOnB.next('ready');
			await bystander.next('ready');
			const from = { a: tabOnA.events.length, b: tabOnB.events.length };
			await apiB.patch(`/api/v1/tasks/${task.id}`, { assigneeId: bob.id }, { token: ana.token });
			await tabOnA.next('new', from.a);
			await tabOnB.next('new', from.b);

			const marked = { a: tabOnA.events.length, b: tabOnB.events.length };
			const read = await api.post(
				'/api/v1/notifications/read',
				{ all: true },
				{ token: bob.token }
			);
			expect(read.status).toBe(200);
			await tabOnA.next('read', marked.a);
			await tabOnB.next('read', marked.b);
			expect(bystander.events).toEqual(['ready']);
		} finally {
			tabOnA.close();
			tabOnB.close();
			bystander.close();
		}
	});

	it('ends a session’s streams when it logs out, and a user’s when they are disabled', async () => {
		const within = (promise: Promise<void>, what: string) =>
			Promise.race([
				promise,
				new Promise<void>((_resolve, reject) =>
					setTimeout(() => reject(new Error(`${what} still open after 5 s`)), 5000)
				)
			]);
		const dee = await signUp(api, 'Dee');
		const login = await api.post('/api/v1/auth/login', {
			email: dee.email,
			password: 'a long enough passphrase'
		});
		expect(login.status).toBe(200);
		const second = { ...dee, token: login.body.sessionToken as string };
		const first = await openStream(b.url, dee);
		const other = await openStream(b.url, second);
		try {
			await first.next('ready');
			await other.next('ready');
			// Logging out one session (on the other instance) ends that session's stream only.
			const out = await api.post('/api/v1/auth/logout', undefined, { token: second.token });
			expect(out.status).toBe(204);
			await within(other.ended, "the logged-out session's stream");
			const stillOpen = await Promise.race([
				first.ended.then(() => false),
				new Promise<boolean>((r) => setTimeout(() => r(true), 300))
			]);
			expect(stillOpen).toBe(true);
			const disabled = await api.patch(
				`/api/v1/admin/users/${dee.id}`,
				{ disabled: true },
				{ token: admin.token }
			);
			expect(disabled.status).toBe(200);
			await within(first.ended, "the disabled user's stream");
		} finally {
			first.close();
			other.close();
		}
	});

	it('refuses a 33rd stream of one user on an instance, and takes one once a tab closed', async () => {
		const eve = await signUp(api, 'Eve Many Tabs');
		const tabs = await Promise.all(Array.from({ length: 32 }, () => openStream(a.url, eve)));
		try {
			await Promise.all(tabs.map((tab) => tab.next('ready')));
			const refused = await api.get('/api/v1/notifications/stream', { token: eve.token });
			expectProblem(refused, 429);
			expect(refused.headers.get('retry-after')).toBe('60');
			// Someone else is not held back by Eve's tabs.
			const bystander = await openStream(a.url, cat);
			bystander.close();
			// A HEAD is answered without holding a stream.
			const head = await fetch(new URL('/api/v1/notifications/stream', a.url), {
				method: 'HEAD',
				headers: { authorization: `Bearer ${cat.token}` }
			});
			expect(head.status).toBe(200);
			expect(head.headers.get('content-type')).toContain('text/event-stream');
			// (The bystander's stream ends as its socket closes; a HEAD's would stay.)
			await expect.poll(() => a.app.runtime.ctx.notifications.streamsOf(cat.id)).toBe(0);

			tabs.pop()!.close();
			for (const until = Date.now() + 5000; ;) {
				const again = await openStream(a.url, eve).catch(() => null);
				if (again) {
					tabs.push(again);
					break;
				}
				if (Date.now() > until) throw new Error('no stream after a tab closed');
				await new Promise((resolve) => setTimeout(resolve, 20));
			}
		} finally {
			for (const tab of tabs) tab.close();
		}
	});
});
