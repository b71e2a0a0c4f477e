/**
 * `users.last_active_at` from many sockets at once: the users seen in one turn (or, for
 * `seen`, within the gathering window) are written together, each once per window, and a user
 * written within the window is left alone.
 */
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSql } from '../../src/lib/server/db/client.ts';
import { createLogger } from '../../src/lib/server/log.ts';
import { UserActivity } from '../../src/lib/server/user-activity.ts';
import { createMigratedDatabase, type TestDatabase } from './support/database.ts';

let db: TestDatabase;
let sql: postgres.Sql<Record<string, never>>;
let ids: string[];

beforeAll(async () => {
	({ db, sql } = await createMigratedDatabase());
	const rows = await sql<{ id: string }[]>`
		insert into users (email, password_hash, display_name)
		select 'user' || g || '@example.com', 'x', 'User ' || g from generate_series(1, 5) g
		returning id`;
	ids = rows.map((row) => row.id);
});

afterAll(async () => {
	await sql?.end();
	await db?.drop();
});

const lastActive = async () =>
	new Map(
		(
			await sql<{ id: string; last_active_at: Date | null }[]>`
				select id, last_active_at from users where id = any(${ids}::uuid[])`
		).map((row) => [row.id, row.last_active_at?.getTime() ?? null])
	);

describe('UserActivity', () => {
	it('records every user seen in one turn, and each only once per window', async () => {
		const activity = new UserActivity({ sql, log: createLogger({ logLevel: 'silent' }) });
		// An earlier write within the window (another instance's): left as it is.
		const earlier = new Date(Date.now() - 60_000);
		await sql`update users set last_active_at = ${earlier} where id = ${ids[0]!}`;
		await Promise.all(ids.map((id) => activity.record(id)));
		const after = await lastActive();
		expect(after.get(ids[0]!)).toBe(earlier.getTime());
		for (const id of ids.slice(1)) expect(after.get(id)).toBeGreaterThan(earlier.getTime());

		// Seen again within the window: no write at all (the row keeps the stored time).
		await sql`update users set last_active_at = null where id = ${ids[1]!}`;
		activity.seen(ids[1]!);
		await activity.record(ids[2]!); // a write that would land after any pending one
		expect((await lastActive()).get(ids[1]!)).toBeNull();
	});

	it('gathers the users seen within gatherMs into one write, and flush writes them at once', async () => {
		await sql`update users set last_active_at = null where id = any(${ids}::uuid[])`;
		const statements: string[] = [];
		const counted = createSql({ url: db.url, max: 1 });
		const counting = new Proxy(counted, {
			apply(target, self, args: Parameters<typeof counted>) {
				statements.push(String(args[0]));
				return Reflect.apply(target, self, args);
			}
		});
		try {
			const activity = new UserActivity({
				sql: counting,
				log: createLogger({ logLevel: 'silent' }),
				gatherMs: 60_000
			});
			// Seen in separate turns, as sockets authenticating one after another are.
			for (const id of ids.slice(0, 3)) {
				activity.seen(id);
				await new Promise((resolve) => setImmediate(resolve));
			}
			expect(statements).toEqual([]);
			await activity.flush();
			expect(statements).toHaveLength(1);
			const after = await lastActive();
			for (const id of ids.slice(0, 3)) expect(after.get(id)).not.toBeNull();
			for (const id of ids.slice(3)) expect(after.get(id)).toBeNull();
			// After close (shutdown), a late sign of life is not gathered: flushing writes nothing.
			await activity.close();
			activity.seen(ids[3]!);
			await activity.flush();
			expect(statements).toHaveLength(1);
			expect((await lastActive()).get(ids[3]!)).toBeNull();
		} finally {
			await counted.end();
		}
	});
});
