/**
 * The lookups every API request makes (its token, its role on the board, the row a write
 * answers with) are gathered per event-loop turn: concurrent requests share one query, and
 * each still gets its own answer, revocations and unknown keys included.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getTaskRow } from '../../src/lib/server/api/board-rows-read.ts';
import { revokeUserTokens, verifyApiToken } from '../../src/lib/server/auth/api-tokens.ts';
import { getBoardWithRole } from '../../src/lib/server/boards.ts';
import { createSql, type Sql } from '../../src/lib/server/db/client.ts';
import { startTestApp, type TestApp } from './support/app.ts';
import { client, createBoard, signUp, type TestUser } from './support/http.ts';
import { eventually } from './support/notifications.ts';

let t: TestApp;
let pool: Sql;
beforeAll(async () => {
	t = await startTestApp();
	pool = createSql({ url: t.db.url, max: 2 });
});
afterAll(async () => {
	await pool?.end();
	await t?.stop();
});

/** The pool, counting the statements run through it (fragments are not statements). */
function counted(): { sql: Sql; statements: () => number } {
	let statements = 0;
	const sql = new Proxy(pool, {
		apply(target, self, args) {
			statements++;
			return Reflect.apply(target, self, args) as unknown;
		}
	});
	return { sql, statements: () => statements };
}

async function token(user: TestUser): Promise<string> {
	const created = await client(t.url).post(
		'/api/v1/tokens',
		{ name: 'batch', scope: 'read-write' },
		{ token: user.token }
	);
	return created.body.token as string;
}

describe('per-turn lookups', () => {
	it('verifies the tokens of concurrent requests in one query, each its own', async () => {
		const api = client(t.url);
		const [ana, bob] = [await signUp(api, 'Ana'), await signUp(api, 'Bob')];
		const [anaToken, bobToken] = [await token(ana), await token(bob)];
		// Used once, so the batch below has no last-used time to write. The use is recorded
		// after the lookup answers (it must not hold the lookups up): wait for it.
		await verifyApiToken(pool, anaToken);
		await verifyApiToken(pool, bobToken);
		await eventually(
			async () =>
				(
					await pool<{ n: number }[]>`
						select count(*)::int as n from api_tokens
						where user_id in (${ana.id}, ${bob.id}) and last_used_at is not null`
				)[0]!.n,
			(n) => n === 2,
			'both uses recorded'
		);
		const { sql, statements } = counted();
		const found = await Promise.all(
			[anaToken, bobToken, anaToken, `tf_${'0'.repeat(40)}`].map((secret) =>
				verifyApiToken(sql, secret)
			)
		);
		expect(found.map((principal) => principal?.user.id ?? null)).toEqual([
			ana.id,
			bob.id,
			ana.id,
			null
		]);
		expect(statements()).toBe(1);
		await revokeUserTokens(pool, bob.id);
		const after = await Promise.all([verifyApiToken(sql, anaToken), verifyApiToken(sql, bobToken)]);
		expect(after.map((principal) => principal?.user.id ?? null)).toEqual([ana.id, null]);
		expect(statements()).toBe(2);
	});

	it('reads the roles of concurrent requests in one query, each its own', async () => {
		const api = client(t.url);
		const [ana, bob] = [await signUp(api, 'Ana'), await signUp(api, 'Bob')];
		const board = await createBoard(api, ana, 'Shared');
		const missing = '00000000-0000-4000-8000-000000000000';
		const { sql, statements } = counted();
		const found = await Promise.all([
			getBoardWithRole(sql, board.id, ana.id),
			getBoardWithRole(sql, board.id, bob.id),
			getBoardWithRole(sql, missing, ana.id),
			getBoardWithRole(sql, 'not-a-uuid', ana.id),
			// Ids in upper case name the same rows (PostgreSQL answers in lower case).
			getBoardWithRole(sql, board.id.toUpperCase(), ana.id.toUpperCase())
		]);
		expect(found.map((access) => access && { id: access.board.id, role: access.role })).toEqual([
			{ id: board.id, role: 'owner' },
			{ id: board.id, role: null },
			null,
			null,
			{ id: board.id, role: 'owner' }
		]);
		expect(statements()).toBe(1);
	});

	it('reads the rows of concurrent writes in one query, each its own', async () => {
		const api = client(t.url);
		const ana = await signUp(api, 'Ana');
		const board = await createBoard(api, ana, 'Rows');
		const ids: string[] = [];
		for (const title of ['One', 'Two']) {
			const created = await api.post(
				`/api/v1/boards/${board.id}/tasks`,
				{ title },
				{ token: ana.token }
			);
			ids.push(created.body.id as string);
		}
		const { sql, statements } = counted();
		const rows = await Promise.all([
			getTaskRow(sql, board.id, ids[0]!),
			getTaskRow(sql, board.id, ids[1]!),
			getTaskRow(sql, board.id, '00000000-0000-4000-8000-000000000000'),
			getTaskRow(sql, board.id, 'not-a-uuid'),
			getTaskRow(sql, board.id.toUpperCase(), ids[1]!.toUpperCase())
		]);
		expect(rows.map((row) => row?.title ?? null)).toEqual(['One', 'Two', null, null, 'Two']);
		expect(statements()).toBe(1);
	});
});
