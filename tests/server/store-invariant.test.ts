/**
 * After a store settles, `board_columns` and `tasks` equal the projection of the document,
 * whatever sequence of operations (including malformed writes) produced it; `version` and
 * `completed_at` follow the row rules.
 */
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomOperation } from '../../src/lib/domain/board/random-operations.ts';
import { createRandom } from '../../src/lib/domain/board/testing.ts';
import { moveTask, projectBoard, readBoard, createTask } from '../../src/lib/domain/board/index.ts';
import { storedRows } from '../../src/lib/server/board-rows.ts';
import { startTestApp, type TestApp } from './support/app.ts';
import { connect, waitFor } from './support/collab.ts';
import { client, createBoard, signUp } from './support/http.ts';

const seeds = Number(process.env.STORE_INVARIANT_SEEDS ?? 5);

let t: TestApp;
let sql: postgres.Sql;
beforeAll(async () => {
	// Contract checks off: the random operations include writing malformed placements (as
	// documents from before the checks hold), which the checks now refuse over the websocket.
	t = await startTestApp({ BOARD_UPDATE_CHECKS: 'off' });
	sql = postgres(t.db.url, { max: 2 });
});
afterAll(async () => {
	await sql?.end();
	await t?.stop();
});

const iso = (d: Date | null) => d?.toISOString() ?? null;
const instant = (s: string | null) => (s === null ? null : new Date(s).toISOString());

async function tableRows(boardId: string) {
	const columns = await sql`
		select id, title, rank, category, wip_limit, deleted_at from board_columns
		where board_id = ${boardId} order by id`;
	const tasks = await sql`
		select id, column_id, rank, title, description, status, priority, assignee_id, creator_id,
			labels, to_char(due_date, 'YYYY-MM-DD') as due_date, created_at, deleted_at
		from tasks where board_id = ${boardId} order by id`;
	return {
		columns: columns.map((c) => ({ ...c, deleted_at: iso(c.deleted_at) })),
		tasks: tasks.map((r) => ({
			...r,
			created_at: iso(r.created_at),
			deleted_at: iso(r.deleted_at)
		}))
	};
}

function expectedRows(doc: Parameters<typeof projectBoard>[0]) {
	const { columns, tasks } = storedRows(projectBoard(doc));
	const byId = (a: { id: string }, b: { id: string }) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
	return {
		columns: columns.sort(byId).map((c) => ({
			id: c.id,
			title: c.title,
			rank: c.rank,
			category: c.category,
			wip_limit: c.wipLimit,
			deleted_at: instant(c.deletedAt)
		})),
		tasks: tasks.sort(byId).map((r) => ({
			id: r.id,
			column_id: r.columnId,
			rank: r.rank,
			title: r.title,
			description: r.description,
			status: r.status,
			priority: r.priority,
			assignee_id: r.assigneeId,
			creator_id: r.creatorId,
			labels: r.labels,
			due_date: r.dueDate,
			created_at: instant(r.createdAt),
			deleted_at: instant(r.deletedAt)
		}))
	};
}

describe('store invariant', () => {
	it(`rows equal the projection after random operations (${seeds} seeds)`, async () => {
		const api = client(t.url);
		const ana = await signUp(api, 'Ana');
		for (let seed = 1; seed <= seeds; seed++) {
			const board = await createBoard(api, ana, `Seed ${seed}`);
			const replicas = [0, 1].map(() => connect(t.url, board.id, { token: ana.token }));
			for (const r of replicas) expect(await r.ready).toBe(true);
			const random = createRandom(seed);
			for (let step = 0; step < 80; step++) {
				randomOperation(random, { doc: random.pick(replicas).doc, ctx: { actorId: ana.id } });
			}
			await waitFor(() => replicas.every((r) => r.provider.unsyncedChanges === 0), 10_000, 'acks');
			const serverDoc = t.app.runtime.collab.hocuspocus.documents.get(`board:${board.id}`)!;
			t.app.runtime.collab.hocuspocus.flushPendingStores();
			const expected = expectedRows(serverDoc);
			expect(expected.tasks.length, `seed ${seed} made cards`).toBeGreaterThan(0);
			let actual = await tableRows(board.id);
			const deadline = Date.now() + 10_000;
			while (JSON.stringify(actual) !== JSON.stringify(expected) && Date.now() < deadline) {
				await new Promise((r) => setTimeout(r, 50));
				actual = await tableRows(board.id);
			}
			expect(actual, `seed ${seed}`).toEqual(expected);
			for (const r of replicas) r.destroy();
		}
	}, 120_000);

	it('bumps version once per change and tracks completed_at across done columns', async () => {
		const api = client(t.url);
		const ana = await signUp(api, 'Bea');
		const board = await createBoard(api, ana);
		const c = connect(t.url, board.id, { token: ana.token });
		expect(await c.ready).toBe(true);
		const [todo, , done] = readBoard(c.doc).columns;
		const taskId = createTask(c.doc, { columnId: todo!.id, title: 'ship it' }, { actorId: ana.id });

		const settle = async (check: (row: postgres.Row | undefined) => boolean) => {
			await waitFor(() => c.provider.unsyncedChanges === 0, 5000);
			t.app.runtime.collab.hocuspocus.flushPendingStores();
			let row: postgres.Row | undefined;
			const deadline = Date.now() + 5000;
			do {
				[row] = await sql`select * from tasks where board_id = ${board.id} and id = ${taskId}`;
				if (check(row)) return row!;
				await new Promise((r) => setTimeout(r, 50));
			} while (Date.now() < deadline);
			throw new Error(`row never matched: ${JSON.stringify(row)}`);
		};

		const created = await settle((r) => r !== undefined);
		expect(created.status).toBe('todo');
		expect(created.completed_at).toBeNull();

		moveTask(c.doc, { taskId, columnId: done!.id }, { actorId: ana.id });
		const completed = await settle((r) => r?.status === 'done');
		expect(completed.version).toBe(created.version + 1);
		expect(completed.completed_at).toBeInstanceOf(Date);

		moveTask(c.doc, { taskId, columnId: todo!.id }, { actorId: ana.id });
		const reopened = await settle((r) => r?.status === 'todo');
		expect(reopened.version).toBe(created.version + 2);
		expect(reopened.completed_at).toBeNull();

		// A store with nothing new for this row leaves it alone.
		createTask(c.doc, { columnId: todo!.id, title: 'another' }, { actorId: ana.id });
		await settle((r) => r !== undefined);
		const [after] =
			await sql`select version from tasks where board_id = ${board.id} and id = ${taskId}`;
		expect(after!.version).toBe(reopened.version);
		c.destroy();
	});

	it('renames through the document, so later stores keep the new title', async () => {
		const api = client(t.url);
		const ana = await signUp(api, 'Cy');
		const board = await createBoard(api, ana, 'Old title');
		const c = connect(t.url, board.id, { token: ana.token });
		expect(await c.ready).toBe(true);
		const res = await api.patch(
			`/api/v1/boards/${board.id}`,
			{ title: 'New title' },
			{ token: ana.token }
		);
		expect(res.status).toBe(200);
		expect(res.body.title).toBe('New title');
		await waitFor(
			() => readBoard(c.doc).title === 'New title',
			1000,
			'the title to reach the client'
		);

		createTask(
			c.doc,
			{ columnId: readBoard(c.doc).columns[0]!.id, title: 'x' },
			{ actorId: ana.id }
		);
		await waitFor(() => c.provider.unsyncedChanges === 0, 5000);
		t.app.runtime.collab.hocuspocus.flushPendingStores();
		await waitFor(() => false, 300).catch(() => {});
		const [row] = await sql`select title from boards where id = ${board.id}`;
		expect(row!.title).toBe('New title');
		c.destroy();
	});
});
