/**
 * Import input at and past its limits, through the API: an import id that only looks like one
 * is a 404 (not a database error), an export with too many comments is a 422 that says the
 * limit, and titles and labels cut at their limit stay storable (no half emoji).
 */
import postgres from 'postgres';
import * as Y from 'yjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readBoard } from '../../src/lib/domain/board/index.ts';
import { maxImportComments } from '../../src/lib/domain/import/plan.ts';
import { startTestApp, type TestApp } from './support/app.ts';
import { client, signUp, type Client, type TestUser } from './support/http.ts';
import { expectProblem } from './support/problem.ts';

let t: TestApp;
let api: Client;
let sql: postgres.Sql;
let ana: TestUser;

beforeAll(async () => {
	t = await startTestApp({ API_RATE_LIMIT: '1000000' });
	api = client(t.url);
	sql = postgres(t.db.url, { max: 1, onnotice: () => {} });
	ana = await signUp(api, 'Ana');
});
afterAll(async () => {
	await sql?.end();
	await t?.stop();
});

describe('import limits', () => {
	it('answers 404 problem+json for ids of the right length that are not UUIDs', async () => {
		for (const id of ['-'.repeat(36), 'a'.repeat(36), '0000000-00000-0000-0000-0000000000000']) {
			expectProblem(await api.get(`/api/v1/imports/${id}`, { token: ana.token }), 404);
		}
	});

	it('refuses a Trello export with more comments than an import takes, saying the limit', async () => {
		const actions = Array.from({ length: maxImportComments + 1 }, () => ({
			type: 'commentCard',
			data: { card: { id: 'c' }, text: 'x' }
		}));
		const res = await api.post(
			'/api/v1/imports',
			{
				source: 'trello',
				data: {
					lists: [{ id: 'l', name: 'L' }],
					cards: [{ id: 'c', name: 'C', idList: 'l' }],
					actions
				}
			},
			{ token: ana.token }
		);
		expectProblem(res, 422);
		expect(res.body.detail).toMatch(/more than 50000 comments; import at most 50000 at a time/);
	});

	/** Queues an import and waits until it has finished, done or failed. */
	async function finished(body: unknown) {
		const res = await api.post('/api/v1/imports', body, { token: ana.token });
		expect(res.status, JSON.stringify(res.body)).toBe(202);
		let last: { state: string; boardId: string; error: string | null } | undefined;
		await expect
			.poll(
				async () => {
					last = (await api.get(`/api/v1/imports/${res.body.id}`, { token: ana.token })).body;
					return last!.state;
				},
				{ timeout: 20_000 }
			)
			.toMatch(/done|failed/);
		expect(last!.state, JSON.stringify(last)).toBe('done');
		const [row] = await sql<{ snapshot: Buffer }[]>`
			select snapshot from board_documents where board_id = ${last!.boardId}`;
		const doc = new Y.Doc();
		Y.applyUpdate(doc, new Uint8Array(row!.snapshot));
		return { board: readBoard(doc), boardId: last!.boardId };
	}

	it('imports titles and labels full of emoji, cut at the limit without splitting one', async () => {
		const { board } = await finished({
			source: 'csv',
			title: 'Emoji',
			csv: `Title,Labels,Status\n${'😀'.repeat(300)},${'🎉'.repeat(30)},x${'😀'.repeat(300)}\n`,
			mapping: { title: 0, labels: 1, column: 2 }
		});
		const [column] = board.columns;
		expect(column!.title).toBe('x' + '😀'.repeat(127));
		expect(column!.tasks[0]!.title).toBe('😀'.repeat(127));
		expect(column!.tasks[0]!.labels).toEqual(['🎉'.repeat(20)]);

		const trello = await finished({
			source: 'trello',
			data: {
				name: '🚀'.repeat(300),
				lists: [{ id: 'l', name: '📋'.repeat(300) }],
				cards: [{ id: 'c', name: '🃏'.repeat(300), idList: 'l', idLabels: ['a'] }],
				labels: [{ id: 'a', name: '🏷'.repeat(30), color: 'red' }]
			}
		});
		const [row] = await sql<{ title: string }[]>`
			select title from boards where id = ${trello.boardId}`;
		expect(row!.title).toBe('🚀'.repeat(127));
		expect(trello.board.columns[0]!.title).toBe('📋'.repeat(127));
		expect(trello.board.columns[0]!.tasks[0]!.labels).toEqual(['🏷'.repeat(20)]);
		expect(trello.board.labelColors).toEqual({ ['🏷'.repeat(20)]: 'red' });
	});
});
