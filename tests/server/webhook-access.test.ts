/**
 * A webhook stops with its creator's right to manage it: removed from the board, no longer an
 * owner, account disabled, or (for workspace-wide and other boards' hooks) no longer an admin.
 * The hook is switched off with a reason in the change's own transaction, the people who manage
 * it now are notified, and events after the change are queued for (and sent to) it no more.
 * Each case proves the last part with a control hook on the same board: once the control hook
 * has its delivery of an event, that event has left the outbox, and the switched-off hook has
 * no delivery row for it and its receiver got nothing.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHook, updateHook } from '../../src/lib/server/webhooks/store.ts';
import { startTestApp, type TestApp } from './support/app.ts';
import {
	addMember,
	client,
	createBoard,
	signUp,
	type Client,
	type TestUser
} from './support/http.ts';
import { eventually, inbox } from './support/notifications.ts';
import { startReceiver, type Receiver } from './support/webhook-receiver.ts';

let t: TestApp;
let api: Client;
let admin: TestUser;
const receivers: Receiver[] = [];

beforeAll(async () => {
	t = await startTestApp({ WEBHOOK_ALLOW_PRIVATE: 'true', WEBHOOK_RETRY_BASE_MS: '50' });
	api = client(t.url);
	// The first account is the admin.
	admin = await signUp(api, 'Admin');
	expect(admin.role).toBe('admin');
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

interface Hook {
	id: string;
	url: string;
	receiver: Receiver;
}

async function hook(as: TestUser, boardId: string | null): Promise<Hook> {
	const r = await receiver();
	const path = boardId ? `/api/v1/boards/${boardId}/webhooks` : '/api/v1/webhooks';
	const res = await api.post(path, { url: r.url, events: ['task.*'] }, { token: as.token });
	expect(res.status, JSON.stringify(res.body)).toBe(201);
	return { id: res.body.id, url: r.url, receiver: r };
}

async function stored(id: string) {
	const [row] = await t.app.runtime.ctx.sql<{ active: boolean; disabled_reason: string | null }[]>`
		select active, disabled_reason from webhooks where id = ${id}`;
	return row!;
}

async function createTask(boardId: string, as: TestUser, title: string): Promise<string> {
	const res = await api.post(`/api/v1/boards/${boardId}/tasks`, { title }, { token: as.token });
	expect(res.status).toBe(201);
	return res.body.id;
}

const taskIds = (r: Receiver) =>
	r.received.map((x) => (JSON.parse(x.body) as { entityId: string }).entityId);

/**
 * Makes an event on the board and waits until `control` has it (so it has left the outbox);
 * then `off` has no delivery of it, queued or sent.
 */
async function expectNoDelivery(boardId: string, as: TestUser, control: Hook, off: Hook[]) {
	const taskId = await createTask(boardId, as, 'After the change');
	await eventually(
		async () => taskIds(control.receiver),
		(ids) => ids.includes(taskId),
		'the control hook’s delivery'
	);
	const { sql } = t.app.runtime.ctx;
	const rows = await sql<{ webhook_id: string }[]>`
		select webhook_id from webhook_deliveries
		where webhook_id = any(${off.map((h) => h.id)}::uuid[]) and event->>'entityId' = ${taskId}`;
	expect(rows).toEqual([]);
	for (const h of off) expect(taskIds(h.receiver)).not.toContain(taskId);
}

async function expectTold(user: TestUser, url: string) {
	const box = await eventually(
		() => inbox(api, user),
		(b) => b.items.some((n) => n.kind === 'webhook_disabled' && n.text.includes(url)),
		`${user.name} notified`
	);
	const note = box.items.find((n) => n.kind === 'webhook_disabled' && n.text.includes(url))!;
	expect(note.text).toContain('lost access');
	return note;
}

describe('a board hook whose creator loses the owner role', () => {
	it('cannot be registered by someone demoted after their check: the insert itself checks', async () => {
		const ana = await signUp(api, 'Ana');
		const bo = await signUp(api, 'Bo');
		const board = await createBoard(api, ana, 'Late demotion on create');
		await addMember(api, ana, board.id, bo, 'owner');
		// Bo passed the route's check as an owner; the demotion commits before the insert runs.
		const demoted = await api.patch(
			`/api/v1/boards/${board.id}/members/${bo.id}`,
			{ role: 'editor' },
			{ token: ana.token }
		);
		expect(demoted.status).toBe(200);
		const { sql } = t.app.runtime.ctx;
		const input = { boardId: board.id, url: 'https://example.com/late', events: ['task.*'] };
		expect(await createHook(sql, { ...input, createdBy: bo.id })).toBeNull();
		const rows = await sql`select created_by from webhooks where board_id = ${board.id}`;
		expect(rows).toEqual([]);
		// An owner still registers one, and so does an admin who owns nothing there.
		expect(await createHook(sql, { ...input, createdBy: ana.id })).toMatchObject({ active: true });
		expect(await createHook(sql, { ...input, createdBy: admin.id })).toMatchObject({
			active: true
		});
		// A workspace hook needs an admin.
		expect(await createHook(sql, { ...input, boardId: null, createdBy: ana.id })).toBeNull();
	});

	it('cannot be switched back on by someone demoted after their check: the update itself checks', async () => {
		const ana = await signUp(api, 'Ana');
		const bo = await signUp(api, 'Bo');
		const board = await createBoard(api, ana, 'Late demotion');
		await addMember(api, ana, board.id, bo, 'owner');
		const bos = await hook(bo, board.id);
		const off = await api.patch(
			`/api/v1/webhooks/${bos.id}`,
			{ active: false },
			{ token: bo.token }
		);
		expect(off.status).toBe(200);
		// Bo passed the route's check as an owner; the demotion commits before the update runs.
		const demoted = await api.patch(
			`/api/v1/boards/${board.id}/members/${bo.id}`,
			{ role: 'editor' },
			{ token: ana.token }
		);
		expect(demoted.status).toBe(200);
		const { sql } = t.app.runtime.ctx;
		expect(await updateHook(sql, bos.id, { active: true, by: bo.id })).toBeNull();
		expect(await updateHook(sql, bos.id, { url: 'https://example.com/x', by: bo.id })).toBeNull();
		const [row] = await sql<{ active: boolean; created_by: string; url: string }[]>`
			select active, created_by, url from webhooks where id = ${bos.id}`;
		expect(row).toEqual({ active: false, created_by: bo.id, url: bos.url });
		// Through the API Bo is refused; an owner may still switch it on, and answers for it.
		const refused = await api.patch(
			`/api/v1/webhooks/${bos.id}`,
			{ active: true },
			{ token: bo.token }
		);
		expect(refused.status).toBe(403);
		expect(await updateHook(sql, bos.id, { active: true, by: ana.id })).toMatchObject({
			active: true
		});
		expect((await stored(bos.id)).active).toBe(true);
	});

	it('is switched off when the creator is removed from the board', async () => {
		const ana = await signUp(api, 'Ana');
		const bo = await signUp(api, 'Bo');
		const board = await createBoard(api, ana, 'Removal');
		await addMember(api, ana, board.id, bo, 'owner');
		const anas = await hook(ana, board.id);
		const control = await hook(bo, board.id);
		// Delivered while Ana is an owner.
		const before = await createTask(board.id, bo, 'Before');
		await eventually(
			async () => taskIds(anas.receiver),
			(ids) => ids.includes(before),
			'before'
		);

		const removed = await api.delete(`/api/v1/boards/${board.id}/members/${ana.id}`, {
			token: bo.token
		});
		expect(removed.status).toBe(204);
		expect(await stored(anas.id)).toEqual({
			active: false,
			disabled_reason: 'Switched off because Ana, who registered it, was removed from the board.'
		});
		expect((await stored(control.id)).active).toBe(true);
		const note = await expectTold(bo, anas.url);
		expect(note.body).toContain('removed from the board');
		expect(note.link).toBe(`/boards/${board.id}/webhooks`);
		// The hook shows why, to the owners who remain.
		const shown = await api.get(`/api/v1/webhooks/${anas.id}`, { token: bo.token });
		expect(shown.body).toMatchObject({ active: false, disabledReason: note.body });
		await expectNoDelivery(board.id, bo, control, [anas]);
	});

	it('is switched off when the creator is made an editor, and not for other role changes', async () => {
		const ana = await signUp(api, 'Ana');
		const bo = await signUp(api, 'Bo');
		const cy = await signUp(api, 'Cy');
		const board = await createBoard(api, ana, 'Demotion');
		await addMember(api, ana, board.id, bo, 'owner');
		await addMember(api, ana, board.id, cy, 'owner');
		const anas = await hook(ana, board.id);
		const cys = await hook(cy, board.id);
		const control = await hook(bo, board.id);

		// Cy stays an owner: nothing happens to Ana's hook when Cy's role is set again.
		const same = await api.patch(
			`/api/v1/boards/${board.id}/members/${cy.id}`,
			{ role: 'owner' },
			{ token: bo.token }
		);
		expect(same.status).toBe(200);
		const demoted = await api.patch(
			`/api/v1/boards/${board.id}/members/${ana.id}`,
			{ role: 'editor' },
			{ token: bo.token }
		);
		expect(demoted.status).toBe(200);
		expect(await stored(anas.id)).toEqual({
			active: false,
			disabled_reason:
				'Switched off because Ana, who registered it, is no longer an owner of the board.'
		});
		expect((await stored(cys.id)).active).toBe(true);
		await expectTold(bo, anas.url);
		await expectTold(cy, anas.url);
		// Ana is no owner now: not told about a hook she may not manage.
		expect((await inbox(api, ana)).items.filter((n) => n.kind === 'webhook_disabled')).toEqual([]);
		await expectNoDelivery(board.id, bo, control, [anas]);

		// An owner who switches it back on answers for it from then on.
		const on = await api.patch(
			`/api/v1/webhooks/${anas.id}`,
			{ active: true },
			{ token: cy.token }
		);
		expect(on.body).toMatchObject({ active: true, disabledReason: null });
		expect(
			(
				await api.patch(
					`/api/v1/boards/${board.id}/members/${cy.id}`,
					{ role: 'viewer' },
					{
						token: bo.token
					}
				)
			).status
		).toBe(200);
		expect((await stored(anas.id)).active).toBe(false);
		expect((await stored(cys.id)).active).toBe(false);
	});

	it('stays on while its creator is still an admin', async () => {
		const ana = await signUp(api, 'Ana');
		const board = await createBoard(api, ana, 'Admin’s hook');
		await addMember(api, ana, board.id, admin, 'owner');
		const admins = await hook(admin, board.id);
		const removed = await api.delete(`/api/v1/boards/${board.id}/members/${admin.id}`, {
			token: ana.token
		});
		expect(removed.status).toBe(204);
		expect(await stored(admins.id)).toEqual({ active: true, disabled_reason: null });
	});
});

describe('hooks of an account that is disabled or demoted', () => {
	it('switches off all of a disabled account’s hooks, on every board', async () => {
		const ana = await signUp(api, 'Ana');
		const bo = await signUp(api, 'Bo');
		const one = await createBoard(api, ana, 'One');
		const two = await createBoard(api, ana, 'Two');
		await addMember(api, ana, one.id, bo, 'owner');
		await addMember(api, ana, two.id, bo, 'owner');
		const anasOne = await hook(ana, one.id);
		const anasTwo = await hook(ana, two.id);
		const control = await hook(bo, one.id);

		const disabled = await api.patch(
			`/api/v1/admin/users/${ana.id}`,
			{ disabled: true },
			{ token: admin.token }
		);
		expect(disabled.status).toBe(200);
		for (const h of [anasOne, anasTwo]) {
			expect(await stored(h.id)).toEqual({
				active: false,
				disabled_reason: 'Switched off because the account of Ana, who registered it, was disabled.'
			});
			await expectTold(bo, h.url);
		}
		await expectNoDelivery(one.id, bo, control, [anasOne]);
	});

	it('switches off a demoted admin’s workspace hooks and hooks on boards they do not own', async () => {
		const dee = await signUp(api, 'Dee');
		const owner = await signUp(api, 'Owner');
		const promoted = await api.patch(
			`/api/v1/admin/users/${dee.id}`,
			{ role: 'admin' },
			{ token: admin.token }
		);
		expect(promoted.status).toBe(200);
		const theirs = await createBoard(api, dee, 'Dee’s own');
		const others = await createBoard(api, owner, 'Someone else’s');
		const workspace = await hook(dee, null);
		const onOthers = await hook(dee, others.id);
		const onOwn = await hook(dee, theirs.id);
		const control = await hook(owner, others.id);

		const demoted = await api.patch(
			`/api/v1/admin/users/${dee.id}`,
			{ role: 'user' },
			{ token: admin.token }
		);
		expect(demoted.status).toBe(200);
		const reason = 'Switched off because Dee, who registered it, is no longer an admin.';
		expect(await stored(workspace.id)).toEqual({ active: false, disabled_reason: reason });
		expect(await stored(onOthers.id)).toEqual({ active: false, disabled_reason: reason });
		// Still an owner of that board.
		expect(await stored(onOwn.id)).toEqual({ active: true, disabled_reason: null });
		// The workspace hook's managers are the admins; the board hook's, that board's owners.
		const note = await expectTold(admin, workspace.url);
		expect(note.link).toBeNull();
		await expectTold(owner, onOthers.url);
		await expectNoDelivery(others.id, owner, control, [workspace, onOthers]);
	});
});
