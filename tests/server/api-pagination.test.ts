/**
 * Every list of the API pages: boards, members, columns and tokens walk from the first page to
 * a null `nextCursor`, every item exactly once, also while items are added during the walk; a
 * workspace of 10,000 boards and a board of 500 members page; a cursor the listing did not issue
 * is a 422.
 */
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from './support/app.ts';
import {
	addMember,
	client,
	createBoard,
	signUp,
	type Client,
	type TestUser
} from './support/http.ts';
import { expectProblem } from './support/problem.ts';

let t: TestApp;
let api: Client;
let ana: TestUser;
let sql: postgres.Sql;
beforeAll(async () => {
	t = await startTestApp({ API_RATE_LIMIT: '1000000' });
	api = client(t.url);
	await signUp(api, 'Admin');
	ana = await signUp(api, 'Ana');
	sql = postgres(t.db.url, { max: 2, onnotice: () => {} });
});
afterAll(async () => {
	await sql?.end();
	await t?.stop();
});

/**
 * Walks a list to its end, calling `between` after each page (to add items mid-walk); returns
 * the ids in the order served.
 */
async function walk(
	path: string,
	token: string,
	idOf: (item: any) => string,
	between: (page: number) => Promise<void> = async () => {}
): Promise<string[]> {
	const ids: string[] = [];
	let cursor: string | null = null;
	for (let page = 0; page < 1000; page++) {
		const sep = path.includes('?') ? '&' : '?';
		const url: string = cursor ? `${path}${sep}cursor=${encodeURIComponent(cursor)}` : path;
		const res = await api.get(url, { token });
		expect(res.status, JSON.stringify(res.body)).toBe(200);
		ids.push(...res.body.items.map(idOf));
		cursor = res.body.nextCursor;
		if (cursor === null) return ids;
		await between(page);
	}
	throw new Error('the list never ended');
}

const byId = (item: { id: string }) => item.id;

/** Boards of `userId` made straight in the database (the API would take minutes for 10,000). */
async function insertBoards(userId: string, count: number, title: string): Promise<string[]> {
	const rows = await sql<{ id: string }[]>`
		with made as (
			insert into boards (title, owner_id)
			select ${title} || ' ' || n, ${userId} from generate_series(1, ${count}) n
			returning id
		)
		insert into board_members (board_id, user_id, role)
		select id, ${userId}, 'owner' from made returning board_id as id`;
	return rows.map((r) => r.id);
}

describe('GET /api/v1/boards', () => {
	it('pages 10,000 boards, each once', async () => {
		const user = await signUp(api, 'Many boards');
		const made = await insertBoards(user.id, 10_000, 'Bulk');
		const first = await api.get('/api/v1/boards', { token: user.token });
		expect(first.body.items).toHaveLength(50);
		expect(first.body.nextCursor).toEqual(expect.any(String));
		const served = await walk('/api/v1/boards?limit=200', user.token, byId);
		expect(served).toHaveLength(10_000);
		expect(new Set(served)).toEqual(new Set(made));
	});

	it('serves every board once while boards are added during the walk', async () => {
		const user = await signUp(api, 'Growing');
		const before = await insertBoards(user.id, 130, 'Old');
		const added: string[] = [];
		const served = await walk('/api/v1/boards?limit=20', user.token, byId, async () => {
			added.push((await createBoard(api, user, 'New during walk')).id);
		});
		expect(new Set(served).size).toBe(served.length);
		for (const id of before) expect(served).toContain(id);
		// Newest first: boards added mid-walk land on pages already served.
		for (const id of added) expect(served).not.toContain(id);
	});
});

describe('GET /api/v1/boards/:id/members', () => {
	it('pages 500 members, owners first then in the order they joined, each once, also while members join', async () => {
		const board = await createBoard(api, ana, 'Crowded');
		const users = await sql<{ id: string }[]>`
			insert into users (email, password_hash, display_name)
			select 'member' || n || '.' || ${board.id} || '@example.com', 'x', 'Member ' || n
			from generate_series(1, 500) n returning id`;
		for (const [i, { id }] of users.entries()) {
			// Distinct join times, as real invitations have.
			await sql`insert into board_members (board_id, user_id, role, created_at)
				values (${board.id}, ${id}, 'viewer', now() + ${i} * interval '1 millisecond')`;
		}
		const late = await sql<{ id: string }[]>`
			insert into users (email, password_hash, display_name)
			values (${`late.${board.id}@example.com`}, 'x', 'Late') returning id`;
		const served = await walk(
			`/api/v1/boards/${board.id}/members?limit=64`,
			ana.token,
			(m) => m.userId,
			async (page) => {
				if (page === 2) {
					await sql`insert into board_members (board_id, user_id, role, created_at)
						values (${board.id}, ${late[0]!.id}, 'viewer', now() + interval '1 day')`;
				}
			}
		);
		expect(served).toEqual([ana.id, ...users.map((u) => u.id), late[0]!.id]);
	});
});

describe('GET /api/v1/boards/:id/columns', () => {
	it('pages the columns in board order, each once, also while columns are added', async () => {
		const board = await createBoard(api, ana, 'Wide');
		for (let i = 0; i < 27; i++) {
			const res = await api.post(
				`/api/v1/boards/${board.id}/columns`,
				{ title: `Column ${i}` },
				{ token: ana.token }
			);
			expect(res.status).toBe(201);
		}
		const all = await walk(`/api/v1/boards/${board.id}/columns?limit=200`, ana.token, byId);
		expect(all).toHaveLength(30);
		const added: string[] = [];
		const served = await walk(
			`/api/v1/boards/${board.id}/columns?limit=7`,
			ana.token,
			byId,
			async () => {
				const res = await api.post(
					`/api/v1/boards/${board.id}/columns`,
					{ title: 'Added last' },
					{ token: ana.token }
				);
				added.push(res.body.id);
			}
		);
		// Added columns go last, so the walk reaches them too; nothing repeats or goes missing.
		expect(served).toEqual([...all, ...added]);
	});
});

describe('GET /api/v1/tokens', () => {
	it('pages the tokens newest first, each once', async () => {
		const made: string[] = [];
		for (let i = 0; i < 23; i++) {
			const res = await api.post(
				'/api/v1/tokens',
				{ name: `token ${i}`, scope: 'read' },
				{ token: ana.token }
			);
			expect(res.status).toBe(201);
			made.push(res.body.id);
		}
		const served = await walk('/api/v1/tokens?limit=5', ana.token, byId);
		expect(served).toEqual([...made].reverse());
	});
});

describe('refusals', () => {
	it.each([
		['/api/v1/boards'],
		['/api/v1/tokens'],
		['/api/v1/boards/:board/members'],
		['/api/v1/boards/:board/columns']
	])('%s refuses a foreign cursor and a bad limit with 422', async (template) => {
		const board = await createBoard(api, ana, 'Refusals');
		const path = template.replace(':board', board.id);
		for (const query of ['cursor=bm90LWEtY3Vyc29y', 'cursor=%00', 'limit=0', 'limit=201']) {
			const res = await api.get(`${path}?${query}`, { token: ana.token });
			expectProblem(res, 422);
		}
	});

	it.each([
		['/api/v1/boards/:board/tasks'],
		['/api/v1/boards/:board/columns'],
		['/api/v1/boards/:board/members']
	])('%s refuses a cursor of another board’s list with 422', async (template) => {
		const one = await createBoard(api, ana, 'One');
		const other = await createBoard(api, ana, 'Other');
		for (const board of [one, other]) {
			for (const title of ['a', 'b']) {
				await api.post(`/api/v1/boards/${board.id}/tasks`, { title }, { token: ana.token });
			}
			await addMember(api, ana, board.id, await signUp(api), 'viewer');
		}
		const first = await api.get(`${template.replace(':board', one.id)}?limit=1`, {
			token: ana.token
		});
		expect(first.status).toBe(200);
		const cursor = first.body.nextCursor as string;
		expect(cursor).toBeTruthy();
		const own = await api.get(
			`${template.replace(':board', one.id)}?limit=1&cursor=${encodeURIComponent(cursor)}`,
			{ token: ana.token }
		);
		expect(own.status).toBe(200);
		const foreign = await api.get(
			`${template.replace(':board', other.id)}?limit=1&cursor=${encodeURIComponent(cursor)}`,
			{ token: ana.token }
		);
		expectProblem(foreign, 422);
		expect(foreign.body.errors).toHaveProperty('cursor');
	});
});
