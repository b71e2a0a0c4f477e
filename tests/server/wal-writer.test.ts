/**
 * The log's group commit against the real database: a quiet log commits an append at once, a
 * busy one starts at most one statement per window and every append it was given commits.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { reserveUpdateIds } from '../../src/lib/server/board-documents.ts';
import type { Sql } from '../../src/lib/server/db/client.ts';
import { WalWriter } from '../../server/persistence/wal-writer.ts';
import { createMigratedDatabase, type TestDatabase } from './support/database.ts';

let db: TestDatabase;
let sql: Sql;
let boardId: string;

beforeAll(async () => {
	({ db, sql } = await createMigratedDatabase());
	const [user] = await sql<{ id: string }[]>`
		insert into users (email, password_hash, display_name)
		values (${`${randomUUID()}@example.com`}, 'x', 'Owner') returning id`;
	const [board] = await sql<{ id: string }[]>`
		insert into boards (title, owner_id) values ('Log', ${user!.id}) returning id`;
	boardId = board!.id;
});

afterAll(async () => {
	await sql?.end();
	await db?.drop();
});

async function entries(count: number) {
	const ids = await reserveUpdateIds(sql, count);
	return ids.map((id) => ({ id, boardId, update: Uint8Array.of(0, 0), actorId: null }));
}

async function stored(ids: number[]): Promise<number> {
	const [row] = await sql<{ n: number }[]>`
		select count(*)::int as n from board_updates where id = any(${ids}::bigint[])`;
	return row!.n;
}

describe('WalWriter', () => {
	it('commits an append to a quiet log at once, with the appends of the same turn', async () => {
		// A window far longer than a commit: had the first statement waited for it, this would.
		const wal = new WalWriter(sql, { windowMs: 5_000 });
		const batch = await entries(20);
		const started = performance.now();
		await Promise.all(batch.map((entry) => wal.append(entry)));
		expect(performance.now() - started).toBeLessThan(2_500);
		expect(wal.stats).toMatchObject({ batches: 1, entries: 20, largestBatch: 20 });
		expect(await stored(batch.map((e) => e.id))).toBe(20);
	});

	it('starts at most one statement per window under a steady stream of appends', async () => {
		const windowMs = 40;
		const wal = new WalWriter(sql, { windowMs });
		const batch = await entries(150);
		const started = performance.now();
		const appended: Promise<void>[] = [];
		// One append every 2 ms, each from its own timer (as messages arrive from sockets).
		for (const entry of batch) {
			appended.push(wal.append(entry));
			await new Promise((resolve) => setTimeout(resolve, 2));
		}
		await Promise.all(appended);
		const elapsed = performance.now() - started;
		expect(await stored(batch.map((e) => e.id))).toBe(150);
		expect(wal.stats.entries).toBe(150);
		// Back to back, a statement per few appends (tens of them); paced, one per window.
		expect(wal.stats.batches).toBeLessThanOrEqual(Math.ceil(elapsed / windowMs) + 1);
		expect(wal.stats.largestBatch).toBeGreaterThan(1);
	});
});
