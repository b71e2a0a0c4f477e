/**
 * A card edit that changes no indexed column is a HOT update of its row (migration 024): the
 * row mirror's write adds no index entries. Counted by PostgreSQL for this transaction alone
 * (`pg_stat_xact_user_tables`), so nothing else on the server moves the figures.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TaskRow } from '../../src/lib/domain/board/projection.ts';
import { upsertTouchedTasks } from '../../src/lib/server/board-rows.ts';
import { createSql, type Sql, type Tx } from '../../src/lib/server/db/client.ts';
import { migrate } from '../../src/lib/server/db/migrate.ts';
import { migrationsDir } from '../../server/runtime.ts';
import { createTestDatabase, type TestDatabase } from './support/database.ts';

let db: TestDatabase;
let sql: Sql;
beforeAll(async () => {
	db = await createTestDatabase();
	sql = createSql({ url: db.url, max: 2 });
	await migrate(sql, migrationsDir);
});
afterAll(async () => {
	await sql?.end();
	await db?.drop();
});

async function updates(tx: Tx): Promise<{ all: number; hot: number }> {
	const [row] = await tx<{ all: number; hot: number }[]>`
		select n_tup_upd::int as all, n_tup_hot_upd::int as hot
		from pg_stat_xact_user_tables where relname = 'tasks'`;
	return row!;
}

describe('card row writes', () => {
	it('writes a title edit as a HOT update and a status change as a full one', async () => {
		const [user] = await sql<{ id: string }[]>`
			insert into users (email, password_hash, display_name) values ('hot@x', '-', 'H')
			returning id`;
		const [board] = await sql<{ id: string }[]>`
			insert into boards (title, owner_id) values ('Hot', ${user!.id}) returning id`;
		const boardId = board!.id;
		const cards: TaskRow[] = Array.from({ length: 20 }, (_, i) => ({
			id: randomUUID(),
			columnId: randomUUID(),
			rank: `a${i}`,
			title: `card ${i}`,
			description: '',
			status: 'todo',
			priority: 'medium',
			assigneeId: null,
			creatorId: user!.id,
			createdAt: new Date().toISOString(),
			dueDate: null,
			labels: ['x'],
			checklist: [],
			deletedAt: null
		}));
		const write = (tx: Tx, rows: TaskRow[]) =>
			upsertTouchedTasks(tx, [{ boardId, tasks: rows, taskIds: new Set(rows.map((r) => r.id)) }]);
		const edited = [cards[0]!, cards[7]!, cards[13]!, cards[19]!];
		// Written and edited in one transaction: both writes stamp the same `now()`, so no minute
		// boundary can fall between them (a new minute is an indexed change, never HOT).
		await sql.begin(async (tx) => {
			await write(tx, cards);
			const before = await updates(tx);
			await write(
				tx,
				edited.map((card) => ({ ...card, title: `${card.title} edited` }))
			);
			const after = await updates(tx);
			expect(after.all - before.all).toBe(4);
			expect(after.hot - before.hot).toBe(4);
		});

		// A status is indexed: that write adds index entries, so the count above can tell.
		await sql.begin(async (tx) => {
			const before = await updates(tx);
			await write(tx, [{ ...cards[3]!, status: 'done' }]);
			const after = await updates(tx);
			expect(after.all - before.all).toBe(1);
			expect(after.hot - before.hot).toBe(0);
		});

		const [row] = await sql<{ title: string; version: number; minute: number; at: Date }[]>`
			select title, version, updated_minute as minute, updated_at as at from tasks
			where board_id = ${boardId} and id = ${cards[7]!.id}`;
		expect(row).toMatchObject({ title: 'card 7 edited', version: 2 });
		expect(row!.minute).toBe(Math.floor(row!.at.getTime() / 60_000));
	});
});
