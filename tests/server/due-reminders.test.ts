/**
 * Due-date reminders with two instances on one database: the scan runs on one instance at a
 * time, each card gets one reminder per due date and assignee however often the scan runs, and
 * when the scanning instance stops the other takes over.
 */
import { randomUUID } from 'node:crypto';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTask, readBoard } from '../../src/lib/domain/board/index.ts';
import { startPair, type TestApp, type TestPair } from './support/app.ts';
import {
	addMember,
	client,
	createBoard,
	signUp,
	type Client,
	type TestUser
} from './support/http.ts';
import { eventually, inbox } from './support/notifications.ts';
import { connect } from './support/collab.ts';
import { acknowledged } from './support/events.ts';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

let pair: TestPair;
let sql: postgres.Sql;
let one: TestApp;
let two: TestApp;
let api: Client;
let ana: TestUser;
let bob: TestUser;

/** A calendar day relative to the database's today, as the API takes it. */
async function day(offset: number): Promise<string> {
	const [row] = await sql<{ day: string }[]>`
		select (current_date + ${offset}::int)::text as day`;
	return row!.day;
}

beforeAll(async () => {
	// Scans every 100 ms, so a few seconds hold dozens of chances to remind twice.
	pair = await startPair({ DUE_SCAN_MS: '100' });
	({ one, two } = pair);
	sql = postgres(pair.db.url, { max: 1, onnotice: () => {} });
	api = client(one.url);
	await signUp(api, 'Admin');
	ana = await signUp(api, 'Ana');
	bob = await signUp(api, 'Bob');
});

afterAll(async () => {
	await sql?.end();
	await pair?.stop();
});

const scans = (app: TestApp) => app.app.runtime.dueReminders.stats.scans;

describe('due-date reminders', () => {
	it('reminds once per card and due date, from one instance at a time', async () => {
		const board = await createBoard(api, ana, 'Release');
		await addMember(api, ana, board.id, bob, 'editor');
		const columns = (await api.get(`/api/v1/boards/${board.id}/columns`, { token: ana.token })).body
			.items as { id: string; category: string }[];
		const done = columns.find((c) => c.category === 'done')!.id;
		const create = async (title: string, body: Record<string, unknown>) => {
			const res = await api.post(
				`/api/v1/boards/${board.id}/tasks`,
				{ title, ...body },
				{ token: ana.token }
			);
			expect(res.status, JSON.stringify(res.body)).toBe(201);
			return res.body.id as string;
		};
		const today = await create('Ship it', { assigneeId: bob.id, dueDate: await day(0) });
		const late = await create('Write notes', { assigneeId: bob.id, dueDate: await day(-2) });
		// None of these is due for a reminder: later, finished, nobody's, or deleted.
		await create('Next week', { assigneeId: bob.id, dueDate: await day(7) });
		await create('Already done', { assigneeId: bob.id, dueDate: await day(-1), columnId: done });
		await create('Unassigned', { dueDate: await day(-1) });
		// Due only after its deletion (set in the rows directly: the API refuses to edit a deleted
		// card), so no scan can legitimately have reminded about it before.
		const gone = await create('Dropped', { assigneeId: bob.id, dueDate: await day(7) });
		expect((await api.delete(`/api/v1/tasks/${gone}`, { token: ana.token })).status).toBe(200);
		await sql`update tasks set due_date = current_date - 1 where id = ${gone}`;

		const reminders = async () =>
			(await inbox(api, bob)).items.filter((i) => i.kind === 'due_soon' || i.kind === 'overdue');
		await eventually(reminders, (r) => r.length >= 2, 'two reminders');
		const before = { one: scans(one), two: scans(two) };
		await sleep(1500);
		const after = { one: scans(one), two: scans(two) };
		// Many scans ran meanwhile, all on the same instance.
		expect(after.one - before.one + (after.two - before.two)).toBeGreaterThanOrEqual(5);
		expect(Math.min(after.one, after.two)).toBe(0);

		const found = await reminders();
		expect(found.map((r) => [r.task.id, r.kind]).sort()).toEqual(
			[
				[today, 'due_soon'],
				[late, 'overdue']
			].sort()
		);
		expect(found.find((r) => r.task.id === today)!.text).toBe('“Ship it” is due today on Release');
		expect(found.find((r) => r.task.id === late)!.dueDate).toBe(await day(-2));

		// A new due date is a new reminder; the old one is not repeated.
		const moved = await api.patch(
			`/api/v1/tasks/${late}`,
			{ dueDate: await day(0) },
			{ token: ana.token }
		);
		expect(moved.status).toBe(200);
		await eventually(reminders, (r) => r.length === 3, 'a reminder for the new due date');
		await sleep(500);
		const rows = await sql<{ task_id: string; count: number }[]>`
			select task_id, count(*)::int as count from notifications
			where kind in ('due_soon', 'overdue') group by task_id, payload->>'dueDate'`;
		expect(rows.every((row) => row.count === 1)).toBe(true);
		expect(rows).toHaveLength(3);
	});

	it('reminds separately of cards that share an id on two boards', async () => {
		// Card ids are chosen by clients: an editor elsewhere can reuse one on purpose.
		const mine = await createBoard(api, ana, 'Mine');
		const theirs = await createBoard(api, ana, 'Theirs');
		for (const board of [mine, theirs]) await addMember(api, ana, board.id, bob, 'editor');
		const shared = randomUUID();
		for (const board of [mine, theirs]) {
			const editor = connect(one.url, board.id, { token: ana.token });
			try {
				expect(await editor.ready).toBe(true);
				const columnId = readBoard(editor.doc).columns[0]!.id;
				createTask(
					editor.doc,
					{ columnId, title: `Shared on ${board.id}`, assigneeId: bob.id, dueDate: await day(0) },
					{ actorId: ana.id, newId: () => shared }
				);
				await acknowledged(editor);
			} finally {
				editor.destroy();
			}
		}
		const onBoards = await eventually(
			async () =>
				sql<{ board_id: string }[]>`
					select board_id from notifications where task_id = ${shared} and kind = 'due_soon'`,
			(rows) => rows.length === 2,
			'a reminder on each board'
		);
		expect(onBoards.map((r) => r.board_id).sort()).toEqual([mine.id, theirs.id].sort());
	});

	it('carries on when the scanning instance’s database session dies', async () => {
		const [leader, follower] = scans(one) > 0 ? [one, two] : [two, one];
		const from = { leader: scans(leader), follower: scans(follower) };
		// The session holding the advisory lock, killed from outside (as when its host dies).
		const killed = await sql<{ pid: number }[]>`
			select pg_terminate_backend(pid), pid from pg_locks
			where locktype = 'advisory' and database = (select oid from pg_database where datname = current_database())
				and objid = hashtext('taskflow.due-reminders')::oid`;
		expect(killed).toHaveLength(1);
		const board = await createBoard(api, ana, 'After the crash');
		await addMember(api, ana, board.id, bob, 'editor');
		const res = await api.post(
			`/api/v1/boards/${board.id}/tasks`,
			{ title: 'Still reminded', assigneeId: bob.id, dueDate: await day(0) },
			{ token: ana.token }
		);
		expect(res.status).toBe(201);
		await eventually(
			async () =>
				sql<{ n: number }[]>`
					select count(*)::int as n from notifications
					where task_id = ${res.body.id} and kind = 'due_soon'`,
			(rows) => rows[0]!.n === 1,
			'the new card’s reminder'
		);
		// Someone holds the lock again and scans, one instance at a time.
		await sleep(300);
		const settled = { one: scans(one), two: scans(two) };
		await sleep(600);
		const gained = { one: scans(one) - settled.one, two: scans(two) - settled.two };
		expect(gained.one + gained.two).toBeGreaterThan(0);
		expect(Math.min(gained.one, gained.two)).toBe(0);
		expect(scans(leader) - from.leader + scans(follower) - from.follower).toBeGreaterThan(0);
	});

	it('moves to the other instance when the scanning one stops', async () => {
		const reminders = async () =>
			(
				await sql<{ count: number }[]>`
					select count(*)::int as count from notifications where kind in ('due_soon', 'overdue')`
			)[0]!.count;
		// Leadership may just have moved (the previous test killed the leader's session), and
		// while it moves both instances can scan within one window: wait for a window in which
		// exactly one instance scans, which names the leader and shows the other idle.
		const window = async () => {
			const from = { one: scans(one), two: scans(two) };
			await sleep(400);
			return { one: scans(one) - from.one, two: scans(two) - from.two };
		};
		const settled = await eventually(
			window,
			(gained) => gained.one > 0 !== gained.two > 0,
			'one instance scanning'
		);
		const before = await reminders();
		const [leader, follower] = settled.one > 0 ? [one, two] : [two, one];
		const idle = scans(follower);
		await leader.stop();
		await eventually(
			async () => scans(follower),
			(n) => n > idle,
			'the other instance to scan'
		);
		// Nothing new was due, so taking over reminded nobody again.
		expect(await reminders()).toBe(before);
	});
});
