/**
 * Log row ids come in blocks from the real sequence: unique, and one round trip per block
 * rather than per change (the sequence moves by whole blocks), the next block fetched before
 * the current one runs out.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Sql } from '../../src/lib/server/db/client.ts';
import { UpdateIdPool } from '../../server/persistence/update-ids.ts';
import { createMigratedDatabase, type TestDatabase } from './support/database.ts';

let db: TestDatabase;
let sql: Sql;
beforeAll(async () => {
	({ db, sql } = await createMigratedDatabase(4));
});
afterAll(async () => {
	await sql?.end();
	await db?.drop();
});

async function sequenceAt(): Promise<number> {
	const [row] = await sql<{ n: number }[]>`
		select case when is_called then last_value else 0 end as n from board_updates_id_seq`;
	return Number(row!.n);
}

describe('UpdateIdPool', () => {
	it('hands out unique ids, a block from the sequence at a time', async () => {
		const pool = new UpdateIdPool(sql, 8);
		const start = await sequenceAt();
		const ids: number[] = [];
		for (let i = 0; i < 20; i++) ids.push(await pool.take());
		expect(new Set(ids).size).toBe(20);
		// Whole blocks of eight, one ahead at most: not twenty single reservations.
		const moved = (await sequenceAt()) - start;
		expect(moved % 8).toBe(0);
		expect(moved).toBeGreaterThanOrEqual(24);
		expect(moved).toBeLessThanOrEqual(32);
	});

	it('shares one refill between callers that find the pool empty together', async () => {
		const pool = new UpdateIdPool(sql, 4);
		const start = await sequenceAt();
		await Promise.all([pool.take(), pool.take(), pool.take()]);
		expect((await sequenceAt()) - start).toBe(4);
	});
});
