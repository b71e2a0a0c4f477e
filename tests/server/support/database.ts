/**
 * A throwaway PostgreSQL database per test file, on the server named by TEST_DATABASE_URL
 * (default: the local trust-auth server), so tests never touch a developer's data.
 */
import { randomBytes } from 'node:crypto';
import postgres from 'postgres';
import { createSql, type Sql } from '../../../src/lib/server/db/client.ts';
import { migrate } from '../../../src/lib/server/db/migrate.ts';
import { migrationsDir } from '../../../server/migrations-dir.ts';

export const adminUrl =
	process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

export interface TestDatabase {
	url: string;
	name: string;
	drop(): Promise<void>;
}

export async function createTestDatabase(): Promise<TestDatabase> {
	const name = `tf_test_${Date.now().toString(36)}_${randomBytes(4).toString('hex')}`;
	const admin = postgres(adminUrl, { max: 1, onnotice: () => {} });
	await admin.unsafe(`create database ${name}`);
	await admin.end();
	const url = new URL(adminUrl);
	url.pathname = `/${name}`;
	return {
		url: url.toString(),
		name,
		async drop() {
			const sql = postgres(adminUrl, { max: 1, onnotice: () => {} });
			await sql.unsafe(`drop database if exists ${name} with (force)`);
			await sql.end();
		}
	};
}

/** A throwaway database with every migration applied, and a pool of `max` connections on it. */
export async function createMigratedDatabase(max = 2): Promise<{ db: TestDatabase; sql: Sql }> {
	const db = await createTestDatabase();
	const sql = createSql({ url: db.url, max });
	await migrate(sql, migrationsDir);
	return { db, sql };
}
