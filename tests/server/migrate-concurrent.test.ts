/**
 * Instances that start together migrate one database together: every migration is applied
 * once, by one of them, and none fails. Without the advisory lock in `migrate`, the second ran
 * the same DDL into the first's and its start failed ("relation … already exists").
 */
import { afterAll, describe, expect, it } from 'vitest';
import { createSql } from '../../src/lib/server/db/client.ts';
import { migrate, readMigrations } from '../../src/lib/server/db/migrate.ts';
import { migrationsDir } from '../../server/migrations-dir.ts';
import { createTestDatabase, type TestDatabase } from './support/database.ts';

const instances = 4;
const dbs: TestDatabase[] = [];
afterAll(async () => {
	for (const db of dbs) await db.drop();
});

describe('migrations run by instances starting at once', () => {
	it(`apply each migration once across ${instances} pools, and every pool starts`, async () => {
		const db = await createTestDatabase();
		dbs.push(db);
		const pools = Array.from({ length: instances }, () => createSql({ url: db.url, max: 2 }));
		try {
			const results = await Promise.allSettled(pools.map((sql) => migrate(sql, migrationsDir)));
			const failures = results.flatMap((r) => (r.status === 'rejected' ? [String(r.reason)] : []));
			expect(failures).toEqual([]);
			const applied = results.flatMap((r) => (r.status === 'fulfilled' ? r.value : []));
			const all = readMigrations(migrationsDir).map((m) => m.name);
			// Every migration applied by exactly one of them.
			expect([...applied].sort()).toEqual([...all].sort());
			const recorded = await pools[0]!<{ count: number }[]>`
				select count(*)::int as count from schema_migrations`;
			expect(recorded[0]!.count).toBe(all.length);
		} finally {
			await Promise.all(pools.map((sql) => sql.end()));
		}
	});
});
