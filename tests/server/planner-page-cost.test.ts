/**
 * Migration 025 sets the planner's random page cost to 1.1 for the database's sessions where
 * nothing else set it, and never fails a migration for a role that may not alter the database;
 * the embedded database applies it on every start. (Why: the migration's header; what it
 * changes in a plan: task-list-order.test.ts.)
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import postgres from 'postgres';
import { describe, expect, it } from 'vitest';
import { migrationsDir } from '../../server/migrations-dir.ts';
import { createSql } from '../../src/lib/server/db/client.ts';
import { startEmbeddedDatabase } from '../../src/lib/server/db/embedded.ts';
import { migrate } from '../../src/lib/server/db/migrate.ts';
import {
	adminUrl,
	createMigratedDatabase,
	createTestDatabase,
	type TestDatabase
} from './support/database.ts';

const migration = readFileSync(path.join(migrationsDir, '025_planner_page_cost.sql'), 'utf8');

/** The page cost a new session gets, and where it came from. */
async function pageCost(url: string): Promise<{ cost: string; source: string }> {
	const session = postgres(url, { max: 1, onnotice: () => {} });
	try {
		const [row] = await session<{ cost: string; source: string }[]>`
			select setting as cost, source from pg_settings where name = 'random_page_cost'`;
		return row!;
	} finally {
		await session.end();
	}
}

/** Runs the migration's text on `url` as `user`, returning the notices it raised. */
async function runMigration(url: string, user?: string): Promise<string[]> {
	const notices: string[] = [];
	const session = postgres(url, {
		max: 1,
		...(user ? { user } : {}),
		onnotice: (notice) => notices.push(String(notice.message))
	});
	try {
		await session.unsafe(migration);
	} finally {
		await session.end();
	}
	return notices;
}

async function withDatabase(use: (db: TestDatabase) => Promise<void>): Promise<void> {
	const db = await createTestDatabase();
	try {
		await use(db);
	} finally {
		await db.drop();
	}
}

describe('migration 025: the planner page cost', () => {
	it('gives every later session 1.1, and the migrating session too', async () => {
		const { db, sql } = await createMigratedDatabase(1);
		try {
			expect(await pageCost(db.url)).toEqual({ cost: '1.1', source: 'database' });
			// The pool's one connection ran the migrations.
			const [row] = await sql<{ cost: string }[]>`
				select current_setting('random_page_cost') as cost`;
			expect(row!.cost).toBe('1.1');
		} finally {
			await sql.end();
			await db.drop();
		}
	});

	it('leaves a value a DBA set, 4 included, as it is', async () => {
		for (const chosen of ['1.5', '4']) {
			await withDatabase(async (db) => {
				// The test server itself must be at PostgreSQL's default, or this proves nothing.
				expect((await pageCost(db.url)).source).toBe('default');
				const admin = postgres(adminUrl, { max: 1, onnotice: () => {} });
				try {
					await admin.unsafe(`alter database ${db.name} set random_page_cost = ${chosen}`);
				} finally {
					await admin.end();
				}
				await runMigration(db.url);
				expect(await pageCost(db.url)).toEqual({ cost: chosen, source: 'database' });
			});
		}
	});

	it('leaves it at 4, with a notice, for a role that may not alter the database', async () => {
		await withDatabase(async (db) => {
			const role = `tf_plain_${randomBytes(4).toString('hex')}`;
			const admin = postgres(adminUrl, { max: 1, onnotice: () => {} });
			try {
				await admin.unsafe(`create role ${role} login`);
				const notices = await runMigration(db.url, role);
				expect(notices.join('\n')).toMatch(/random_page_cost left at 4/);
				expect(await pageCost(db.url)).toEqual({ cost: '4', source: 'default' });
			} finally {
				await admin.unsafe(`drop role if exists ${role}`);
				await admin.end();
			}
		});
	});

	it('holds in the embedded database across a restart', async () => {
		const dir = mkdtempSync(path.join(tmpdir(), 'tf-page-cost-'));
		const read = async (url: string) => {
			const sql = createSql({ url, max: 1 });
			try {
				const [row] = await sql<{ cost: string }[]>`
					select current_setting('random_page_cost') as cost`;
				return row!.cost;
			} finally {
				await sql.end();
			}
		};
		try {
			const first = await startEmbeddedDatabase(dir);
			try {
				const sql = createSql({ url: first.url, max: 1 });
				await migrate(sql, migrationsDir);
				await sql.end();
			} finally {
				await first.close();
			}
			const second = await startEmbeddedDatabase(dir);
			try {
				expect(await read(second.url)).toBe('1.1');
			} finally {
				await second.close();
			}
		} finally {
			rmSync(dir, { recursive: true, force: true });
		}
	}, 60_000);
});
