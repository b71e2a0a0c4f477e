/**
 * A store that writes thousands of rows at once (in slices), and an edit of one card on such a
 * board, which must not read the whole table. A card edit that changes no indexed column is a
 * HOT update of its row (migration 024): the row mirror's write adds no index entries.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { createTask, readBoard, updateTask } from '../../src/lib/domain/board/index.ts';
import { projectTasks, type TaskRow } from '../../src/lib/domain/board/projection.ts';
import { upsertTouchedTasks } from '../../src/lib/server/board-rows.ts';
import { createSql, type Sql, type Tx } from '../../src/lib/server/db/client.ts';
import { persistBoard } from '../../server/persistence/board-store.ts';
import { startTestApp, type TestApp } from './support/app.ts';
import { client, createBoard, signUp } from './support/http.ts';

let t: TestApp;
let sql: Sql;
beforeAll(async () => {
	t = await startTestApp();
	sql = createSql({ url: t.db.url, max: 2 });
});
afterAll(async () => {
	await sql?.end();
	await t?.stop();
});

describe('large stores', () => {
	it('writes 5,000 new card rows in one store', async () => {
		const ana = await signUp(client(t.url), 'Ana');
		const board = await createBoard(client(t.url), ana);
		const [row] = await sql<{ snapshot: Buffer }[]>`
			select snapshot from board_documents where board_id = ${board.id}`;
		const doc = new Y.Doc();
		Y.applyUpdate(doc, new Uint8Array(row!.snapshot));
		const column = readBoard(doc).columns[0]!.id;
		for (let i = 0; i < 5000; i++) {
			createTask(
				doc,
				{ columnId: column, title: `card ${i}` },
				{ actorId: ana.id, newId: randomUUID }
			);
		}
		// As startup recovery stores a board whose rows lag the whole document.
		await persistBoard(sql, { boardId: board.id, doc, coveredIds: [], revision: 0, allRows: true });
		const [count] = await sql<{ n: number }[]>`
			select count(*)::int as n from tasks where board_id = ${board.id}`;
		expect(count!.n).toBe(5000);

		// An edit's row write between stores: the touched card's row only. (Its batch comes as
		// one JSON parameter, which the planner takes for 100 rows: joined with the table as
		// it stood, it read all of it per write.)
		const card = readBoard(doc).columns[0]!.tasks[4321]!.id;
		updateTask(doc, { taskId: card, title: 'Edited' }, { actorId: ana.id });
		await sql`analyze tasks`;
		await sql.begin(async (tx) => {
			// This transaction's own counts, so nothing else on the server can move them.
			const seqScans = async () => {
				const [stats] = await tx<{ n: number }[]>`
					select seq_scan::int as n from pg_stat_xact_user_tables where relname = 'tasks'`;
				return stats!.n;
			};
			const before = await seqScans();
			await upsertTouchedTasks(tx, [
				{ boardId: board.id, tasks: projectTasks(doc, [card]), taskIds: new Set([card]) }
			]);
			expect((await seqScans()) - before).toBe(0);
		});
		const [edited] = await sql<{ title: string; version: number }[]>`
			select title, version from tasks where board_id = ${board.id} and id = ${card}`;
		expect(edited).toEqual({ title: 'Edited', version: 2 });
	}, 60_000);
});

/** Row updates of `tasks` in this transaction alone, so nothing else on the server moves them. */
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
		await sql.begin((tx) => write(tx, cards));
		const edited = [cards[0]!, cards[7]!, cards[13]!, cards[19]!];
		// The edit must change `updated_at` (a later transaction) but not its minute, which is
		// indexed: should a minute have begun since the rows were written, they are stamped again.
		let counted: { all: number; hot: number } | null = null;
		for (let attempt = 0; attempt < 3 && !counted; attempt++) {
			counted = await sql.begin(async (tx) => {
				const [minute] = await tx<{ same: boolean }[]>`
					select bool_and(updated_minute = task_minute(now())) as same
					from tasks where board_id = ${boardId}`;
				if (!minute!.same) {
					await tx`update tasks set updated_at = now() where board_id = ${boardId}`;
					return null;
				}
				const before = await updates(tx);
				await write(
					tx,
					edited.map((card) => ({ ...card, title: `${card.title} edited` }))
				);
				const after = await updates(tx);
				return { all: after.all - before.all, hot: after.hot - before.hot };
			});
		}
		expect(counted).toEqual({ all: 4, hot: 4 });

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
