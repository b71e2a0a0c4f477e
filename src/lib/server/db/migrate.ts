/**
 * Forward-only migrations from `migrations/NNN_verb_object.sql`, each applied in its own
 * transaction and recorded, so a half-applied migration can never be mistaken for done.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { Sql } from './client.ts';

export interface Migration {
	number: number;
	name: string;
	sql: string;
}

const fileName = /^(\d{3})_([a-z0-9_]+)\.sql$/;

export function readMigrations(dir: string): Migration[] {
	const files = readdirSync(dir).filter((f) => f.endsWith('.sql'));
	return files
		.map((file) => {
			const match = fileName.exec(file);
			if (!match) throw new Error(`Migration file "${file}" does not match NNN_verb_object.sql`);
			return {
				number: Number(match[1]),
				name: file,
				sql: readFileSync(path.join(dir, file), 'utf8')
			};
		})
		.sort((a, b) => a.number - b.number);
}

/** Numbers must run 1, 2, 3… with no gaps or repeats; returns the problems found. */
export function numberingProblems(migrations: Migration[]): string[] {
	const problems: string[] = [];
	migrations.forEach((m, i) => {
		if (m.number !== i + 1) problems.push(`expected migration ${i + 1}, found ${m.name}`);
	});
	return problems;
}

/**
 * Instances starting together (a deployment's replicas, a scaled-up compose service) run this at
 * the same moment. Each migration's transaction first takes this transaction-scoped advisory
 * lock and then checks again whether the migration is still to do, so one instance applies it
 * and the others, waiting on the lock, find it done. Before, the second instance ran the same
 * DDL into the first's and exited ("relation … already exists").
 */
const migrationLock = "select pg_advisory_xact_lock(hashtext('taskflow.migrations'))";
/**
 * The check after the lock must see what the instance that held it committed: under read
 * committed each statement reads anew; a database defaulting to repeatable read would have
 * fixed the transaction's snapshot at the lock statement, before that commit.
 */
const isolation = 'isolation level read committed';

export async function migrate(sql: Sql, dir: string): Promise<string[]> {
	const migrations = readMigrations(dir);
	const problems = numberingProblems(migrations);
	if (problems.length > 0) throw new Error(`Migrations are misnumbered: ${problems.join('; ')}`);
	// Under the lock too: two `create table if not exists` at once can both try to create it.
	await sql.begin(isolation, async (tx) => {
		await tx.unsafe(migrationLock);
		await tx`
			create table if not exists schema_migrations (
				number integer primary key,
				name text not null,
				applied_at timestamptz not null default now()
			)`;
	});
	const applied = new Set(
		(await sql<{ number: number }[]>`select number from schema_migrations`).map((r) => r.number)
	);
	const done: string[] = [];
	for (const m of migrations) {
		if (applied.has(m.number)) continue;
		const ran = await sql.begin(isolation, async (tx) => {
			await tx.unsafe(migrationLock);
			const [already] = await tx`select 1 from schema_migrations where number = ${m.number}`;
			if (already) return false;
			await tx.unsafe(m.sql);
			await tx`insert into schema_migrations (number, name) values (${m.number}, ${m.name})`;
			return true;
		});
		if (ran) done.push(m.name);
	}
	return done;
}
