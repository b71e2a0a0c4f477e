/**
 * `loadBoardStates`: the stored state of several boards in one statement (a reconnect storm
 * loads every board at once), each as `loadBoardState` reads it alone: snapshot, revision and
 * log rows in id order.
 */
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
	appendUpdates,
	loadBoardState,
	loadBoardStates,
	reserveUpdateIds,
	writeSnapshot
} from '../../src/lib/server/board-documents.ts';
import { createSql, type Sql } from '../../src/lib/server/db/client.ts';
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

async function createBoards(count: number): Promise<string[]> {
	const [user] = await sql<{ id: string }[]>`
		insert into users (email, password_hash, display_name)
		values (${`${randomUUID()}@example.com`}, 'x', 'Owner') returning id`;
	const rows = await sql<{ id: string }[]>`
		insert into boards (title, owner_id)
		select 'Board ' || g, ${user!.id} from generate_series(1, ${count}) g returning id`;
	return rows.map((row) => row.id);
}

describe('loadBoardStates', () => {
	it('reads each board as loadBoardState does, log rows in id order', async () => {
		const [withBoth, snapshotOnly, logOnly, empty] = await createBoards(4);
		await sql.begin(async (tx) => {
			await writeSnapshot(tx, {
				boardId: withBoth!,
				snapshot: Uint8Array.of(1, 2),
				coveredIds: []
			});
			await writeSnapshot(tx, { boardId: withBoth!, snapshot: Uint8Array.of(3), coveredIds: [] });
			await writeSnapshot(tx, {
				boardId: snapshotOnly!,
				snapshot: Uint8Array.of(4),
				coveredIds: []
			});
		});
		const [a, b, c] = await reserveUpdateIds(sql, 3);
		const actor = null;
		// Committed out of id order, as concurrent appends are.
		await appendUpdates(sql, [
			{ id: c!, boardId: withBoth!, update: Uint8Array.of(7), actorId: actor }
		]);
		await appendUpdates(sql, [
			{ id: a!, boardId: withBoth!, update: Uint8Array.of(5), actorId: actor },
			{ id: b!, boardId: logOnly!, update: Uint8Array.of(6), actorId: actor }
		]);
		const missing = randomUUID();
		const ids = [withBoth!, snapshotOnly!, logOnly!, empty!, missing];

		const states = await loadBoardStates(sql, ids);
		expect([...states.keys()]).toEqual(ids);
		for (const id of ids) expect(states.get(id)).toEqual(await loadBoardState(sql, id));

		const both = states.get(withBoth!)!;
		expect(both.snapshot).toEqual(Uint8Array.of(3));
		expect(both.revision).toBe(1);
		expect(both.updates.map((u) => [u.id, [...u.update]])).toEqual([
			[a, [5]],
			[c, [7]]
		]);
		expect(states.get(snapshotOnly!)).toMatchObject({ revision: 0, updates: [] });
		expect(states.get(logOnly!)).toMatchObject({ snapshot: null, revision: 0 });
		expect(states.get(empty!)).toEqual({ snapshot: null, revision: 0, updates: [] });
		expect(states.get(missing)).toEqual({ snapshot: null, revision: 0, updates: [] });
	});

	it('appends a batch of large updates, sliced, every byte intact, rows already in skipped', async () => {
		const [boardId] = await createBoards(1);
		// 5 × 4 MiB: about 28 MB of base64, more than one append statement carries.
		const ids = await reserveUpdateIds(sql, 5);
		const entries = ids.map((id) => ({
			id,
			boardId: boardId!,
			update: new Uint8Array(randomBytes(4 * 1024 * 1024)),
			actorId: null
		}));
		// As after a failure between two slices: the first is in, the batch is tried again.
		await appendUpdates(sql, entries.slice(0, 1));
		await appendUpdates(sql, entries);
		// A retry of a batch whose answer was lost writes nothing twice.
		await appendUpdates(sql, entries);
		const stored = await sql<{ id: number; digest: string; bytes: number }[]>`
			select id, md5(update) as digest, length(update) as bytes from board_updates
			where board_id = ${boardId!} order by id`;
		expect(stored.map((row) => [Number(row.id), row.digest, row.bytes])).toEqual(
			entries.map((e) => [e.id, createHash('md5').update(e.update).digest('hex'), e.update.length])
		);
	});

	it('appends again after the connection lost its prepared statements (the driver retries)', async () => {
		const [boardId] = await createBoards(1);
		const one = createSql({ url: db.url, max: 1 });
		try {
			const [first, second] = await reserveUpdateIds(one, 2);
			const entry = (id: number, byte: number) => ({
				id,
				boardId: boardId!,
				update: Uint8Array.of(byte, 1, 2),
				actorId: null
			});
			await appendUpdates(one, [entry(first!, 9)]);
			// As a pooler or a DISCARD leaves it: postgres.js then gets "prepared statement does
			// not exist" and sends the statement again with the parameters it already serialized.
			await one`deallocate all`;
			await appendUpdates(one, [entry(second!, 8)]);
		} finally {
			await one.end();
		}
		const stored = await sql<{ update: Buffer }[]>`
			select update from board_updates where board_id = ${boardId!} order by id`;
		expect(stored.map((row) => [...row.update])).toEqual([
			[9, 1, 2],
			[8, 1, 2]
		]);
	});
});
