/**
 * Board export: TaskFlow's JSON format (checked against its documented schema by the response
 * checker, and field by field here) and CSV (parsed back; RFC 4180 quoting, formula cells
 * quoted), streamed in batches, as a named download; viewers may export, outsiders see 404.
 */
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
let vic: TestUser;
let out: TestUser;
beforeAll(async () => {
	t = await startTestApp({ API_RATE_LIMIT: '1000000' });
	api = client(t.url);
	await signUp(api, 'Admin');
	ana = await signUp(api, 'Ana');
	vic = await signUp(api, 'Vic');
	out = await signUp(api, 'Out');
});
afterAll(async () => {
	await t?.stop();
});

/** RFC 4180 records: quoted fields may hold commas, doubled quotes and line breaks. */
function parseCsv(text: string): string[][] {
	const rows: string[][] = [];
	let row: string[] = [];
	let field = '';
	let quoted = false;
	for (let i = 0; i < text.length; i++) {
		const ch = text[i]!;
		if (quoted) {
			if (ch === '"' && text[i + 1] === '"') {
				field += '"';
				i++;
			} else if (ch === '"') quoted = false;
			else field += ch;
		} else if (ch === '"') quoted = true;
		else if (ch === ',') {
			row.push(field);
			field = '';
		} else if (ch === '\r' && text[i + 1] === '\n') {
			row.push(field);
			rows.push(row);
			row = [];
			field = '';
			i++;
		} else field += ch;
	}
	expect(field).toBe('');
	expect(row).toEqual([]);
	return rows;
}

async function seededBoard(title: string) {
	const board = await createBoard(api, ana, title);
	await addMember(api, ana, board.id, vic, 'viewer');
	const columns = (await api.get(`/api/v1/boards/${board.id}/columns`, { token: ana.token })).body
		.items as { id: string; title: string }[];
	const res = await api.post(
		`/api/v1/boards/${board.id}/tasks/batch`,
		{
			items: [
				{
					title: '=HYPERLINK("http://evil","click")',
					description: 'Line one, with a comma\nand "quotes"',
					priority: 'urgent',
					labels: ['bug', 'ünïcode ✓'],
					dueDate: '2026-03-01',
					assigneeId: vic.id
				},
				{ title: '+1 plain', columnId: columns[1]!.id },
				{ title: 'Second in todo' },
				{ title: '@mention', description: '-minus first' }
			]
		},
		{ token: ana.token }
	);
	expect(res.status, JSON.stringify(res.body)).toBe(201);
	const deleted = await api.post(
		`/api/v1/boards/${board.id}/tasks`,
		{ title: 'Deleted one' },
		{ token: ana.token }
	);
	await api.delete(`/api/v1/tasks/${deleted.body.id}`, { token: ana.token });
	return { board, columns, tasks: res.body.items as { id: string }[] };
}

describe('GET /api/v1/boards/:id/export', () => {
	it('exports JSON in the documented format: columns in order, live cards with every field', async () => {
		const { board, columns, tasks } = await seededBoard('Export: Launch plan');
		const res = await api.get(`/api/v1/boards/${board.id}/export`, { token: vic.token });
		expect(res.status).toBe(200);
		expect(res.headers.get('content-type')).toMatch(/^application\/vnd\.taskflow\.board\+json/);
		expect(res.headers.get('content-disposition')).toMatch(
			/^attachment; filename="export-launch-plan-\d{4}-\d{2}-\d{2}\.json"; filename\*=UTF-8''/
		);
		const body = res.body;
		expect(body).toMatchObject({
			format: 'taskflow.board',
			version: 1,
			board: { id: board.id, title: 'Export: Launch plan' }
		});
		expect(body.columns.map((c: { id: string }) => c.id)).toEqual(columns.map((c) => c.id));
		expect(body.columns.map((c: { position: number }) => c.position)).toEqual([0, 1, 2]);
		expect(body.cards.map((c: { title: string }) => c.title)).toEqual([
			'=HYPERLINK("http://evil","click")',
			'Second in todo',
			'@mention',
			'+1 plain'
		]);
		expect(body.cards.map((c: { position: number }) => c.position)).toEqual([0, 1, 2, 0]);
		expect(body.cards[0]).toEqual({
			id: tasks[0]!.id,
			columnId: columns[0]!.id,
			position: 0,
			title: '=HYPERLINK("http://evil","click")',
			description: 'Line one, with a comma\nand "quotes"',
			priority: 'urgent',
			labels: ['bug', 'ünïcode ✓'],
			dueDate: '2026-03-01',
			assigneeEmail: vic.email,
			createdAt: expect.any(String),
			completedAt: null,
			checklist: [],
			comments: []
		});
		expect(body.labelColors).toEqual({});
	});

	it('exports CSV, one row per live card, quoted per RFC 4180 and safe from formulas', async () => {
		const { board, columns } = await seededBoard('Export CSV');
		const res = await fetch(`${t.url}/api/v1/boards/${board.id}/export?format=csv`, {
			headers: { authorization: `Bearer ${ana.token}` }
		});
		expect(res.status).toBe(200);
		expect(res.headers.get('content-type')).toBe('text/csv; charset=utf-8');
		expect(res.headers.get('content-disposition')).toMatch(/filename="export-csv-.*\.csv"/);
		const rows = parseCsv(await res.text());
		expect(rows[0]).toEqual([
			'column',
			'position',
			'title',
			'description',
			'priority',
			'labels',
			'due_date',
			'assignee_email',
			'created_at',
			'completed_at',
			'id'
		]);
		expect(rows).toHaveLength(5);
		expect(rows[1]!.slice(0, 8)).toEqual([
			columns[0]!.title,
			'0',
			`'=HYPERLINK("http://evil","click")`,
			'Line one, with a comma\nand "quotes"',
			'urgent',
			'bug; ünïcode ✓',
			'2026-03-01',
			vic.email
		]);
		expect(rows[3]!.slice(2, 4)).toEqual(["'@mention", "'-minus first"]);
		expect(rows[4]!.slice(0, 3)).toEqual([columns[1]!.title, '0', "'+1 plain"]);
	});

	it('streams boards larger than one batch, every card once in board order', async () => {
		const board = await createBoard(api, ana, 'Export big');
		const items = Array.from({ length: 1000 }, (_, i) => ({ title: `Card ${i}` }));
		for (const part of [items, items.slice(0, 300)]) {
			const res = await api.post(
				`/api/v1/boards/${board.id}/tasks/batch`,
				{ items: part },
				{ token: ana.token }
			);
			expect(res.status).toBe(201);
		}
		const res = await api.get(`/api/v1/boards/${board.id}/export`, { token: ana.token });
		expect(res.body.cards).toHaveLength(1300);
		expect(res.body.cards.map((c: { position: number }) => c.position)).toEqual(
			Array.from({ length: 1300 }, (_, i) => i)
		);
		expect(new Set(res.body.cards.map((c: { id: string }) => c.id)).size).toBe(1300);
	});

	it('refuses outsiders with 404 and an unknown format with 422', async () => {
		const board = await createBoard(api, ana, 'Export private');
		expectProblem(await api.get(`/api/v1/boards/${board.id}/export`, { token: out.token }), 404);
		expectProblem(
			await api.get(`/api/v1/boards/${board.id}/export?format=xml`, { token: ana.token }),
			422
		);
		expectProblem(await api.get(`/api/v1/boards/${board.id}/export`), 401);
	});
});
