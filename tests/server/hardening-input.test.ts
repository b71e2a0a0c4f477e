/**
 * Input that PostgreSQL text/jsonb cannot hold (NUL, lone surrogates) or that is otherwise
 * malformed answers a 4xx problem naming the field, and never stops a board from working: not
 * through the REST API, and not through a Yjs update written straight into the document.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tasksMap } from '../../src/lib/domain/board/index.ts';
import { connect } from './support/collab.ts';
import { createBoard } from './support/http.ts';
import { expectProblem } from './support/problem.ts';
import type { Client, TestUser } from './support/http.ts';
import { startTaskApi, tasksPath, type TaskApi } from './support/task-api.ts';

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

/** The raw JSON text keeps the `\ud800` escape, so JSON.parse on the server yields a lone surrogate. */
const loneSurrogateTitle = '{"title":"x\\ud800"}';

async function expectBoardWorks(boardId: string) {
	const board = { id: boardId };
	expect((await api.get(tasksPath(board), { token: ana.token })).status).toBe(200);
	expect((await api.get(`/api/v1/boards/${boardId}/columns`, { token: ana.token })).status).toBe(
		200
	);
	const created = await api.post(tasksPath(board), { title: 'Still fine' }, { token: ana.token });
	expect(created.status).toBe(201);
}

describe('strings PostgreSQL cannot store', () => {
	it('a task title with a lone surrogate answers 422 naming the field, and the board keeps working', async () => {
		const board = await s.newBoard();
		const res = await api.post(tasksPath(board), undefined, {
			token: ana.token,
			raw: loneSurrogateTitle
		});
		expectProblem(res, 422);
		expect(res.body.errors).toHaveProperty('title');
		await expectBoardWorks(board.id);
	});

	it('NUL or a lone surrogate anywhere in a body is refused, with the path of the field', async () => {
		const board = await s.newBoard();
		const cases: [string, string, string][] = [
			[tasksPath(board), '{"title":"ok","labels":["a","b\\udc00"]}', 'labels.1'],
			[tasksPath(board), '{"title":"ok","description":"nul\\u0000"}', 'description'],
			['/api/v1/boards', '{"title":"nul\\u0000"}', 'title'],
			[`/api/v1/boards/${board.id}/columns`, '{"title":"\\udbff"}', 'title'],
			['/api/v1/tokens', '{"name":"t\\u0000","scope":"read"}', 'name']
		];
		for (const [path, raw, field] of cases) {
			const res = await api.post(path, undefined, { token: ana.token, raw });
			expectProblem(res, 422);
			expect(res.body.errors, raw).toHaveProperty([field]);
		}
		await expectBoardWorks(board.id);
	});

	it('a body that is not valid UTF-8 answers 400, storing nothing', async () => {
		const board = await s.newBoard();
		// "bad\xff title": a byte no UTF-8 text holds, which lenient decoding turned into U+FFFD.
		const raw = new Uint8Array([...Buffer.from('{"title":"bad'), 0xff, ...Buffer.from(' title"}')]);
		const res = await api.post(tasksPath(board), undefined, { token: ana.token, raw });
		expectProblem(res, 400);
		expect(res.body.detail).toMatch(/UTF-8/);
		const list = await api.get(tasksPath(board), { token: ana.token });
		expect(list.body.items).toEqual([]);
	});

	it("names the unstorable field beside the body's other faults", async () => {
		const board = await s.newBoard();
		const raw = '{"description":"nul\\u0000","priority":"soon"}';
		const res = await api.post(tasksPath(board), undefined, { token: ana.token, raw });
		expectProblem(res, 422);
		expect(Object.keys(res.body.errors).sort()).toEqual(['description', 'priority', 'title']);
		expect(res.body.errors.description).toContain('cannot be stored');
	});

	it('a body nested deeper than the call stack answers 422, not 500', async () => {
		const board = await s.newBoard();
		const depth = 100_000;
		const raw = `{"title":"ok","labels":${'['.repeat(depth)}"\\ud800"${']'.repeat(depth)}}`;
		const res = await api.post(tasksPath(board), undefined, { token: ana.token, raw });
		expectProblem(res, 422);
		expect(Object.keys(res.body.errors)[0]).toMatch(/^labels\./);
	});

	it('a NUL in a query string answers 422 naming the parameter', async () => {
		const board = await s.newBoard();
		const res = await api.get(tasksPath(board, '?q=a%00b'), { token: ana.token });
		expectProblem(res, 422);
		expect(res.body.errors).toHaveProperty('q');
	});

	// A guard rather than a regression test: lib0 encodes strings as UTF-8 on the wire, which
	// already turns a lone surrogate into U+FFFD, so this held before the row writer's own
	// sanitising too (read.spec.ts and board-rows.spec.ts test that directly).
	it('a lone surrogate written through the document is stored replaced by U+FFFD; the board keeps answering', async () => {
		const board = await s.newBoard();
		const task = await s.newTask(board, { title: 'Before' });
		const peer = connect(s.t.url, board.id, { token: ana.token });
		try {
			expect(await peer.ready).toBe(true);
			const map = tasksMap(peer.doc).get(task.id) as { set(key: string, value: unknown): void };
			map.set('title', 'bad\ud800title');
			const path = `/api/v1/tasks/${task.id}`;
			let title: unknown;
			// Polls the REST read (no fixed sleep) until the store has written the projection.
			const deadline = Date.now() + 15_000;
			while (title !== 'bad\ufffdtitle' && Date.now() < deadline) {
				const res = await api.get(path, { token: ana.token });
				expect(res.status).toBe(200);
				title = res.body.title;
			}
			expect(title).toBe('bad\ufffdtitle');
			const list = await api.get(tasksPath(board), { token: ana.token });
			expect(list.status).toBe(200);
			expect(list.body.items.find((t: { id: string }) => t.id === task.id).title).toBe(
				'bad\ufffdtitle'
			);
			await expectBoardWorks(board.id);
		} finally {
			peer.destroy();
		}
	});
});

describe('pages refuse the same text in forms', () => {
	it('a sign-up form with NUL in the name answers 400 with the reason, creating nothing', async () => {
		const email = `form.nul.${Date.now()}@example.com`;
		const res = await fetch(new URL('/signup', s.t.url), {
			method: 'POST',
			headers: {
				'content-type': 'application/x-www-form-urlencoded',
				origin: new URL(s.t.url).origin,
				accept: 'application/json',
				'x-sveltekit-action': 'true'
			},
			body: new URLSearchParams({
				name: 'Nul\u0000Name',
				email,
				password: 'a long enough passphrase'
			})
		});
		const body = (await res.json()) as { type: string; status: number; data: string };
		expect(body).toMatchObject({ type: 'failure', status: 400 });
		expect(body.data).toContain('cannot be stored');
		const login = await api.post('/api/v1/auth/login', {
			email,
			password: 'a long enough passphrase'
		});
		expectProblem(login, 401);
	});
});

describe('other malformed input answers 4xx, never 500', () => {
	it('an impossible calendar day in dueBefore/dueAfter answers 422', async () => {
		const board = await s.newBoard();
		for (const query of [
			'?dueBefore=2026-13-45',
			'?dueAfter=2026-02-30',
			'?dueBefore=0000-01-01'
		]) {
			const res = await api.get(tasksPath(board, query), { token: ana.token });
			expectProblem(res, 422);
			expect(Object.keys(res.body.errors)[0]).toMatch(/^due(Before|After)$/);
		}
	});

	it('a board title with NUL, a newline, a tab or over 255 UTF-16 units answers 422 on create and rename', async () => {
		const board = await createBoard(api, ana);
		const titles = ['nul\u0000', 'two\nlines', 'tab\there', 'x'.repeat(256), '😀'.repeat(128)];
		for (const title of titles) {
			const created = await api.post('/api/v1/boards', { title }, { token: ana.token });
			expectProblem(created, 422);
			expect(created.body.errors).toHaveProperty('title');
			const renamed = await api.patch(
				`/api/v1/boards/${board.id}`,
				{ title },
				{ token: ana.token }
			);
			expectProblem(renamed, 422);
			expect(renamed.body.errors).toHaveProperty('title');
		}
		const ok = await api.patch(
			`/api/v1/boards/${board.id}`,
			{ title: '😀'.repeat(127) },
			{ token: ana.token }
		);
		expect(ok.status).toBe(200);
	});
});
