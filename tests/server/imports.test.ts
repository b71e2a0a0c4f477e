/**
 * Board import (`POST /api/v1/imports`, `GET /api/v1/imports/:id`): a Trello export becomes a
 * board with its lists, cards in order, labels and colours, checklists, archived cards deleted,
 * comments quoting their author, and people matched by e-mail or user name (the rest reported);
 * comments of archived cards kept with them; a CSV file with a mapping; the same as file uploads
 * (multipart); a TaskFlow export round-trips, checklists, label colours and comments
 * included; a 2,000-card import shows progress in steps and
 * its board appears whole or not at all; bad input is a 4xx; chunked bodies keep the default
 * limit on other routes; an import is visible only to the one who started it; an import left
 * running by a dead process fails at the next start. Who may call: authz-matrix-imports.
 */
import postgres from 'postgres';
import * as Y from 'yjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { maxCommentLength } from '../../src/lib/api/comments.ts';
import {
	addChecklistItem,
	readBoard,
	readLabelColors,
	setLabelColor,
	toggleChecklistItem
} from '../../src/lib/domain/board/index.ts';
import trello from '../fixtures/trello/product-launch.json' with { type: 'json' };
import { startTestApp, type TestApp } from './support/app.ts';
import { connect } from './support/collab.ts';
import { acknowledged } from './support/events.ts';
import {
	addMember,
	client,
	createBoard,
	signUp,
	type Client,
	type TestUser
} from './support/http.ts';
import { responseChecker } from './support/openapi.ts';
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
	t = await startTestApp({ API_RATE_LIMIT: '1000000', BOARD_MAX_CARDS: '2000' });
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

/**
 * A request with a body of any kind (FormData, a stream sent chunked), answered as the test
 * client answers; API answers are checked against the OpenAPI document.
 */
async function send(
	path: string,
	body: BodyInit,
	options: { token?: string; headers?: Record<string, string> } = {}
) {
	const url = new URL(path, t.url);
	const response = await fetch(url, {
		method: 'POST',
		headers: {
			...(options.token ? { authorization: `Bearer ${options.token}` } : {}),
			...options.headers
		},
		body,
		...(body instanceof ReadableStream ? { duplex: 'half' } : {})
	} as RequestInit);
	const text = await response.text();
	const json = (response.headers.get('content-type') ?? '').includes('json');
	const parsed = json && text ? JSON.parse(text) : text;
	if (path.startsWith('/api/')) {
		responseChecker().check({
			method: 'POST',
			url,
			status: response.status,
			headers: response.headers,
			body: parsed,
			text
		});
	}
	return { status: response.status, headers: response.headers, body: parsed as any };
}

/** `size` bytes of `text` repeated, sent chunked (no content-length) in 64 KB pieces. */
function chunked(prefix: string, filler: string, suffix: string, size: number) {
	const encoder = new TextEncoder();
	let left = size - prefix.length - suffix.length;
	let started = false;
	return new ReadableStream<Uint8Array>({
		pull(controller) {
			if (!started) {
				started = true;
				return controller.enqueue(encoder.encode(prefix));
			}
			if (left <= 0) {
				controller.enqueue(encoder.encode(suffix));
				return controller.close();
			}
			const n = Math.min(left, 64 * 1024);
			left -= n;
			controller.enqueue(encoder.encode(filler.repeat(Math.ceil(n / filler.length)).slice(0, n)));
		}
	});
}

/** A file upload of `file` with the other fields as parts. */
function form(
	fields: Record<string, string>,
	file?: { text: string | Uint8Array<ArrayBuffer>; name: string; type: string }
) {
	const data = new FormData();
	for (const [name, value] of Object.entries(fields)) data.set(name, value);
	if (file) data.set('file', new Blob([file.text], { type: file.type }), file.name);
	return data;
}

/** Queues an import and waits (polling, as the page does) until it is done. */
async function importBoard(body: unknown, as = ana) {
	const res =
		body instanceof FormData
			? await send('/api/v1/imports', body, { token: as.token })
			: await api.post('/api/v1/imports', body, { token: as.token });
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
			addedMembers: string[];
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
		// The importer is told whom the board was shared with.
		expect(result.report.addedMembers).toEqual([trelloAna.name]);
		// Added as an owner's invitation adds someone: with its audit event.
		await expect
			.poll(async () =>
				(
					await sql`
						select entity_id from event_logs
						where board_id = ${result.boardId} and type = 'member.added'`
				).map((row) => row.entity_id)
			)
			.toEqual([trelloAna.id]);
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
		expect(result.report.imported).toMatchObject({ columns: 3, cards: 5, comments: 3 });
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

describe('comments of an archived Trello card', () => {
	it('are imported onto the deleted card, so restoring it shows them', async () => {
		const result = await importBoard({ source: 'trello', data: trello });
		expect(result.report.imported.comments).toBe(3);
		expect(result.report.skipped.map((s) => s.what)).not.toContainEqual(
			expect.stringMatching(/comment/i)
		);
		const [task] = await sql`
			select id, comment_count from tasks
			where board_id = ${result.boardId} and title = 'Billboard in Times Square' and deleted_at is not null`;
		expect(task!.comment_count).toBe(1);
		const restored = await api.post(`/api/v1/tasks/${task!.id}/restore`, undefined, {
			token: ana.token
		});
		expect(restored.status, JSON.stringify(restored.body)).toBe(200);
		const comments = await api.get(`/api/v1/tasks/${task!.id}/comments`, { token: ana.token });
		expect(comments.status).toBe(200);
		expect(comments.body.total).toBe(1);
		expect(comments.body.items.map((c: { body: string }) => c.body)).toEqual([
			'> **Ana López** wrote on 2026-08-21:\n\nArchiving this: the quote came back at 3× the budget. 💸'
		]);
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
		expect(result.report.addedMembers).toEqual([ed.name]);
		expect(result.report.skipped).toContainEqual({ what: 'Row 4', reason: 'it has no title' });
	});

	it('lists the first 100 things skipped and counts them all', async () => {
		const rows = Array.from({ length: 150 }, (_, i) => `,note ${i}`);
		const csv = ['Name,Note', 'Kept,', ...rows, 'Last,'].join('\n');
		const result = await importBoard({ source: 'csv', title: 'Gaps', csv, mapping: { title: 0 } });
		expect(result.report.imported.cards).toBe(2);
		expect(result.report.skipped).toHaveLength(100);
		expect(result.report.skipped[0]).toEqual({ what: 'Row 3', reason: 'it has no title' });
		expect((result.report as unknown as { skippedCount: number }).skippedCount).toBe(150);
	});
});

describe('file uploads (multipart/form-data)', () => {
	it('imports a Trello export sent as the file part', async () => {
		const result = await importBoard(
			form(
				{ source: 'trello', title: 'Uploaded launch' },
				{ text: JSON.stringify(trello), name: 'board.json', type: 'application/json' }
			)
		);
		const view = readBoard(await documentOf(result.boardId));
		expect(view.title).toBe('Uploaded launch');
		expect(view.columns.map((c) => c.tasks.length)).toEqual([2, 1, 1]);
		expect(result.report.imported).toMatchObject({ columns: 3, cards: 5, comments: 3 });
	});

	it('imports a CSV file with its mapping as a JSON part', async () => {
		const csv = 'Name,Stage\nShip it,Doing\nPlan it,To do\n';
		const result = await importBoard(
			form(
				{
					source: 'csv',
					title: 'Uploaded sheet',
					mapping: JSON.stringify({ title: 0, column: 1 })
				},
				{ text: csv, name: 'plan.csv', type: 'text/csv' }
			)
		);
		const view = readBoard(await documentOf(result.boardId));
		expect(view.columns.map((c) => [c.title, c.tasks.map((task) => task.title)])).toEqual([
			['Doing', ['Ship it']],
			['To do', ['Plan it']]
		]);
	});

	it('reads a semicolon-separated Windows-1252 file as Excel saves one', async () => {
		// "Titel;Spalte\nCafé crème;Erledigt\n" in Windows-1252: é is 0xE9, è 0xE8.
		const bytes = Uint8Array.from([
			...new TextEncoder().encode('Titel;Spalte\nCaf'),
			0xe9,
			...new TextEncoder().encode(' cr'),
			0xe8,
			...new TextEncoder().encode('me;Erledigt\n')
		]);
		const result = await importBoard(
			form(
				{ source: 'csv', title: 'Excel', mapping: JSON.stringify({ title: 0, column: 1 }) },
				{ text: bytes, name: 'excel.csv', type: 'text/csv' }
			)
		);
		const view = readBoard(await documentOf(result.boardId));
		expect(view.columns.map((c) => [c.title, c.category, c.tasks.map((t) => t.title)])).toEqual([
			['Erledigt', 'done', ['Café crème']]
		]);
	});

	it('refuses a missing file, an unknown source, a bad file and an oversize upload with problems', async () => {
		const missing = await send('/api/v1/imports', form({ source: 'trello' }), { token: ana.token });
		expectProblem(missing, 422);
		expect(missing.body.errors.file).toMatch(/part named “file”/);
		const unknown = await send(
			'/api/v1/imports',
			form({ source: 'jira' }, { text: '{}', name: 'x.json', type: 'application/json' }),
			{ token: ana.token }
		);
		expectProblem(unknown, 422);
		expect(unknown.body.errors.source).toMatch(/trello, taskflow or csv/);
		const notJson = await send(
			'/api/v1/imports',
			form({ source: 'trello' }, { text: 'not json', name: 'x.json', type: 'application/json' }),
			{ token: ana.token }
		);
		expectProblem(notJson, 422);
		expect(notJson.body.errors.file).toMatch(/not valid JSON/);
		const notTrello = await send(
			'/api/v1/imports',
			form(
				{ source: 'trello' },
				{ text: '{"name":"x"}', name: 'x.json', type: 'application/json' }
			),
			{ token: ana.token }
		);
		expectProblem(notTrello, 422);
		expect(notTrello.body.detail).toMatch(/not a Trello board export/);
		const noMapping = await send(
			'/api/v1/imports',
			form(
				{ source: 'csv', title: 'x', mapping: '{oops' },
				{ text: 'a\n1\n', name: 'x.csv', type: 'text/csv' }
			),
			{ token: ana.token }
		);
		expectProblem(noMapping, 422);
		expect(noMapping.body.errors.mapping).toMatch(/JSON object/);
		const huge = await send(
			'/api/v1/imports',
			form(
				{ source: 'csv', title: 'x', mapping: '{"title":0}' },
				{ text: 'a'.repeat(20 * 1024 * 1024 + 1), name: 'x.csv', type: 'text/csv' }
			),
			{ token: ana.token }
		);
		expectProblem(huge, 413);
		const plain = await send('/api/v1/imports', 'title\nA\n', {
			token: ana.token,
			headers: { 'content-type': 'text/csv' }
		});
		expectProblem(plain, 415);
		expect(plain.body.detail).toMatch(/multipart\/form-data/);
	});
});

describe('progress of a large import', () => {
	/** A Trello export of `cards` cards in 5 lists, every 4th with a comment, every 5th a checklist. */
	function trelloExport(title: string, cards: number) {
		const lists = ['Backlog', 'To do', 'Doing', 'Review', 'Done'].map((name, i) => ({
			id: `list-${i}`,
			name,
			closed: false,
			pos: i + 1
		}));
		return {
			name: title,
			lists,
			labels: [{ id: 'l', name: 'Label', color: 'green' }],
			members: [],
			cards: Array.from({ length: cards }, (_, i) => ({
				id: `card-${i}`,
				name: `Card ${i}`,
				desc: `Card ${i} of a large board.`,
				idList: `list-${i % 5}`,
				pos: i,
				closed: false,
				idLabels: ['l'],
				idMembers: []
			})),
			checklists: Array.from({ length: cards / 5 }, (_, i) => ({
				id: `c-${i}`,
				idCard: `card-${i * 5}`,
				name: 'Steps',
				pos: 1,
				checkItems: [{ id: `i-${i}`, name: 'Step', state: 'incomplete', pos: 1 }]
			})),
			actions: Array.from({ length: cards / 4 }, (_, i) => ({
				id: `a-${i}`,
				type: 'commentCard',
				date: '2026-08-18T08:30:00.000Z',
				memberCreator: { id: 'm', fullName: 'Someone' },
				data: { text: `Comment ${i}`, card: { id: `card-${i * 4}` } }
			}))
		};
	}

	it('reports a comment its quote line pushes past the comment limit', async () => {
		const data = trelloExport(`Quoted ${Date.now()}`, 4);
		// Fits the limit on its own; with "> **Someone** wrote on …:" before it, it does not.
		data.actions[0]!.data.text = 'x'.repeat(maxCommentLength - 5);
		const done = await importBoard({ source: 'trello', data });
		expect(done.report.skipped).toContainEqual({
			what: 'The end of Someone’s comment on “Card 0”',
			reason: `longer than ${maxCommentLength} characters with the line quoting its author`
		});
		const [stored] = await sql<{ n: number }[]>`
			select max(char_length(body))::int as n from comments where board_id = ${done.boardId}`;
		expect(stored!.n).toBe(maxCommentLength);
	});

	it('moves through its phases in steps, and the board appears only whole', async () => {
		const title = `Large ${Date.now()}`;
		const res = await api.post(
			'/api/v1/imports',
			{ source: 'trello', data: trelloExport(title, 2000) },
			{ token: ana.token }
		);
		expect(res.status, JSON.stringify(res.body)).toBe(202);
		// Each card counts twice (built, saved), each comment once.
		expect(res.body.total).toBe(2 * 2000 + 500);
		const seen: { phase: string; done: number }[] = [];
		const cardsSeen = new Set<number>();
		let last: any = res.body;
		// Polled back to back, as fast as the server answers, until the import ends.
		for (const deadline = Date.now() + 60_000; Date.now() < deadline;) {
			last = (await api.get(`/api/v1/imports/${res.body.id}`, { token: ana.token })).body;
			if (last.state !== 'running' && last.state !== 'queued') break;
			seen.push({ phase: last.phase, done: last.done });
			// The board's rows exist all at once or not at all (the transaction commits whole).
			const [row] = await sql<{ n: number }[]>`
				select count(*)::int as n from tasks t join boards b on b.id = t.board_id
				where b.title = ${title}`;
			cardsSeen.add(row!.n);
		}
		expect(last.state, JSON.stringify(last)).toBe('done');
		expect(last.done).toBe(last.total);
		const intermediate = new Set(
			seen.map((s) => s.done).filter((done) => done > 0 && done < last.total)
		);
		expect(intermediate.size, JSON.stringify(seen)).toBeGreaterThanOrEqual(3);
		// Never backwards.
		for (let i = 1; i < seen.length; i++)
			expect(seen[i]!.done).toBeGreaterThanOrEqual(seen[i - 1]!.done);
		expect(new Set(seen.map((s) => s.phase)).size, JSON.stringify(seen)).toBeGreaterThanOrEqual(2);
		expect(
			[...cardsSeen].every((n) => n === 0 || n === 2000),
			[...cardsSeen].join()
		).toBe(true);
		const [comments] = await sql<{ n: number }[]>`
			select count(*)::int as n from comments where board_id = ${last.boardId}`;
		expect(comments!.n).toBe(500);
		expect(last.report.imported).toMatchObject({ cards: 2000, comments: 500, checklistItems: 400 });
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

describe('a TaskFlow export with checklists, label colours and comments', () => {
	it('imports them back: the checklist in order with its ticks, the colours, the comments quoted', async () => {
		const board = await createBoard(api, ana, 'Checklist round trip');
		const task = await api.post(
			`/api/v1/boards/${board.id}/tasks`,
			{ title: 'Release', labels: ['docs'] },
			{ token: ana.token }
		);
		expect(task.status, JSON.stringify(task.body)).toBe(201);
		// Checklists and colours are written in the document, as the board page writes them.
		const p = connect(t.url, board.id, { token: ana.token });
		try {
			expect(await p.ready).toBe(true);
			const ctx = { actorId: ana.id };
			const taskId = task.body.id as string;
			const tag = addChecklistItem(p.doc, { taskId, text: 'Tag the build' }, ctx);
			addChecklistItem(p.doc, { taskId, text: 'Announce' }, ctx);
			toggleChecklistItem(p.doc, { taskId, itemId: tag, done: true }, ctx);
			setLabelColor(p.doc, { label: 'docs', color: 'teal' }, ctx);
			await acknowledged(p);
		} finally {
			p.destroy();
		}
		const comment = await api.post(
			`/api/v1/tasks/${task.body.id}/comments`,
			{ body: 'Ship it' },
			{ token: ana.token }
		);
		expect(comment.status, JSON.stringify(comment.body)).toBe(201);

		const exported = await api.get(`/api/v1/boards/${board.id}/export`, { token: ana.token });
		expect(exported.status).toBe(200);
		const checklist = [
			{ text: 'Tag the build', done: true },
			{ text: 'Announce', done: false }
		];
		expect(exported.body.labelColors).toEqual({ docs: 'teal' });
		expect(exported.body.cards[0]).toMatchObject({
			checklist,
			comments: [{ author: ana.name, createdAt: comment.body.createdAt, body: 'Ship it' }]
		});

		const result = await importBoard({ source: 'taskflow', data: exported.body });
		expect(result.report.skipped).toEqual([]);
		expect(result.report.imported).toMatchObject({ cards: 1, checklistItems: 2, comments: 1 });
		const tasks = await api.get(`/api/v1/boards/${result.boardId}/tasks`, { token: ana.token });
		expect(tasks.body.items).toHaveLength(1);
		const imported = tasks.body.items[0];
		expect(
			imported.checklist.map(({ text, done }: { text: string; done: boolean }) => ({ text, done }))
		).toEqual(checklist);
		expect(readLabelColors(await documentOf(result.boardId))).toEqual({ docs: 'teal' });
		const comments = await api.get(`/api/v1/tasks/${imported.id}/comments`, {
			token: ana.token
		});
		expect(comments.body.items.map((c: { body: string }) => c.body)).toEqual([
			`> **${ana.name}** wrote on ${comment.body.createdAt.slice(0, 10)}:\n\nShip it`
		]);
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
		const csv = ['title', ...Array.from({ length: 2001 }, (_, i) => `Card ${i}`)].join('\n');
		const res = await api.post(
			'/api/v1/imports',
			{ source: 'csv', title: 'Too big', csv, mapping: { title: 0 } },
			{ token: ana.token }
		);
		expectProblem(res, 422);
		expect(JSON.stringify(res.body)).toMatch(/at most 2000 cards/);
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

	it('counts a chunked body on other routes as it streams: over the default limit is a 413', async () => {
		const form = await send(
			'/signup',
			chunked('name=', 'a', '&email=x%40example.com&password=x', 600 * 1024),
			{ headers: { 'content-type': 'application/x-www-form-urlencoded', origin: t.url } }
		);
		expect(form.status).toBe(413);
		expect(form.headers.get('content-type')).toMatch(/^application\/problem\+json/);
		expect(form.body.detail).toMatch(/larger than 524288 bytes/);
		// Under the limit, the chunked body reaches the route as sent.
		const board = await send('/api/v1/boards', chunked('{"title":"Chunked', ' ', '"}', 4 * 1024), {
			token: ana.token,
			headers: { 'content-type': 'application/json' }
		});
		expect(board.status, JSON.stringify(board.body)).toBe(201);
		expect(board.body.title).toBe('Chunked');
	});

	it('accepts a chunked import body of 2 MB', async () => {
		const res = await send(
			'/api/v1/imports',
			chunked(
				'{"source":"csv","title":"Chunked import","mapping":{"title":0},"csv":"title\\nA card\\n',
				// Rows of 32 KiB (a card and a long second cell), a period that divides the stream's
				// 64 KiB pieces, so every row stays within the CSV limits (50,000 characters a cell).
				`A card,${' '.repeat(32 * 1024 - 9)}\\n`,
				'"}',
				2 * 1024 * 1024
			),
			{ token: ana.token, headers: { 'content-type': 'application/json' } }
		);
		expect(res.status, JSON.stringify(res.body)).toBe(202);
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

describe('matching people by Trello user name', () => {
	it('matches nobody when several accounts share the user name', async () => {
		const stamp = Date.now();
		for (const domain of ['one', 'two']) {
			const email = `benokafor@${domain}-${stamp}.example.com`;
			const password = 'a long enough passphrase';
			const res = await api.post('/api/v1/auth/signup', { name: 'Ben', email, password });
			expect(res.status).toBe(202);
		}
		const again = await importBoard({ source: 'trello', data: trello });
		expect(again.report.unmatchedPeople.sort()).toEqual(['Ben Okafor', 'Zoë Ünal']);
		const members = await sql`
			select u.email from board_members m join users u on u.id = m.user_id
			where m.board_id = ${again.boardId}`;
		expect(members.map((row) => row.email).sort()).toEqual([ana.email, trelloAna.email].sort());
	});
});
