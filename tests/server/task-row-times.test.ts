/**
 * Task reads take their times as ISO text from PostgreSQL (`taskColumns`) instead of parsing
 * Dates and printing them again: the text must be exactly what `toISOString` printed for the
 * driver's Date, microseconds truncated the same way, across the ends of a millisecond, a
 * day and a year, and null where the time is unset, whatever the session's time zone.
 */
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getTaskRows, toTaskDto } from '../../src/lib/server/api/board-rows-read.ts';
import { listTasks } from '../../src/lib/server/api/task-list.ts';
import type { Sql } from '../../src/lib/server/db/client.ts';
import { createMigratedDatabase, type TestDatabase } from './support/database.ts';

let db: TestDatabase;
let sql: Sql;
beforeAll(async () => {
	({ db, sql } = await createMigratedDatabase());
});
afterAll(async () => {
	await sql?.end();
	await db?.drop();
});

const instants = [
	'2026-12-07 00:41:52.123999+00',
	'2026-12-07 00:41:52.000001+00',
	'2026-12-31 23:59:59.999999+00',
	'2027-01-01 00:00:00+00',
	'2026-06-15 12:30:45.5+02',
	'1999-12-31 23:59:59.9995-05'
];

describe('task times', () => {
	it('reads as the ISO text the driver’s Dates printed', async () => {
		const [user] = await sql<{ id: string }[]>`
			insert into users (email, password_hash, display_name) values ('times@x', '-', 'T')
			returning id`;
		const [board] = await sql<{ id: string }[]>`
			insert into boards (title, owner_id) values ('Times', ${user!.id}) returning id`;
		const boardId = board!.id;
		// Every instant in every time column, unset ones included (live tasks have no deletion).
		const ids: string[] = [];
		for (const [i, at] of instants.entries()) {
			const other = instants[(i + 1) % instants.length]!;
			const [row] = await sql<{ id: string }[]>`
				insert into tasks (board_id, id, column_id, rank, title, status, priority,
					created_at, updated_at, completed_at, deleted_at)
				values (${boardId}, gen_random_uuid(), null, ${`r${i}`}, ${`t${i}`}, 'done', 'low',
					${at}::timestamptz, ${other}::timestamptz,
					${i % 2 === 0 ? at : null}::timestamptz, ${i % 3 === 0 ? other : null}::timestamptz)
				returning id`;
			ids.push(row!.id);
		}
		// The times as the driver parses them, printed as the API used to print them.
		const parsed = await sql<
			{
				id: string;
				created_at: Date;
				updated_at: Date;
				completed_at: Date | null;
				deleted_at: Date | null;
			}[]
		>`select id, created_at, updated_at, completed_at, deleted_at from tasks
			where board_id = ${boardId}`;
		const iso = (d: Date | null) => d?.toISOString() ?? null;
		const expected = new Map(
			parsed.map((row) => [
				row.id,
				{
					createdAt: iso(row.created_at),
					updatedAt: iso(row.updated_at),
					completedAt: iso(row.completed_at),
					deletedAt: iso(row.deleted_at)
				}
			])
		);
		const times = (dto: ReturnType<typeof toTaskDto>) => ({
			createdAt: dto.createdAt,
			updatedAt: dto.updatedAt,
			completedAt: dto.completedAt,
			deletedAt: dto.deletedAt
		});

		// Read in a session whose time zone is not UTC (+05:45): a server configured so must still
		// answer in UTC.
		const zoned = postgres(db.url, {
			max: 1,
			onnotice: () => {},
			connection: { TimeZone: 'Asia/Kathmandu' }
		}) as unknown as Sql;
		try {
			const byId = (await getTaskRows(zoned, boardId, ids)).map(toTaskDto);
			expect(byId).toHaveLength(instants.length);
			for (const dto of byId) expect(times(dto), dto.title).toEqual(expected.get(dto.id));

			const page = await listTasks(zoned, boardId, { includeDeleted: true, limit: 50 });
			expect(page.items).toHaveLength(instants.length);
			for (const dto of page.items) expect(times(dto), dto.title).toEqual(expected.get(dto.id));
		} finally {
			await zoned.end();
		}
	});
});
