/**
 * Named versions are never pruned and each holds the whole board, so a board holds at most
 * VERSION_MAX_NAMED of them: naming one more is a 409 that says so, and changes nothing.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from './support/app.ts';
import { client, createBoard, signUp, type Client, type TestUser } from './support/http.ts';
import { expectProblem } from './support/problem.ts';

let t: TestApp;
let api: Client;
let ana: TestUser;

beforeAll(async () => {
	t = await startTestApp({ API_RATE_LIMIT: '1000000', VERSION_MAX_NAMED: '3' });
	api = client(t.url);
	ana = await signUp(api, 'Ana');
});
afterAll(async () => {
	await t?.stop();
});

const name = (boardId: string, versionName: string) =>
	api.post(`/api/v1/boards/${boardId}/versions`, { name: versionName }, { token: ana.token });

describe('named versions per board', () => {
	it('are refused past VERSION_MAX_NAMED with a 409 saying why, counting each board apart', async () => {
		const board = await createBoard(api, ana);
		for (const n of [1, 2, 3]) expect((await name(board.id, `v${n}`)).status).toBe(201);
		const refused = await name(board.id, 'v4');
		expectProblem(refused, 409);
		expect(refused.body.detail).toBe(
			'This board already has 3 named versions, the most it may keep. Named versions cannot be deleted; automatic checkpoints are still taken after editing.'
		);
		const list = await api.get(`/api/v1/boards/${board.id}/versions`, { token: ana.token });
		expect(list.body.items.map((v: { name: string | null }) => v.name)).toEqual(['v3', 'v2', 'v1']);

		const other = await createBoard(api, ana);
		expect((await name(other.id, 'elsewhere')).status).toBe(201);
	});

	it('hold the limit when many are named at once', async () => {
		const board = await createBoard(api, ana);
		const answers = await Promise.all(
			Array.from({ length: 8 }, (_, i) => name(board.id, `at once ${i}`))
		);
		expect(answers.filter((res) => res.status === 201)).toHaveLength(3);
		for (const res of answers.filter((r) => r.status !== 201)) expectProblem(res, 409);
	});
});
