/**
 * Named versions are never pruned and each holds the whole board, so a board holds at most
 * VERSION_MAX_NAMED of them: naming one more is a 409 that says so, and changes nothing. The
 * "Before restoring …" versions restores save are not counted, and are pruned like checkpoints.
 */
import postgres from 'postgres';
import * as Y from 'yjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { boardMap } from '../../src/lib/domain/board/schema.ts';
import { pruneCheckpoints } from '../../src/lib/server/board-versions.ts';
import { startTestApp, type TestApp } from './support/app.ts';
import { client, createBoard, signUp, type Client, type TestUser } from './support/http.ts';
import { expectProblem } from './support/problem.ts';

let t: TestApp;
let api: Client;
let ana: TestUser;
let sql: postgres.Sql;

beforeAll(async () => {
	t = await startTestApp({ API_RATE_LIMIT: '1000000', VERSION_MAX_NAMED: '3' });
	api = client(t.url);
	sql = postgres(t.db.url, { max: 1, onnotice: () => {} });
	ana = await signUp(api, 'Ana');
});
afterAll(async () => {
	await sql?.end();
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

describe('restores at the named limit', () => {
	const restore = (boardId: string, versionId: string) =>
		api.post(`/api/v1/boards/${boardId}/versions/${versionId}/restore`, {}, { token: ana.token });
	const versions = async (boardId: string) =>
		(await api.get(`/api/v1/boards/${boardId}/versions`, { token: ana.token })).body.items as {
			name: string | null;
			undo: boolean;
		}[];

	it('save undo versions that do not count as named, so naming still works after many restores', async () => {
		const board = await createBoard(api, ana);
		const v1 = await name(board.id, 'v1');
		expect(v1.status).toBe(201);
		expect(v1.body.undo).toBe(false);
		for (let i = 0; i < 4; i++) {
			const res = await restore(board.id, v1.body.id);
			expect(res.status, JSON.stringify(res.body)).toBe(200);
			expect(res.body.previous).toMatchObject({ name: 'Before restoring “v1”', undo: true });
		}
		// Four undo versions and one named: two more may still be named, then the limit holds.
		expect((await name(board.id, 'v2')).status).toBe(201);
		expect((await name(board.id, 'v3')).status).toBe(201);
		expectProblem(await name(board.id, 'v4'), 409);
		// A board at the limit can still be restored (its undo is not refused either).
		expect((await restore(board.id, v1.body.id)).status).toBe(200);
		const items = await versions(board.id);
		expect(items.filter((v) => !v.undo).map((v) => v.name)).toEqual(['v3', 'v2', 'v1']);
		expect(items.filter((v) => v.undo)).toHaveLength(5);
	});

	it('prunes undo versions with the checkpoints, keeping named versions', async () => {
		const board = await createBoard(api, ana);
		const v1 = await name(board.id, 'v1');
		for (let i = 0; i < 3; i++) expect((await restore(board.id, v1.body.id)).status).toBe(200);
		expect(await pruneCheckpoints(sql, board.id, { days: 30, keep: 1 })).toBeGreaterThanOrEqual(2);
		const items = await versions(board.id);
		expect(items.filter((v) => v.undo)).toHaveLength(1);
		expect(items.filter((v) => !v.undo && v.name !== null).map((v) => v.name)).toEqual(['v1']);
	});
});

describe('a restore the board refuses', () => {
	it('answers with the refusal (not "restored, not stored yet") and keeps no undo version', async () => {
		const board = await createBoard(api, ana);
		// A version to restore, and the live board moved to a schema this server cannot write.
		const [doc] = await sql<{ snapshot: Buffer }[]>`
			select snapshot from board_documents where board_id = ${board.id}`;
		const live = new Y.Doc();
		Y.applyUpdate(live, new Uint8Array(doc!.snapshot));
		const [version] = await sql<{ id: string }[]>`
			insert into board_versions (board_id, name, state, card_count, created_by)
			values (${board.id}, 'old', ${Y.encodeStateAsUpdate(live)}, 0, ${ana.id})
			returning id`;
		const before = Y.encodeStateVector(live);
		boardMap(live).set('schemaVersion', 2);
		await sql`insert into board_updates (board_id, update)
			values (${board.id}, ${Y.encodeStateAsUpdate(live, before)})`;

		const res = await api.post(
			`/api/v1/boards/${board.id}/versions/${version!.id}/restore`,
			{},
			{ token: ana.token }
		);
		expectProblem(res, 422);
		expect(res.body.detail).toContain('schema version 2');
		const [undo] = await sql<{ count: number }[]>`
			select count(*)::int as count from board_versions where board_id = ${board.id} and undo`;
		expect(undo!.count).toBe(0);
	});
});
