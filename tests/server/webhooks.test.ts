/**
 * Webhooks end to end: a real app sends board events to a real HTTP receiver on loopback
 * (WEBHOOK_ALLOW_PRIVATE), signed, in order per board, retried through 500s and outages, and
 * switched off with a notification when a delivery fails for its whole retry period.
 */
import { createHmac } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postDelivery } from '../../server/webhooks/sender.ts';
import { startTestApp, type TestApp } from './support/app.ts';
import {
	addMember,
	client,
	createBoard,
	signUp,
	type Client,
	type TestUser
} from './support/http.ts';
import { settle } from './support/events.ts';
import { eventually, inbox } from './support/notifications.ts';
import { expectProblem } from './support/problem.ts';
import { startReceiver, type Received, type Receiver } from './support/webhook-receiver.ts';

let t: TestApp;
let api: Client;
let admin: TestUser;
let ana: TestUser;
let ed: TestUser;
let vic: TestUser;
let out: TestUser;
const receivers: Receiver[] = [];

beforeAll(async () => {
	t = await startTestApp({ WEBHOOK_ALLOW_PRIVATE: 'true', WEBHOOK_RETRY_BASE_MS: '50' });
	api = client(t.url);
	admin = await signUp(api, 'Admin');
	ana = await signUp(api, 'Ana');
	ed = await signUp(api, 'Ed');
	vic = await signUp(api, 'Vic');
	out = await signUp(api, 'Out');
});
afterAll(async () => {
	for (const r of receivers) await r.close().catch(() => {});
	await t?.stop();
});

async function receiver(): Promise<Receiver> {
	const r = await startReceiver();
	receivers.push(r);
	return r;
}

async function boardWithHook(url: string, events = ['task.*']) {
	const board = await createBoard(api, ana, 'Hooked');
	await addMember(api, ana, board.id, ed, 'editor');
	await addMember(api, ana, board.id, vic, 'viewer');
	const res = await api.post(
		`/api/v1/boards/${board.id}/webhooks`,
		{ url, events },
		{ token: ana.token }
	);
	expect(res.status, JSON.stringify(res.body)).toBe(201);
	return { board, hook: res.body as { id: string; secret: string } };
}

async function createTasks(boardId: string, titles: string[], as = ana): Promise<string[]> {
	const ids: string[] = [];
	for (const title of titles) {
		const res = await api.post(`/api/v1/boards/${boardId}/tasks`, { title }, { token: as.token });
		expect(res.status).toBe(201);
		ids.push(res.body.id);
	}
	return ids;
}

/** The task ids of the task.created events the receiver accepted (answered 2xx), in order. */
function acceptedCreations(r: Receiver): string[] {
	return r.received
		.filter((x) => x.answered < 300 && x.headers['x-taskflow-event'] === 'task.created')
		.map((x) => (JSON.parse(x.body) as { entityId: string }).entityId);
}

/** The receiver's side of the documented check (docs/webhooks.md), written out independently. */
function signatureValid(secret: string, x: Received): boolean {
	const timestamp = String(x.headers['x-taskflow-timestamp']);
	const expected = createHmac('sha256', secret).update(`${timestamp}.${x.body}`).digest('hex');
	return x.headers['x-taskflow-signature'] === `v1=${expected}`;
}

/** Every item of a paged listing, following `nextCursor` (at most `maxPages` pages). */
async function allPages(path: string, token: string, maxPages: number): Promise<string[]> {
	const ids: string[] = [];
	let cursor: string | null = null;
	for (let pages = 0; pages < maxPages; pages++) {
		const url: string = cursor ? `${path}&cursor=${encodeURIComponent(cursor)}` : path;
		const res = await api.get(url, { token });
		expect(res.status, JSON.stringify(res.body)).toBe(200);
		ids.push(...res.body.items.map((item: { id: string }) => item.id));
		cursor = res.body.nextCursor;
		if (cursor === null) return ids;
	}
	throw new Error(`${path} still had a nextCursor after ${maxPages} pages: ${ids.join(', ')}`);
}

describe('webhook deliveries', () => {
	it('POSTs each event as the event log holds it, signed with the hook secret', async () => {
		const r = await receiver();
		const { board, hook } = await boardWithHook(r.url);
		expect(hook.secret).toMatch(/^whsec_/);
		const [taskId] = await createTasks(board.id, ['Signed']);
		const got = await eventually(
			async () => r.received.find((x) => JSON.parse(x.body).entityId === taskId),
			(x) => x !== undefined,
			'the task.created delivery'
		);
		const event = JSON.parse(got!.body);
		expect(event).toMatchObject({
			type: 'task.created',
			boardId: board.id,
			actorId: ana.id,
			entityId: taskId
		});
		expect(got!.headers['content-type']).toBe('application/json');
		expect(got!.headers['x-taskflow-event']).toBe('task.created');
		expect(got!.headers['x-taskflow-event-id']).toBe(event.id);
		expect(got!.headers['x-taskflow-webhook']).toBe(hook.id);
		expect(Math.abs(Number(got!.headers['x-taskflow-timestamp']) - Date.now() / 1000)).toBeLessThan(
			60
		);
		expect(signatureValid(hook.secret, got!)).toBe(true);
		expect(signatureValid(`${hook.secret}x`, got!)).toBe(false);

		// The delivery log says what happened.
		const log = await eventually(
			() => api.get(`/api/v1/webhooks/${hook.id}/deliveries`, { token: ana.token }),
			(res) => res.body.items.some((d: any) => d.eventId === event.id && d.state === 'delivered'),
			'the delivery log entry'
		);
		const entry = log.body.items.find((d: any) => d.eventId === event.id);
		expect(entry).toMatchObject({
			state: 'delivered',
			attempts: 1,
			responseStatus: 200,
			error: null
		});
		expect(entry.durationMs).toBeGreaterThanOrEqual(0);
	});

	it('only sends the event types the hook asked for', async () => {
		const r = await receiver();
		const { board, hook } = await boardWithHook(r.url, ['column.created']);
		await createTasks(board.id, ['Not wanted']);
		const column = await api.post(
			`/api/v1/boards/${board.id}/columns`,
			{ title: 'Wanted' },
			{ token: ana.token }
		);
		expect(column.status).toBe(201);
		await eventually(
			async () => r.received.length,
			(n) => n >= 1,
			'the column delivery'
		);
		// Events are retired in order, so the task event (earlier) was decided before this one.
		const log = await api.get(`/api/v1/webhooks/${hook.id}/deliveries`, { token: ana.token });
		expect(log.body.items.map((d: any) => d.eventType)).toEqual(['column.created']);
		expect(r.received.map((x) => x.headers['x-taskflow-event'])).toEqual(['column.created']);
	});

	it("keeps a board's order through 500s, retrying the head before anything behind it", async () => {
		const r = await receiver();
		r.answer((n) => (n <= 3 ? 500 : 200));
		const { board, hook } = await boardWithHook(r.url);
		const ids = await createTasks(
			board.id,
			Array.from({ length: 8 }, (_, i) => `Ordered ${i}`)
		);
		await eventually(
			async () => acceptedCreations(r).length,
			(n) => n >= ids.length,
			'all eight accepted'
		);
		expect(acceptedCreations(r)).toEqual(ids);
		// The three refusals were all the first event, sent again, never one overtaking it.
		const refused = r.received
			.filter((x) => x.answered === 500)
			.map((x) => JSON.parse(x.body).entityId);
		expect(refused).toEqual([ids[0], ids[0], ids[0]]);
		const log = await api.get(`/api/v1/webhooks/${hook.id}/deliveries?limit=200`, {
			token: ana.token
		});
		const first = log.body.items.find((d: any) => d.eventType === 'task.created' && d.attempts > 1);
		expect(first).toMatchObject({ state: 'delivered', attempts: 4, responseStatus: 200 });
	});

	it('loses nothing while the receiver is down, then delivers everything in order', async () => {
		const r = await receiver();
		const { board, hook } = await boardWithHook(r.url);
		await r.close();
		const ids = await createTasks(
			board.id,
			Array.from({ length: 10 }, (_, i) => `Outage ${i}`)
		);
		// Proof the dispatcher tried during the outage: the head records refused connections.
		await eventually(
			() => api.get(`/api/v1/webhooks/${hook.id}/deliveries?limit=200`, { token: ana.token }),
			(res) => res.body.items.some((d: any) => d.state === 'pending' && d.attempts >= 2 && d.error),
			'failed attempts during the outage'
		);
		await r.reopen();
		await eventually(
			async () => acceptedCreations(r).length,
			(n) => n >= ids.length,
			'all ten delivered',
			20_000
		);
		expect(acceptedCreations(r)).toEqual(ids);
	});

	it('signs with the new secret after a rotation', async () => {
		const r = await receiver();
		const { board, hook } = await boardWithHook(r.url);
		const rotated = await api.patch(
			`/api/v1/webhooks/${hook.id}`,
			{ rotateSecret: true },
			{ token: ana.token }
		);
		expect(rotated.status).toBe(200);
		expect(rotated.body.secret).toMatch(/^whsec_/);
		expect(rotated.body.secret).not.toBe(hook.secret);
		const [taskId] = await createTasks(board.id, ['After rotation']);
		const got = await eventually(
			async () => r.received.find((x) => JSON.parse(x.body).entityId === taskId),
			(x) => x !== undefined,
			'the delivery'
		);
		expect(signatureValid(rotated.body.secret, got!)).toBe(true);
		expect(signatureValid(hook.secret, got!)).toBe(false);
		// The secret is never shown again.
		const read = await api.get(`/api/v1/webhooks/${hook.id}`, { token: ana.token });
		expect(read.body.secret).toBeUndefined();
	});

	it('redelivers a delivery on request as a new delivery of the same event', async () => {
		const r = await receiver();
		const { board, hook } = await boardWithHook(r.url);
		const [taskId] = await createTasks(board.id, ['Again']);
		await eventually(
			async () => acceptedCreations(r),
			(got) => got.includes(taskId!),
			'the first delivery'
		);
		const log = await api.get(`/api/v1/webhooks/${hook.id}/deliveries`, { token: ana.token });
		const first = log.body.items.find((d: any) => d.eventType === 'task.created');
		const again = await api.post(
			`/api/v1/webhooks/${hook.id}/deliveries/${first.id}/redeliver`,
			undefined,
			{ token: ana.token }
		);
		expect(again.status).toBe(202);
		expect(again.body).toMatchObject({
			eventId: first.eventId,
			redeliveryOf: first.id,
			state: 'pending'
		});
		await eventually(
			async () => acceptedCreations(r).filter((id) => id === taskId).length,
			(n) => n === 2,
			'the redelivery'
		);
		const copies = r.received.filter((x) => JSON.parse(x.body).entityId === taskId);
		expect(copies[1]!.headers['x-taskflow-event-id']).toBe(
			copies[0]!.headers['x-taskflow-event-id']
		);
		expect(copies[1]!.headers['x-taskflow-delivery']).not.toBe(
			copies[0]!.headers['x-taskflow-delivery']
		);
	});

	it('pages a board’s hooks and the workspace’s oldest first, each once, to the end', async () => {
		// Hooks are keyed by a microsecond created_at; a cursor that kept milliseconds only
		// handed back the same hook on every page.
		const board = await createBoard(api, ana, 'Many hooks');
		const boardHooks: string[] = [];
		for (let i = 0; i < 5; i++) {
			const res = await api.post(
				`/api/v1/boards/${board.id}/webhooks`,
				{ url: `https://hooks.example.com/${i}`, events: ['comment.created'] },
				{ token: ana.token }
			);
			expect(res.status).toBe(201);
			boardHooks.push(res.body.id);
		}
		expect(await allPages(`/api/v1/boards/${board.id}/webhooks?limit=2`, ana.token, 10)).toEqual(
			boardHooks
		);
		expect(await allPages(`/api/v1/boards/${board.id}/webhooks?limit=1`, ana.token, 10)).toEqual(
			boardHooks
		);

		const workspaceHooks: string[] = [];
		try {
			for (let i = 0; i < 4; i++) {
				const res = await api.post(
					'/api/v1/webhooks',
					// One this test never causes: a workspace hook would get every board's events.
					{ url: `https://hooks.example.com/w${i}`, events: ['board.archived'] },
					{ token: admin.token }
				);
				expect(res.status).toBe(201);
				workspaceHooks.push(res.body.id);
			}
			const onePage = await api.get('/api/v1/webhooks?limit=100', { token: admin.token });
			const all = onePage.body.items.map((h: { id: string }) => h.id);
			expect(all.filter((id: string) => workspaceHooks.includes(id))).toEqual(workspaceHooks);
			expect(await allPages('/api/v1/webhooks?limit=1', admin.token, 30)).toEqual(all);
		} finally {
			for (const id of workspaceHooks) {
				await api.delete(`/api/v1/webhooks/${id}`, { token: admin.token });
			}
		}
	});

	it('pages a delivery log newest first in numeric id order, each delivery once', async () => {
		const { hook } = await boardWithHook('https://hooks.example.com/log', ['comment.created']);
		// Written directly: 21 finished deliveries whose ids cross 99999 → 100000, where text order
		// ("99999" > "100010") and numeric order differ. Far above what the sequence hands out here.
		const ids = Array.from({ length: 21 }, (_, i) => 99_990 + i);
		await t.app.runtime.ctx.sql`
			insert into webhook_deliveries
				(id, webhook_id, event_id, event_type, event, state, attempts, finished_at)
			select id, ${hook.id}, gen_random_uuid(), 'comment.created', '{}'::jsonb, 'delivered', 1, now()
			from unnest(${ids}::bigint[]) as id`;
		const newestFirst = ids.map(String).reverse();
		const path = `/api/v1/webhooks/${hook.id}/deliveries`;
		expect(await allPages(`${path}?limit=4`, ana.token, 10)).toEqual(newestFirst);
		expect(await allPages(`${path}?limit=10`, ana.token, 10)).toEqual(newestFirst);
	});
});

describe('a hook that keeps failing', () => {
	let short: TestApp;
	let shortApi: Client;
	beforeAll(async () => {
		short = await startTestApp({
			WEBHOOK_ALLOW_PRIVATE: 'true',
			WEBHOOK_RETRY_BASE_MS: '50',
			WEBHOOK_RETRY_FOR_SECONDS: '1'
		});
		shortApi = client(short.url);
	});
	afterAll(async () => short?.stop());

	it('is switched off after its retry period, its owner is notified, and switching it on resumes the queue', async () => {
		const r = await receiver();
		r.answer(503);
		const owner = await signUp(shortApi, 'Owner');
		const board = await createBoard(shortApi, owner, 'Failing');
		const created = await shortApi.post(
			`/api/v1/boards/${board.id}/webhooks`,
			{ url: r.url, events: ['task.*'] },
			{ token: owner.token }
		);
		const hookId = created.body.id as string;
		const first = await shortApi.post(
			`/api/v1/boards/${board.id}/tasks`,
			{ title: 'Doomed' },
			{ token: owner.token }
		);
		const hook = await eventually(
			() => shortApi.get(`/api/v1/webhooks/${hookId}`, { token: owner.token }),
			(res) => res.body.active === false,
			'the hook switched off'
		);
		expect(hook.body.disabledReason).toContain('HTTP 503');
		const told = await eventually(
			() => inbox(shortApi, owner),
			(box) => box.items.some((n) => n.kind === 'webhook_disabled'),
			'the owner notified'
		);
		const note = told.items.find((n) => n.kind === 'webhook_disabled')!;
		expect(note.text).toContain(r.url);
		expect(note.link).toBe(`/boards/${board.id}/webhooks`);

		// While off, new events are not queued for it; switched on, the queue resumes.
		r.answer(200);
		const second = await shortApi.post(
			`/api/v1/boards/${board.id}/tasks`,
			{ title: 'Later' },
			{ token: owner.token }
		); // Its event retires while the hook is off: nothing is queued for it.
		await settle(short.app);

		const on = await shortApi.patch(
			`/api/v1/webhooks/${hookId}`,
			{ active: true },
			{ token: owner.token }
		);
		expect(on.body).toMatchObject({ active: true, disabledReason: null });
		const log = await shortApi.get(`/api/v1/webhooks/${hookId}/deliveries`, { token: owner.token });
		const failed = log.body.items.find((d: any) => d.state === 'failed');
		expect(failed.attempts).toBeGreaterThanOrEqual(2);
		await shortApi.post(`/api/v1/webhooks/${hookId}/deliveries/${failed.id}/redeliver`, undefined, {
			token: owner.token
		});
		await eventually(
			async () => acceptedCreations(r),
			(ids) => ids.includes(first.body.id),
			'the redelivered event'
		);
		expect(acceptedCreations(r)).not.toContain(second.body.id);
	});
});

describe('target addresses', () => {
	it('refuses a name that resolves to loopback at send time, unless private targets are allowed', async () => {
		const r = await receiver();
		const url = `http://localhost:${r.port}/hook`;
		const refused = await postDelivery(url, '{}', {}, { allowPrivate: false, timeoutMs: 2000 });
		expect(refused.status).toBeNull();
		expect(refused.error).toBe(
			'refused: the target resolves to a private or reserved address (WEBHOOK_ALLOW_PRIVATE)'
		);
		// The same request with private targets allowed arrives, so the refusal above was the check.
		const allowed = await postDelivery(url, '{}', {}, { allowPrivate: true, timeoutMs: 2000 });
		expect(allowed).toMatchObject({ status: 200, error: null });
		expect(r.received).toHaveLength(1);
	});

	it('reports a receiver that does not answer in time', async () => {
		const { createServer } = await import('node:net');
		const silent = createServer(() => {}).listen(0, '127.0.0.1');
		await new Promise((resolve) => silent.once('listening', resolve));
		const port = (silent.address() as { port: number }).port;
		const result = await postDelivery(
			`http://127.0.0.1:${port}/`,
			'{}',
			{},
			{ allowPrivate: true, timeoutMs: 300 }
		);
		silent.close();
		expect(result.status).toBeNull();
		expect(result.error).toContain('no answer within 300 ms');
	});

	it('refuses loopback and private literals when the hook is registered (default settings)', async () => {
		const strict = await startTestApp();
		try {
			const sApi = client(strict.url);
			const owner = await signUp(sApi, 'Strict');
			const board = await createBoard(sApi, owner, 'Strict');
			for (const url of [
				'http://127.0.0.1:9/x',
				'http://localhost/x',
				// A trailing dot names the same host (a fully qualified name), as does any case.
				'http://localhost./x',
				'http://LOCALHOST:8080/x',
				'http://foo.localhost/x',
				'http://foo.localhost.:8080/x',
				'http://[::1]/x',
				'http://169.254.169.254/latest',
				'http://10.0.0.8/',
				'http://[::ffff:192.168.0.1]/'
			]) {
				const res = await sApi.post(
					`/api/v1/boards/${board.id}/webhooks`,
					{ url, events: ['task.*'] },
					{ token: owner.token }
				);
				expectProblem(res, 422);
				expect(res.body.errors.url, url).toBeTruthy();
			}
			const ok = await sApi.post(
				`/api/v1/boards/${board.id}/webhooks`,
				{ url: 'https://hooks.example.com/x', events: ['task.*'] },
				{ token: owner.token }
			);
			expect(ok.status).toBe(201);
		} finally {
			await strict.stop();
		}
	});
});

describe('webhook management', () => {
	it('belongs to board owners: editors and viewers 403, outsiders 404, anonymous 401', async () => {
		const r = await receiver();
		const { board, hook } = await boardWithHook(r.url);
		const body = { url: r.url, events: ['task.*'] };
		const path = `/api/v1/boards/${board.id}/webhooks`;
		for (const [who, status] of [
			[ed, 403],
			[vic, 403],
			[out, 404]
		] as const) {
			expectProblem(await api.get(path, { token: who.token }), status);
			expectProblem(await api.post(path, body, { token: who.token }), status);
			expectProblem(await api.get(`/api/v1/webhooks/${hook.id}`, { token: who.token }), status);
			expectProblem(
				await api.patch(`/api/v1/webhooks/${hook.id}`, { active: false }, { token: who.token }),
				status
			);
			expectProblem(await api.delete(`/api/v1/webhooks/${hook.id}`, { token: who.token }), status);
			expectProblem(
				await api.get(`/api/v1/webhooks/${hook.id}/deliveries`, { token: who.token }),
				status
			);
		}
		expectProblem(await api.get(path), 401);
		expectProblem(await api.post(path, body), 401);
		const list = await api.get(path, { token: ana.token });
		expect(list.body.items.map((h: any) => h.id)).toEqual([hook.id]);
		expect(list.body.items[0].secret).toBeUndefined();
		// Admins manage any board's hooks.
		expect((await api.get(`/api/v1/webhooks/${hook.id}`, { token: admin.token })).status).toBe(200);
	});

	it('refuses writes with a read-only token', async () => {
		const token = await api.post(
			'/api/v1/tokens',
			{ name: 'reader', scope: 'read' },
			{ token: ana.token }
		);
		const r = await receiver();
		const { board, hook } = await boardWithHook(r.url);
		expect(
			(await api.get(`/api/v1/boards/${board.id}/webhooks`, { token: token.body.token })).status
		).toBe(200);
		expectProblem(
			await api.post(
				`/api/v1/boards/${board.id}/webhooks`,
				{ url: r.url, events: ['task.*'] },
				{ token: token.body.token }
			),
			403
		);
		expectProblem(
			await api.delete(`/api/v1/webhooks/${hook.id}`, { token: token.body.token }),
			403
		);
	});

	it('answers bad input with 422 naming the field, and unknown ids with 404', async () => {
		const board = await createBoard(api, ana, 'Bad input');
		const path = `/api/v1/boards/${board.id}/webhooks`;
		for (const [body, field] of [
			[{ url: 'ftp://example.com/x', events: ['task.*'] }, 'url'],
			[{ url: 'not a url', events: ['task.*'] }, 'url'],
			[{ url: 'https://user:pw@example.com/', events: ['task.*'] }, 'url'],
			[{ url: 'https://example.com/', events: [] }, 'events'],
			[{ url: 'https://example.com/', events: ['user.*'] }, 'events.0'],
			[{ url: 'https://example.com/' }, 'events']
		] as const) {
			const res = await api.post(path, body, { token: ana.token });
			expectProblem(res, 422);
			expect(Object.keys(res.body.errors ?? {}), JSON.stringify(body)).toContain(field);
		}
		expectProblem(
			await api.post(
				path,
				{ url: 'https://example.com/', events: ['task.*'], extra: 1 },
				{ token: ana.token }
			),
			422
		);
		const created = await api.post(
			path,
			{ url: 'https://example.com/', events: ['task.*'] },
			{ token: ana.token }
		);
		expectProblem(
			await api.patch(`/api/v1/webhooks/${created.body.id}`, {}, { token: ana.token }),
			422
		);
		expectProblem(await api.get('/api/v1/webhooks/not-a-uuid', { token: ana.token }), 404);
		expectProblem(
			await api.get('/api/v1/webhooks/00000000-0000-4000-8000-000000000000', { token: ana.token }),
			404
		);
		expectProblem(
			await api.post(`/api/v1/webhooks/${created.body.id}/deliveries/abc/redeliver`, undefined, {
				token: ana.token
			}),
			404
		);
		expectProblem(
			await api.get(`/api/v1/webhooks/${created.body.id}/deliveries?cursor=zzz`, {
				token: ana.token
			}),
			422
		);
		expect(
			(await api.delete(`/api/v1/webhooks/${created.body.id}`, { token: ana.token })).status
		).toBe(204);
		expectProblem(await api.get(`/api/v1/webhooks/${created.body.id}`, { token: ana.token }), 404);
	});

	it('keeps workspace-wide hooks to admins, and sends them every board’s events', async () => {
		const r = await receiver();
		expectProblem(
			await api.post(
				'/api/v1/webhooks',
				{ url: r.url, events: ['board.*', 'task.created'] },
				{ token: ana.token }
			),
			403
		);
		expectProblem(await api.get('/api/v1/webhooks', { token: ana.token }), 403);
		const created = await api.post(
			'/api/v1/webhooks',
			{ url: r.url, events: ['task.created'] },
			{ token: admin.token }
		);
		expect(created.status).toBe(201);
		expect(created.body.boardId).toBeNull();
		const board = await createBoard(api, out, 'Anyone’s');
		const [taskId] = await createTasks(board.id, ['Workspace'], out);
		await eventually(
			async () => acceptedCreations(r),
			(ids) => ids.includes(taskId!),
			'the workspace delivery'
		);
		expectProblem(await api.get(`/api/v1/webhooks/${created.body.id}`, { token: out.token }), 404);
		expect(
			(await api.delete(`/api/v1/webhooks/${created.body.id}`, { token: admin.token })).status
		).toBe(204);
	});
});

describe('webhooks of an archived board', () => {
	it('cannot be added, changed or redelivered (409), but can be read and deleted', async () => {
		const r = await receiver();
		const { board, hook } = await boardWithHook(r.url);
		// DELETE archives (boards are never removed).
		expect((await api.delete(`/api/v1/boards/${board.id}`, { token: ana.token })).status).toBe(204);
		expectProblem(
			await api.post(
				`/api/v1/boards/${board.id}/webhooks`,
				{ url: r.url, events: ['task.*'] },
				{ token: ana.token }
			),
			409
		);
		expectProblem(
			await api.patch(`/api/v1/webhooks/${hook.id}`, { active: false }, { token: ana.token }),
			409
		);
		expect((await api.get(`/api/v1/webhooks/${hook.id}`, { token: ana.token })).status).toBe(200);
		expect((await api.delete(`/api/v1/webhooks/${hook.id}`, { token: ana.token })).status).toBe(
			204
		);
	});

	it('answers ids and cursors out of range with 4xx, not 500', async () => {
		const r = await receiver();
		const { board, hook } = await boardWithHook(r.url);
		expectProblem(
			await api.post(
				`/api/v1/webhooks/${hook.id}/deliveries/9223372036854775808/redeliver`,
				undefined,
				{ token: ana.token }
			),
			404
		);
		const foreign = Buffer.from(JSON.stringify(['2026-01-01T00:00:00.000Z', '123'])).toString(
			'base64url'
		);
		expectProblem(
			await api.get(`/api/v1/boards/${board.id}/webhooks?cursor=${foreign}`, { token: ana.token }),
			422
		);
		const huge = Buffer.from(
			JSON.stringify(['2026-01-01T00:00:00.000Z', '9223372036854775808'])
		).toString('base64url');
		expectProblem(
			await api.get(`/api/v1/webhooks/${hook.id}/deliveries?cursor=${huge}`, { token: ana.token }),
			422
		);
	});
});
