/**
 * `GET /api/v1/me/tasks` and `/me/tasks`: open cards assigned to the caller across their
 * boards, grouped by due date, keyset-paginated; never another person's cards, never deleted
 * cards, done cards, archived boards or boards the caller has left.
 */
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectProblem } from './support/problem.ts';
import { addMember, signUp, type Client, type TestUser } from './support/http.ts';
import { startTaskApi, type BoardFixture, type TaskApi } from './support/task-api.ts';

let s: TaskApi;
let api: Client;
let ana: TestUser;
beforeAll(async () => {
	s = await startTaskApi();
	({ api, ana } = s);
});
afterAll(async () => {
	await s?.t.stop();
});

/** Someone new with their own (empty) list of tasks, an editor of `board`. */
async function person(board: BoardFixture, name: string): Promise<TestUser> {
	const user = await signUp(api, name);
	await addMember(api, ana, board.id, user, 'editor');
	return user;
}

const mine = (user: TestUser, query = '') =>
	api.get(`/api/v1/me/tasks${query}`, { token: user.token });

// A Friday: the ISO week ends on Sunday 2026-12-06.
const today = '2026-12-04';

describe('GET /api/v1/me/tasks', () => {
	it('lists my open cards by due date, undated last, each grouped and linked', async () => {
		const board = await s.newBoard();
		const me = await person(board, 'Mia');
		const [todo, , done] = board.columns as [BoardFixture['columns'][0], unknown, { id: string }];
		const task = (title: string, dueDate: string | null, extra: Record<string, unknown> = {}) =>
			s.newTask(board, { title, dueDate, assigneeId: me.id, columnId: todo.id, ...extra });
		const none = await task('No date', null, { labels: ['ops'], priority: 'urgent' });
		const later = await task('Later', '2026-12-20');
		const week = await task('Sunday', '2026-12-06');
		const due = await task('Today', today);
		const overdue = await task('Overdue', '2026-11-30');
		// Not mine, not open, not live:
		await s.newTask(board, { title: 'Someone else', assigneeId: s.ed.id, dueDate: today });
		await s.newTask(board, { title: 'Nobody', dueDate: today });
		await task('Finished', today, { columnId: done.id });
		const gone = await task('Deleted', today);
		expect((await api.delete(`/api/v1/tasks/${gone.id}`, { token: ana.token })).status).toBe(200);

		const res = await mine(me, `?today=${today}`);
		expect(res.status, JSON.stringify(res.body)).toBe(200);
		expect(res.body.today).toBe(today);
		expect(res.body.nextCursor).toBeNull();
		expect(res.body.items.map((i: { title: string; group: string }) => [i.title, i.group])).toEqual(
			[
				['Overdue', 'overdue'],
				['Today', 'today'],
				['Sunday', 'week'],
				['Later', 'later'],
				['No date', 'none']
			]
		);
		expect(res.body.items.map((i: { id: string }) => i.id)).toEqual(
			[overdue, due, week, later, none].map((t) => t.id)
		);
		expect(res.body.items[4]).toEqual({
			id: none.id,
			boardId: board.id,
			boardTitle: 'Test board',
			columnId: todo.id,
			columnTitle: todo.title,
			title: 'No date',
			status: 'todo',
			priority: 'urgent',
			labels: ['ops'],
			dueDate: null,
			group: 'none',
			link: `/boards/${board.id}?card=${none.id}`
		});
		// Seen on the next Monday: other groups (Dec 20 is after that week too), the same order.
		const monday = await mine(me, '?today=2026-12-07');
		expect(monday.body.items.map((i: { group: string }) => i.group)).toEqual([
			'overdue',
			'overdue',
			'overdue',
			'later',
			'none'
		]);
	});

	it('pages with a cursor through every card exactly once, across boards', async () => {
		const first = await s.newBoard();
		const second = await s.newBoard();
		const me = await person(first, 'Pat');
		await addMember(api, ana, second.id, me, 'viewer');
		const created: string[] = [];
		for (const [i, board] of [first, second, first, second, first, second, first].entries()) {
			// Two share a due date (ties break on board and card id), two have none.
			const dueDate = i < 5 ? `2026-12-0${1 + (i >> 1)}` : null;
			created.push((await s.newTask(board, { title: `P${i}`, dueDate, assigneeId: me.id })).id);
		}
		const seen: string[] = [];
		let cursor: string | null = null;
		let pages = 0;
		do {
			const query: string = `?limit=3${cursor ? `&cursor=${cursor}` : ''}`;
			const res = await mine(me, query);
			expect(res.status, JSON.stringify(res.body)).toBe(200);
			expect(res.body.items.length).toBeLessThanOrEqual(3);
			seen.push(...res.body.items.map((i: { id: string }) => i.id));
			cursor = res.body.nextCursor;
			pages++;
		} while (cursor && pages < 10);
		expect(pages).toBe(3);
		expect(seen).toHaveLength(created.length);
		expect(new Set(seen)).toEqual(new Set(created));
		const all = await mine(me, '?limit=200');
		expect(all.body.items.map((i: { id: string }) => i.id)).toEqual(seen);
		expect(all.body.items.slice(-2).map((i: { dueDate: null }) => i.dueDate)).toEqual([null, null]);
	});

	it('leaves out archived boards and boards I have left, and never shows others their cards', async () => {
		const kept = await s.newBoard();
		const archived = await s.newBoard();
		const left = await s.newBoard();
		const me = await person(kept, 'Lee');
		await addMember(api, ana, archived.id, me, 'editor');
		await addMember(api, ana, left.id, me, 'editor');
		const stays = await s.newTask(kept, { title: 'Stays', assigneeId: me.id });
		await s.newTask(archived, { title: 'On an archived board', assigneeId: me.id });
		await s.newTask(left, { title: 'On a board I left', assigneeId: me.id });
		expect((await mine(me)).body.items).toHaveLength(3);

		expect((await api.delete(`/api/v1/boards/${archived.id}`, { token: ana.token })).status).toBe(
			204
		);
		const removed = await api.delete(`/api/v1/boards/${left.id}/members/${me.id}`, {
			token: ana.token
		});
		expect(removed.status).toBe(204);
		const res = await mine(me);
		expect(res.body.items.map((i: { id: string }) => i.id)).toEqual([stays.id]);
		// The board's owner, who assigned the card, does not see it in their own list.
		const owner = await mine(ana, '?limit=200');
		expect(owner.body.items.map((i: { id: string }) => i.id)).not.toContain(stays.id);
		// Someone with no boards has an empty list.
		const stranger = await signUp(api, 'Stranger');
		expect((await mine(stranger)).body).toMatchObject({ items: [], nextCursor: null });
	});

	it('answers a read-only token, and refuses anonymous callers', async () => {
		expect((await api.get('/api/v1/me/tasks', { token: s.readToken })).status).toBe(200);
		const anonymous = await api.get('/api/v1/me/tasks');
		expectProblem(anonymous, 401);
	});

	it('refuses a bad limit, cursor, day or parameter with a problem naming it', async () => {
		const board = await s.newBoard();
		const me = await person(board, 'Bo');
		for (const [query, field] of [
			['?limit=0', 'limit'],
			['?limit=201', 'limit'],
			['?limit=ten', 'limit'],
			['?cursor=nonsense', 'cursor'],
			[
				`?cursor=${Buffer.from('{"sort":"rank","key":["a","b","c"]}').toString('base64url')}`,
				'cursor'
			],
			[
				`?cursor=${Buffer.from('{"sort":"me/tasks","key":["x","y","z"]}').toString('base64url')}`,
				'cursor'
			],
			['?today=2026-02-30', 'today'],
			['?today=tomorrow', 'today'],
			// An unknown parameter is named in the problem's text (its `errors` key is `_`).
			['?sort=title', '_']
		] as const) {
			const res = await mine(me, query);
			expectProblem(res, 422);
			expect(Object.keys(res.body.errors ?? {}), query).toContain(field);
		}
	});

	it('reads the mirror through the index, a page at a time', async () => {
		const sql = postgres(s.t.db.url, { max: 1, onnotice: () => {} });
		try {
			await sql`set enable_seqscan = off`;
			const plan = await sql.unsafe(`explain select t.id from tasks t
				where t.assignee_id = '00000000-0000-4000-8000-000000000000'
				and t.deleted_at is null and t.status <> 'done'
				and (coalesce(t.due_date, 'infinity'::date), t.board_id, t.id) > ('2026-01-01'::date, '00000000-0000-4000-8000-000000000000'::uuid, '00000000-0000-4000-8000-000000000000'::uuid)
				order by coalesce(t.due_date, 'infinity'::date), t.board_id, t.id limit 51`);
			const text = plan.map((row) => String(row['QUERY PLAN'])).join('\n');
			expect(text).toContain('tasks_open_assignee_due_idx');
			expect(text).not.toMatch(/\bSort\b/);
		} finally {
			await sql.end();
		}
	});
});

describe('/me/tasks page', () => {
	it('sends signed-out visitors to the login page', async () => {
		const res = await fetch(`${s.t.url}/me/tasks`, { redirect: 'manual' });
		expect(res.status).toBe(303);
		expect(res.headers.get('location')).toBe('/login?redirectTo=%2Fme%2Ftasks');
	});
});
