/**
 * Board import (`POST /api/v1/imports`, `GET /api/v1/imports/:id`): a Trello export becomes a
 * board with its lists, cards in order, labels and colours, checklists, archived cards deleted,
 * comments quoting their author, and people matched by e-mail or user name (the rest reported);
 * a CSV file with a mapping; a TaskFlow export round-trips; bad input is a 4xx; an import is
 * visible only to the one who started it; an import left running by a dead process fails at
 * the next start. Who may call: authz-matrix-imports.
 */
import postgres from 'postgres';
import * as Y from 'yjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readBoard, readLabelColors } from '../../src/lib/domain/board/index.ts';
import trello from '../fixtures/trello/product-launch.json' with { type: 'json' };
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
let sql: postgres.Sql;
let ana: TestUser;
let ed: TestUser;
let out: TestUser;
/** Matched to Trello's "analopez" by the local part of the e-mail. */
let trelloAna: TestUser & { id: string };

beforeAll(async () => {
	t = await startTestApp({ API_RATE_LIMIT: '1000000', BOARD_MAX_CARDS: '100' });
	api = client(t.url);
	sql = postgres(t.db.url, { max: 1, onnotice: () => {} });
	await signUp(api, 'Admin');
	ana = await signUp(api, 'Ana');
	ed = await signUp(api, 'Ed');
	out = await signUp(api, 'Out');
	const email = `analopez@${Date.now()}.example.com`;
	const password = 'a long enough passphrase';
	expect((await api.post('/api/v1/auth/signup', { name: 'Ana L', email, password })).status).toBe(
		202
	);
	const login = await api.post('/api/v1/auth/login', { email, password });
	trelloAna = {
		id: login.body.user.id,
		email,
		name: 'Ana L',
		role: 'user',
		token: login.body.sessionToken
	};
});
afterAll(async () => {
	await sql?.end();
	await t?.stop();
});

/** Queues an import and waits (polling, as the page does) until it is done. */
async function importBoard(body: unknown, as = ana) {
	const res = await api.post('/api/v1/imports', body, { token: as.token });
	expect(res.status, JSON.stringify(res.body)).toBe(202);
	expect(res.headers.get('location')).toBe(`/api/v1/imports/${res.body.id}`);
	// Polled as the page does (expect.poll cannot run in a beforeAll, where this is also used).
	let last: any;
	for (const deadline = Date.now() + 20_000; Date.now() < deadline;) {
		last = (await api.get(`/api/v1/imports/${res.body.id}`, { token: as.token })).body;
		if (last.state === 'done' || last.state === 'failed') break;
		await new Promise((resolve) => setTimeout(resolve, 50));
	}
	expect(last.state, JSON.stringify(last)).toBe('done');
	expect(last.done).toBe(last.total);
	return last as {
		id: string;
		boardId: string;
		report: {
			imported: Record<string, number>;
			skipped: { what: string; reason: string }[];
			unmatchedPeople: string[];
		};
	};
}

async function documentOf(boardId: string): Promise<Y.Doc> {
	const [row] = await sql<{ snapshot: Buffer }[]>`
		select snapshot from board_documents where board_id = ${boardId}`;
	const doc = new Y.Doc();
	Y.applyUpdate(doc, new Uint8Array(row!.snapshot));
	return doc;
}

describe('importing a Trello export', () => {
	let result: Awaited<ReturnType<typeof importBoard>>;
	beforeAll(async () => {
		result = await importBoard({ source: 'trello', data: trello });
	});

	it('makes a board of the open lists with the cards in order, labels and colours, checklists', async () => {
		const doc = await documentOf(result.boardId);
		const view = readBoard(doc);
		expect(view.title).toBe('Product launch — Q3 🚀');
		expect(view.columns.map((c) => [c.title, c.tasks.map((task) => task.title)])).toEqual([
			['To do', ['Budget sign-off', 'Landing page copy']],
			['Doing', ['Write the press release']],
			['Done', ['Kick-off meeting']]
		]);
		const press = view.columns[1]!.tasks[0]!;
		expect(press).toMatchObject({
			description: 'Draft in **Markdown**; légal must approve.\n\nSee the brief.',
			dueDate: '2026-09-01',
			labels: ['Ready', 'Design ✏️']
		});
		expect(press.checklist.map((item) => [item.text, item.done]).slice(0, 2)).toEqual([
			['Draft: Outline', true],
			['Draft: Collect quotes', false]
		]);
		expect(readLabelColors(doc)).toEqual({
			Ready: 'green',
			Blocked: 'red',
			'Design ✏️': 'purple',
			sky: 'teal'
		});
		const deleted = await sql`
			select title from tasks where board_id = ${result.boardId} and deleted_at is not null`;
		expect(deleted.map((row) => row.title)).toEqual(['Billboard in Times Square']);
		const [board] = await sql`select owner_id from boards where id = ${result.boardId}`;
		expect(board!.owner_id).toBe(ana.id);
	});

	it('assigns people matched by user name, makes them editors, and reports the others', async () => {
		const [task] = await sql`
			select assignee_id from tasks where board_id = ${result.boardId} and title = 'Write the press release'`;
		expect(task!.assignee_id).toBe(trelloAna.id);
		const [member] = await sql`
			select role from board_members where board_id = ${result.boardId} and user_id = ${trelloAna.id}`;
		expect(member!.role).toBe('editor');
		const [unassigned] = await sql`
			select assignee_id from tasks where board_id = ${result.boardId} and title = 'Budget sign-off'`;
		expect(unassigned!.assignee_id).toBeNull();
		expect(result.report.unmatchedPeople.sort()).toEqual(['Ben Okafor', 'Zoë Ünal']);
	});

	it('adds comments by the importer quoting the original author and date, and reports counts', async () => {
		const comments = await sql`
			select c.body, c.author_id from comments c join tasks t on t.id = c.task_id
			where c.board_id = ${result.boardId} and t.title = 'Write the press release'
			order by c.created_at, c.id`;
		expect(comments.map((c) => c.author_id)).toEqual([ana.id, ana.id]);
		expect(comments.map((c) => c.body)).toContain(
			'> **Ana López** wrote on 2026-08-18:\n\nFirst draft is in the drive.'
		);
		const notified =
			await sql`select count(*)::int as n from notifications where kind = 'mentioned'`;
		expect(notified[0]!.n).toBe(0);
		expect(result.report.imported).toMatchObject({ columns: 3, cards: 5, comments: 2 });
		expect(result.report.imported.checklistItems).toBeGreaterThan(0);
		expect(result.report.skipped).toContainEqual({
			what: 'List “Ideas (old)”',
			reason: 'archived in Trello'
		});
		await expect
			.poll(async () => {
				const res = await api.get(`/api/v1/boards/${result.boardId}/events`, { token: ana.token });
				return res.body.items?.find((e: { type: string }) => e.type === 'board.created')?.payload;
			})
			.toMatchObject({ importedFrom: 'trello' });
	});
});

describe('importing a CSV file', () => {
	it('uses the mapping for columns, labels, due days, priority and assignee e-mail (any case)', async () => {
		const csv = [
			'Name,Stage,Tags,Due,Prio,Who,Notes',
			`Ship it,Doing,"a; b",2026-05-01,high,${ed.email.toUpperCase()},"multi\nline"`,
			'Plan it,To do,,,low,nobody@nowhere.example,',
			',To do,,,,,'
		].join('\n');
		const result = await importBoard({
			source: 'csv',
			title: 'From a sheet',
			csv,
			mapping: { title: 0, column: 1, labels: 2, due: 3, priority: 4, assignee: 5, description: 6 }
		});
		const view = readBoard(await documentOf(result.boardId));
		expect(view.title).toBe('From a sheet');
		expect(view.columns.map((c) => c.title)).toEqual(['Doing', 'To do']);
		expect(view.columns[0]!.tasks[0]).toMatchObject({
			title: 'Ship it',
			labels: ['a', 'b'],
			dueDate: '2026-05-01',
			priority: 'high',
			assigneeId: ed.id,
			description: 'multi\nline'
		});
		expect(result.report.unmatchedPeople).toEqual(['nobody@nowhere.example']);
		expect(result.report.skipped).toContainEqual({ what: 'Row 4', reason: 'it has no title' });
	});
});

describe('a TaskFlow export round-trips', () => {
	it('reads the same after export → import → export, apart from ids and times', async () => {
		const board = await createBoard(api, ana, 'Round trip ✓');
		await addMember(api, ana, board.id, ed, 'editor');
		const columns = (await api.get(`/api/v1/boards/${board.id}/columns`, { token: ana.token })).body
			.items;
		await api.patch(
			`/api/v1/boards/${board.id}/columns/${columns[1].id}`,
			{ wipLimit: 3 },
			{ token: ana.token }
		);
		const tasks = [
			{
				title: 'One',
				description: 'a\n"b", c',
				labels: ['x', 'y'],
				priority: 'urgent',
				dueDate: '2026-01-02',
				assigneeId: ed.id
			},
			{ title: 'Two', columnId: columns[1].id },
			{ title: 'Three', columnId: columns[2].id, labels: ['z'] },
			{ title: 'Four' }
		];
		for (const task of tasks) {
			const res = await api.post(`/api/v1/boards/${board.id}/tasks`, task, { token: ana.token });
			expect(res.status, JSON.stringify(res.body)).toBe(201);
		}
		const exported = await api.get(`/api/v1/boards/${board.id}/export?format=json`, {
			token: ana.token
		});
		expect(exported.status).toBe(200);
		const data = JSON.parse(
			typeof exported.body === 'string' ? exported.body : JSON.stringify(exported.body)
		);
		const result = await importBoard({ source: 'taskflow', data });
		const again = await api.get(`/api/v1/boards/${result.boardId}/export?format=json`, {
			token: ana.token
		});
		const second = JSON.parse(
			typeof again.body === 'string' ? again.body : JSON.stringify(again.body)
		);
		const strip = (doc: any) => ({
			format: doc.format,
			version: doc.version,
			title: doc.board.title,
			columns: doc.columns.map(({ id: _id, ...column }: any) => column),
			cards: doc.cards.map(
				({ id: _id, createdAt: _c, completedAt: _d, columnId, ...card }: any) => ({
					...card,
					column: doc.columns.findIndex((c: any) => c.id === columnId)
				})
			)
		});
		expect(strip(second)).toEqual(strip(data));
		expect(data.cards).toHaveLength(4);
	});
});

describe('refusals', () => {
	it('answers 422 with a readable sentence for a file of the wrong shape', async () => {
		const res = await api.post(
			'/api/v1/imports',
			{ source: 'trello', data: { name: 'x' } },
			{ token: ana.token }
		);
		expectProblem(res, 422);
		expect(res.body.detail ?? res.body.title).toMatch(/not a Trello board export/);
		const wrong = await api.post(
			'/api/v1/imports',
			{ source: 'taskflow', data: trello },
			{ token: ana.token }
		);
		expectProblem(wrong, 422);
		expectProblem(
			await api.post('/api/v1/imports', { source: 'jira', data: {} }, { token: ana.token }),
			422
		);
	});

	it('answers 422 for a CSV mapping without a title column', async () => {
		const res = await api.post(
			'/api/v1/imports',
			{ source: 'csv', title: 'x', csv: 'a,b\n1,2\n', mapping: { description: 1 } },
			{ token: ana.token }
		);
		expectProblem(res, 422);
		expect(JSON.stringify(res.body)).toMatch(/card titles/);
	});

	it('refuses a board over BOARD_MAX_CARDS and a body over the import limit', async () => {
		const csv = ['title', ...Array.from({ length: 101 }, (_, i) => `Card ${i}`)].join('\n');
		const res = await api.post(
			'/api/v1/imports',
			{ source: 'csv', title: 'Too big', csv, mapping: { title: 0 } },
			{ token: ana.token }
		);
		expectProblem(res, 422);
		expect(JSON.stringify(res.body)).toMatch(/at most 100 cards/);
		const huge = `{"source":"csv","title":"x","mapping":{"title":0},"csv":"${'a'.repeat(20 * 1024 * 1024)}"}`;
		expectProblem(
			await api.request('POST', '/api/v1/imports', undefined, { token: ana.token, raw: huge }),
			413
		);
	});

	it('keeps the default body limit on every other route (form actions too)', async () => {
		const form = await fetch(new URL('/signup', t.url), {
			method: 'POST',
			headers: { 'content-type': 'application/x-www-form-urlencoded', origin: t.url },
			body: `name=${'a'.repeat(600 * 1024)}&email=x%40example.com&password=x`
		});
		expect(form.status).toBe(413);
		expect((await form.json()).detail).toMatch(/larger than 524288 bytes/);
	});

	it("answers 404 for another user's import and for unknown ids", async () => {
		const res = await api.post(
			'/api/v1/imports',
			{ source: 'csv', title: 'Mine', csv: 'title\nA\n', mapping: { title: 0 } },
			{ token: ana.token }
		);
		expect(res.status).toBe(202);
		expectProblem(await api.get(`/api/v1/imports/${res.body.id}`, { token: out.token }), 404);
		expectProblem(await api.get('/api/v1/imports/not-an-id', { token: ana.token }), 404);
	});
});

describe('an import left running by a stopped process', () => {
	it('is marked failed when a server starts', async () => {
		const [row] = await sql`
			insert into imports (user_id, source, state, total, updated_at)
			values (${ana.id}, 'trello', 'running', 10, now() - interval '10 minutes') returning id`;
		const second = await startTestApp({ API_RATE_LIMIT: '1000000' }, t.db);
		try {
			const [after] = await sql`select state, error from imports where id = ${row!.id}`;
			expect(after!.state).toBe('failed');
			expect(after!.error).toMatch(/stopped before it finished/);
		} finally {
			await second.stop();
		}
	});
});
