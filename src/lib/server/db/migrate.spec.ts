import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { numberingProblems, readMigrations, type Migration } from './migrate.ts';

const migrationsDir = fileURLToPath(new URL('../../../../migrations', import.meta.url));

function migration(number: number, slug = 'do_something'): Migration {
	const name = `${String(number).padStart(3, '0')}_${slug}.sql`;
	return { number, name, sql: 'select 1;' };
}

const temps: string[] = [];
function tempDir(files: Record<string, string>): string {
	const dir = mkdtempSync(path.join(tmpdir(), 'tf-migrations-'));
	temps.push(dir);
	for (const [name, sql] of Object.entries(files)) writeFileSync(path.join(dir, name), sql);
	return dir;
}
afterEach(() => {
	for (const dir of temps.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe('the real migrations', () => {
	const migrations = readMigrations(migrationsDir);

	it('exist and are read in order with their SQL', () => {
		expect(migrations.length).toBeGreaterThan(0);
		expect(migrations[0]!.name).toBe('001_create_users.sql');
		for (const m of migrations) {
			expect(m.name).toMatch(/^\d{3}_[a-z0-9_]+\.sql$/);
			expect(m.number).toBe(Number(m.name.slice(0, 3)));
			expect(m.sql.trim().length).toBeGreaterThan(0);
		}
	});

	it('are numbered uniquely and contiguously from 1', () => {
		expect(numberingProblems(migrations)).toEqual([]);
		expect(new Set(migrations.map((m) => m.number)).size).toBe(migrations.length);
		expect(migrations.map((m) => m.number)).toEqual(migrations.map((_, i) => i + 1));
	});
});

describe('numberingProblems', () => {
	it('accepts 1..n and an empty list', () => {
		expect(numberingProblems([migration(1), migration(2), migration(3)])).toEqual([]);
		expect(numberingProblems([])).toEqual([]);
	});

	it('detects a gap', () => {
		const problems = numberingProblems([migration(1), migration(2), migration(4)]);
		expect(problems.length).toBeGreaterThan(0);
		expect(problems.join('\n')).toContain('004_do_something.sql');
	});

	it('detects a duplicate', () => {
		const problems = numberingProblems([
			migration(1),
			migration(2, 'create_boards'),
			migration(2, 'create_cards'),
			migration(3)
		]);
		expect(problems.length).toBeGreaterThan(0);
		expect(problems.join('\n')).toMatch(/002_create_(boards|cards)\.sql/);
	});

	it('detects a list not starting at 1', () => {
		expect(numberingProblems([migration(2), migration(3)])).not.toEqual([]);
	});

	it('detects a duplicate read from disk', () => {
		const dir = tempDir({
			'001_create_users.sql': 'select 1;',
			'002_create_boards.sql': 'select 2;',
			'002_create_cards.sql': 'select 3;'
		});
		expect(numberingProblems(readMigrations(dir))).not.toEqual([]);
	});
});

describe('readMigrations', () => {
	it('sorts by number and ignores files that are not .sql', () => {
		const dir = tempDir({
			'002_create_boards.sql': 'create table b ();',
			'001_create_users.sql': 'create table a ();',
			'README.md': '# notes',
			'010_add_index.sql.bak': 'nope'
		});
		const migrations = readMigrations(dir);
		expect(migrations.map((m) => [m.number, m.name, m.sql])).toEqual([
			[1, '001_create_users.sql', 'create table a ();'],
			[2, '002_create_boards.sql', 'create table b ();']
		]);
	});

	it.each([
		'1_create_users.sql',
		'0001_create_users.sql',
		'001-create-users.sql',
		'001_Create.sql'
	])('rejects the badly named file %s', (bad) => {
		const dir = tempDir({ '001_create_users.sql': 'select 1;', [bad]: 'select 2;' });
		expect(() => readMigrations(dir)).toThrow(bad);
	});
});
