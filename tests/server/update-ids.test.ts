/**
 * Log row ids for API writes come in blocks from the real sequence: unique, and one round trip
 * per block rather than per write (the sequence moves by whole blocks).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSql, type Sql } from '../../src/lib/server/db/client.ts';
import { migrate } from '../../src/lib/server/db/migrate.ts';
import { migrationsDir } from '../../server/runtime.ts';
import { UpdateIdPool } from '../../server/persistence/update-ids.ts';
import { createTestDatabase, type TestDatabase } from './support/database.ts';

let db: TestDatabase;
let sql: Sql;
beforeAll(async () => {
	db = await createTestDatabase();
	sql = createSql({ url: db.url, max: 4 });
	await migrate(sql, migrationsDir);
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
		const ids = await Promise.all(Array.from({ length: 20 }, () => pool.take()));
		expect(new Set(ids).size).toBe(20);
		// Three blocks of eight, not twenty single reservations.
		expect((await sequenceAt()) - start).toBe(24);
	});

	it('shares one refill between callers that find the pool empty together', async () => {
		const pool = new UpdateIdPool(sql, 4);
		const start = await sequenceAt();
		await Promise.all([pool.take(), pool.take(), pool.take()]);
		expect((await sequenceAt()) - start).toBe(4);
	});
});
