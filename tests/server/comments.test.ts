/**
 * Comments on cards over the API: posting, reading in order page by page, editing and deleting
 * with their rights, bad input as problem+json, the audit events committed with each change
 * and attributed to the caller, the count and board news that open cards follow, and mentions
 * notifying members (and nobody else, without a hint that the name exists).
 */
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from './support/app.ts';
import { connect, waitFor, type TestProvider } from './support/collab.ts';
import { loggedEvents, settle } from './support/events.ts';
import {
	addMember,
	client,
	createBoard,
	signUp,
	type Client,
	type TestUser
} from './support/http.ts';
import { eventually, inbox } from './support/notifications.ts';
import { expectProblem } from './support/problem.ts';

let t: TestApp;
let api: Client;
let sql: postgres.Sql;
let ana: TestUser;
let ben: TestUser;
let vic: TestUser;
let zed: TestUser;
let boardId: string;
const open: TestProvider[] = [];

beforeAll(async () => {
	t = await startTestApp();
	api = client(t.url);
	sql = postgres(t.db.url, { max: 1, onnotice: () => {} });
	await signUp(api, 'Admin');
	ana = await signUp(api, 'Ana Lopez');
	ben = await signUp(api, 'Ben');
	vic = await signUp(api, 'Vic');
	// Has an account, is on no board of Ana's.
	zed = await signUp(api, 'Zed');
	boardId = (await createBoard(api, ana, 'Comments')).id;
	await addMember(api, ana, boardId, ben, 'editor');
	await addMember(api, ana, boardId, vic, 'viewer');
});

afterAll(async () => {
	for (const p of open) p.destroy();
	await sql?.end();
	await t?.stop();
});

async function newTask(title = 'Discussed'): Promise<string> {
	const res = await api.post(`/api/v1/boards/${boardId}/tasks`, { title }, { token: ana.token });
	expect(res.status, JSON.stringify(res.body)).toBe(201);
	return res.body.id;
}

async function post(taskId: string, user: TestUser, body: string) {
	return api.post(`/api/v1/tasks/${taskId}/comments`, { body }, { token: user.token });
}

describe('comments', () => {
	it('are posted, read back oldest first page by page, with rendered safe HTML', async () => {
		const taskId = await newTask();
		const bodies = [
			'first **bold**',
			'second <script>alert(1)</script>',
			'third [x](javascript:y)'
		];
		for (const [i, body] of bodies.entries()) {
			const res = await post(taskId, i === 1 ? ben : ana, body);
			expect(res.status, JSON.stringify(res.body)).toBe(201);
			expect(res.body).toMatchObject({ taskId, boardId, body, edited: false, canEdit: true });
		}
		const first = await api.get(`/api/v1/tasks/${taskId}/comments?limit=2`, { token: vic.token });
		expect(first.status).toBe(200);
		expect(first.body.total).toBe(3);
		expect(first.body.items.map((c: any) => c.body)).toEqual(bodies.slice(0, 2));
		expect(first.body.items[0].bodyHtml).toBe('<p>first <strong>bold</strong></p>');
		expect(first.body.items[1]).toMatchObject({
			author: { id: ben.id, name: 'Ben' },
			bodyHtml: '<p>second &lt;script&gt;alert(1)&lt;/script&gt;</p>',
			// A viewer may read, not edit or delete.
			canEdit: false,
			canDelete: false
		});
		const rest = await api.get(
			`/api/v1/tasks/${taskId}/comments?limit=2&cursor=${first.body.nextCursor}`,
			{ token: vic.token }
		);
		expect(rest.body.items.map((c: any) => c.body)).toEqual(bodies.slice(2));
		expect(rest.body.items[0].bodyHtml).not.toContain('href');
		expect(rest.body.nextCursor).toBeNull();
		// The card row counts them, for the card faces.
		const [row] = await sql`select comment_count from tasks where id = ${taskId}`;
		expect(row!.comment_count).toBe(3);
	});

	it('are edited by their authors only and deleted by them or an owner', async () => {
		const taskId = await newTask();
		const bens = (await post(taskId, ben, 'by Ben')).body;
		const anas = (await post(taskId, ana, 'by Ana')).body;
		const edit = await api.patch(
			`/api/v1/comments/${bens.id}`,
			{ body: 'by Ben, edited' },
			{ token: ben.token }
		);
		expect(edit.status).toBe(200);
		expect(edit.body).toMatchObject({ body: 'by Ben, edited', edited: true });
		expectProblem(
			await api.patch(`/api/v1/comments/${bens.id}`, { body: 'x' }, { token: ana.token }),
			403
		);
		// An editor may not delete the owner's comment; the owner may delete anyone's.
		expectProblem(await api.delete(`/api/v1/comments/${anas.id}`, { token: ben.token }), 403);
		expect((await api.delete(`/api/v1/comments/${bens.id}`, { token: ana.token })).status).toBe(
			204
		);
		expectProblem(
			await api.patch(`/api/v1/comments/${bens.id}`, { body: 'x' }, { token: ben.token }),
			404
		);
		expectProblem(await post(taskId, vic, 'viewer'), 403);
		expectProblem(await api.get(`/api/v1/tasks/${taskId}/comments`, { token: zed.token }), 404);
		const list = await api.get(`/api/v1/tasks/${taskId}/comments`, { token: ana.token });
		expect(list.body.items.map((c: any) => c.body)).toEqual(['by Ana']);
		expect(list.body.total).toBe(1);
	});

	it('refuses bad input with problem+json and stores nothing', async () => {
		const taskId = await newTask();
		for (const body of ['', '   \n ', 'x'.repeat(10_001)]) {
			const res = await post(taskId, ana, body);
			expectProblem(res, 422);
			expect(res.body.errors.body).toEqual(expect.any(String));
		}
		const notText = await api.post(
			`/api/v1/tasks/${taskId}/comments`,
			{ body: 42 },
			{ token: ana.token }
		);
		expectProblem(notText, 422);
		expectProblem(await post(crypto.randomUUID(), ana, 'hello'), 404);
		expectProblem(await post('not-a-uuid', ana, 'hello'), 404);
		expectProblem(
			await api.get(`/api/v1/tasks/${taskId}/comments?cursor=bogus`, { token: ana.token }),
			422
		);
		expectProblem(
			await api.get(`/api/v1/tasks/${taskId}/comments?limit=0`, { token: ana.token }),
			422
		);
		expectProblem(
			await api.patch(
				`/api/v1/comments/${crypto.randomUUID()}`,
				{ body: 'x' },
				{ token: ana.token }
			),
			404
		);
		expect((await post(taskId, ana, 'x'.repeat(10_000))).status).toBe(201);
		const [row] = await sql`select count(*)::int as n from comments where task_id = ${taskId}`;
		expect(row!.n).toBe(1);
		// A deleted card takes no comments.
		expect((await api.delete(`/api/v1/tasks/${taskId}`, { token: ana.token })).status).toBe(200);
		expectProblem(await post(taskId, ana, 'too late'), 409);
	});

	it('record comment.created, updated and deleted by exactly who did it, never the text', async () => {
		const taskId = await newTask('Audited');
		const comment = (await post(taskId, ben, 'secret words')).body;
		await api.patch(
			`/api/v1/comments/${comment.id}`,
			{ body: 'other words' },
			{ token: ben.token }
		);
		await api.delete(`/api/v1/comments/${comment.id}`, { token: ana.token });
		await settle(t.app);
		const events = (await loggedEvents(t.db.url, boardId)).filter((e) => e.entityId === comment.id);
		expect(events.map((e) => `${e.type} by ${e.actorId}`)).toEqual([
			`comment.created by ${ben.id}`,
			`comment.updated by ${ben.id}`,
			`comment.deleted by ${ana.id}`
		]);
		expect(events[0]!.payload).toMatchObject({ taskId, title: 'Audited', commentCount: 1 });
		expect(events[2]!.payload).toMatchObject({ taskId, commentCount: 0, authorId: ben.id });
		expect(JSON.stringify(events)).not.toMatch(/secret words|other words/);
		// The card's history lists them.
		const feed = await api.get(`/api/v1/boards/${boardId}/events?limit=10`, { token: ana.token });
		expect(feed.body.items.map((e: any) => e.type)).toContain('comment.created');
	});

	it('commit with their event and notifications or not at all', async () => {
		const taskId = await newTask('Atomic');
		const kept = (await post(taskId, ana, 'kept')).body;
		await sql`alter table event_outbox rename to event_outbox_away`;
		try {
			const refused = await post(taskId, ana, '@Ben never stored');
			expect(refused.status).toBe(500);
			expect(refused.headers.get('content-type')).toBe('application/problem+json');
			const edit = await api.patch(
				`/api/v1/comments/${kept.id}`,
				{ body: 'never edited' },
				{ token: ana.token }
			);
			expect(edit.status).toBe(500);
			expect((await api.delete(`/api/v1/comments/${kept.id}`, { token: ana.token })).status).toBe(
				500
			);
		} finally {
			await sql`alter table event_outbox_away rename to event_outbox`;
		}
		const list = await api.get(`/api/v1/tasks/${taskId}/comments`, { token: ana.token });
		expect(list.body.items.map((c: any) => c.body)).toEqual(['kept']);
		expect(list.body.total).toBe(1);
		const [mentions] = await sql`
			select count(*)::int as n from notifications where task_id = ${taskId} and kind = 'mentioned'`;
		expect(mentions!.n).toBe(0);
	});

	it('are announced to the board’s open connections with the card’s new count', async () => {
		const taskId = await newTask('Live');
		const p = connect(t.url, boardId, { token: vic.token });
		open.push(p);
		const heard: Record<string, number | null>[] = [];
		p.provider.on('stateless', ({ payload }: { payload: string }) => {
			const message = JSON.parse(payload) as { comments?: Record<string, number | null> };
			if (message.comments) heard.push(message.comments);
		});
		expect(await p.ready).toBe(true);
		await post(taskId, ana, 'one');
		await waitFor(() => heard.some((c) => c[taskId] === 1), 15_000, 'the count of one');
		const second = (await post(taskId, ben, 'two')).body;
		await waitFor(() => heard.some((c) => c[taskId] === 2), 15_000, 'the count of two');
		await api.delete(`/api/v1/comments/${second.id}`, { token: ben.token });
		await waitFor(() => heard.at(-1)?.[taskId] === 1, 15_000, 'the count after a delete');
	});

	it('notify the members mentioned, and nobody for names outside the board', async () => {
		const taskId = await newTask('Mentioned');
		const before = (await inbox(api, zed)).items.length;
		const res = await post(
			taskId,
			ana,
			'@Ben please look, and @Zed too, and @Nobody, and @Ana Lopez'
		);
		expect(res.status).toBe(201);
		const mentioned = await eventually(
			() => inbox(api, ben),
			(box) => box.items.some((n) => n.kind === 'mentioned' && n.task?.id === taskId),
			'Ben’s mention'
		);
		expect(mentioned.items.find((n) => n.task?.id === taskId)).toMatchObject({
			kind: 'mentioned',
			text: 'Ana Lopez mentioned you on “Mentioned” on Comments',
			actor: { id: ana.id },
			link: `/boards/${boardId}?card=${taskId}`
		});
		// Zed is no member: no notification, and the answer says nothing about him; nor is the
		// author told about her own mention.
		expect((await inbox(api, zed)).items.length).toBe(before);
		expect((await inbox(api, ana)).items.some((n) => n.kind === 'mentioned')).toBe(false);
		const plain = await post(taskId, ana, 'no mention here');
		expect(Object.keys(plain.body).sort()).toEqual(Object.keys(res.body).sort());
		// An edit that keeps the mention does not notify again; one that adds Vic notifies Vic.
		await api.patch(
			`/api/v1/comments/${res.body.id}`,
			{ body: '@Ben and now @Vic' },
			{ token: ana.token }
		);
		await eventually(
			() => inbox(api, vic),
			(box) => box.items.some((n) => n.kind === 'mentioned'),
			'Vic’s mention'
		);
		const bens = (await inbox(api, ben)).items.filter((n) => n.kind === 'mentioned');
		expect(bens).toHaveLength(1);
	});
});
