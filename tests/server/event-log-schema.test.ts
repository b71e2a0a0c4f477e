/**
 * The PostgreSQL event log creates its own `event_logs` when pointed at a separate database,
 * which the migration runner never sees (`PostgresEventLog.prepare`). Migrations are history and
 * cannot be reused there, so that definition is a second one: this keeps it equal to what
 * migrations 005 and 011 build (columns, types, defaults, nullability and indexes).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrationsDir } from '../../server/migrations-dir.ts';
import { createSql, type Sql } from '../../src/lib/server/db/client.ts';
import { migrate } from '../../src/lib/server/db/migrate.ts';
import { PostgresEventLog } from '../../src/lib/server/events/postgres-log.ts';
import { createTestDatabase, type TestDatabase } from './support/database.ts';

let migrated: { db: TestDatabase; sql: Sql };
let prepared: { db: TestDatabase; log: PostgresEventLog; sql: Sql };

beforeAll(async () => {
	const one = await createTestDatabase();
	const oneSql = createSql({ url: one.url, max: 1 });
	await migrate(oneSql, migrationsDir);
	migrated = { db: one, sql: oneSql };
	const two = await createTestDatabase();
	const twoSql = createSql({ url: two.url, max: 1 });
	const log = new PostgresEventLog({ sql: twoSql, ownsPool: false, describe: 'test' });
	await log.prepare();
	prepared = { db: two, log, sql: twoSql };
});

afterAll(async () => {
	await migrated?.sql.end();
	await prepared?.sql.end();
	await migrated?.db.drop();
	await prepared?.db.drop();
});

/** The table as the catalog describes it, without names that differ by database (sequences). */
async function shape(sql: Sql) {
	const columns = await sql`
		select column_name, data_type, is_nullable,
			regexp_replace(coalesce(column_default, ''), '''[^'']*''::regclass', 'SEQ') as column_default
		from information_schema.columns
		where table_schema = 'public' and table_name = 'event_logs'
		order by column_name`;
	const indexes = await sql`
		select indexname, indexdef from pg_indexes
		where schemaname = 'public' and tablename = 'event_logs'
		order by indexname`;
	return { columns: [...columns], indexes: [...indexes] };
}

describe('event_logs in a separate database', () => {
	it('is the table the migrations build', async () => {
		const expected = await shape(migrated.sql);
		expect(expected.columns.length).toBeGreaterThan(5);
		expect(expected.indexes.length).toBeGreaterThan(4);
		expect(await shape(prepared.sql)).toEqual(expected);
	});
});
