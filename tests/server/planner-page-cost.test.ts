/**
 * Migration 025 sets the planner's random page cost to 1.1 for the database's sessions, over
 * PostgreSQL's default only, and never fails a migration for a role that may not alter the
 * database. (Why: the migration's header; what it changes in a plan: task-list-order.test.ts.)
 */
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import postgres from 'postgres';
import { describe, expect, it } from 'vitest';
import { migrationsDir } from '../../server/migrations-dir.ts';
import { adminUrl, createMigratedDatabase, createTestDatabase } from './support/database.ts';

const migration = readFileSync(path.join(migrationsDir, '025_planner_page_cost.sql'), 'utf8');

async function pageCost(url: string, options: { user?: string } = {}): Promise<string> {
	const session = postgres(url, { max: 1, onnotice: () => {}, ...options });
	try {
		const [row] = await session<
			{ cost: string }[]
		>`select current_setting('random_page_cost') as cost`;
		return row!.cost;
	} finally {
		await session.end();
	}
}

describe('migration 025: the planner page cost', () => {
	it('gives every later session 1.1, and the migrating session too', async () => {
		const { db, sql } = await createMigratedDatabase(1);
		try {
			expect(await pageCost(db.url)).toBe('1.1');
			// The pool's one connection ran the migrations.
			const [row] = await sql<
				{ cost: string }[]
			>`select current_setting('random_page_cost') as cost`;
			expect(row!.cost).toBe('1.1');
		} finally {
			await sql.end();
			await db.drop();
		}
	});

	it('leaves a value a DBA chose, and a role that may not alter the database, as they are', async () => {
		const db = await createTestDatabase();
		const role = `tf_plain_${randomBytes(4).toString('hex')}`;
		const admin = postgres(adminUrl, { max: 1, onnotice: () => {} });
		try {
			await admin.unsafe(`alter database ${db.name} set random_page_cost = 1.5`);
			const chosen = postgres(db.url, { max: 1, onnotice: () => {} });
			await chosen.unsafe(migration);
			await chosen.end();
			expect(await pageCost(db.url)).toBe('1.5');

			await admin.unsafe(`alter database ${db.name} reset random_page_cost`);
			await admin.unsafe(`create role ${role} login`);
			const notices: string[] = [];
			const watched = postgres(db.url, {
				max: 1,
				user: role,
				onnotice: (notice) => notices.push(String(notice.message))
			});
			await watched.unsafe(migration);
			await watched.end();
			expect(notices.join('\n')).toMatch(/random_page_cost left at 4/);
			expect(await pageCost(db.url)).toBe('4');
		} finally {
			await db.drop();
			await admin.unsafe(`drop role if exists ${role}`);
			await admin.end();
		}
	});
});
