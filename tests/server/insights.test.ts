/**
 * Board insights: a scripted history with known answers (written straight into the tables, with
 * controlled timestamps), the row sync's transitions, the back-fill of migration 014, and who
 * may ask.
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readdirSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { upsertTouchedTasks } from '../../src/lib/server/board-rows.ts';
import { createSql, type Sql } from '../../src/lib/server/db/client.ts';
import { migrate } from '../../src/lib/server/db/migrate.ts';
import type { TaskRow } from '../../src/lib/domain/board/projection.ts';
import { migrationsDir } from '../../server/migrations-dir.ts';
import { createTestDatabase } from './support/database.ts';
import { expectProblem } from './support/problem.ts';
import { startTaskApi, type TaskApi } from './support/task-api.ts';

let s: TaskApi;
let sql: Sql;
beforeAll(async () => {
	s = await startTaskApi();
	sql = createSql({ url: s.t.db.url, max: 2 });
}, 60_000);
afterAll(async () => {
	await sql?.end();
	await s?.t.stop();
});

const insights = (boardId: string, query = '', token = s.ana.token) =>
	s.api.get(`/api/v1/boards/${boardId}/insights${query}`, { token });

interface Transitions {
	from: string | null;
	to: string;
}

const transitionsOf = (boardId: string, taskId: string) =>
	sql<(Transitions & { at: Date })[]>`
		select from_category as from, to_category as to, at from task_transitions
		where board_id = ${boardId} and task_id = ${taskId} order by at, id`;

/**
 * A board only in the tables (no document, so no row sync touches it): four columns, one deleted,
 * and cards whose moves are dated.
 */
async function scriptedBoard() {
	const boardId = randomUUID();
	await sql`insert into boards (id, title, owner_id) values (${boardId}, 'Scripted', ${s.ana.id})`;
	await sql`insert into board_members (board_id, user_id, role) values (${boardId}, ${s.ana.id}, 'owner')`;
	const col = { todo: randomUUID(), doing: randomUUID(), done: randomUUID(), gone: randomUUID() };
	await sql`
		insert into board_columns (board_id, id, title, rank, category, wip_limit, deleted_at) values
			(${boardId}, ${col.todo}, 'To do', 'a', 'todo', null, null),
			(${boardId}, ${col.doing}, 'Doing', 'b', 'in_progress', 2, null),
			(${boardId}, ${col.done}, 'Done', 'c', 'done', null, null),
			(${boardId}, ${col.gone}, 'Old', 'd', 'todo', 5, '2026-03-01T00:00:00Z')`;
	const ids: Record<string, string> = {};
	async function card(
		name: string,
		column: string,
		moves: [string, string][],
		deletedAt: string | null = null
	) {
		const id = randomUUID();
		ids[name] = id;
		const status = moves.at(-1)![1];
		await sql`
			insert into tasks (board_id, id, column_id, rank, title, status, priority, created_at, deleted_at)
			values (${boardId}, ${id}, ${column}, ${name}, ${'Card ' + name}, ${status}, 'medium',
				${moves[0]![0]}, ${deletedAt})`;
		let from: string | null = null;
		for (const [at, to] of moves) {
			await sql`
				insert into task_transitions (board_id, task_id, from_category, to_category, at)
				values (${boardId}, ${id}, ${from}, ${to}, ${at})`;
			from = to;
		}
	}
	const d = (day: string, time: string) => `2026-03-${day}T${time}:00Z`;
	await card('A', col.done, [
		['2026-02-20T10:00:00Z', 'todo'],
		[d('03', '09:00'), 'in_progress'],
		[d('05', '09:00'), 'done']
	]);
	await card('B', col.done, [
		[d('02', '08:00'), 'todo'],
		[d('02', '12:00'), 'in_progress'],
		[d('10', '12:00'), 'done']
	]);
	await card('C', col.doing, [
		[d('04', '10:00'), 'todo'],
		[d('06', '00:00'), 'in_progress']
	]);
	await card('D', col.todo, [[d('04', '11:00'), 'todo']]);
	// Done without ever being in progress: throughput, but no cycle time.
	await card('E', col.done, [
		[d('03', '10:00'), 'todo'],
		[d('11', '10:00'), 'done']
	]);
	// Completed, then deleted: it leaves the flow on the 13th, but was completed.
	await card(
		'F',
		col.done,
		[
			[d('02', '09:00'), 'todo'],
			[d('03', '00:00'), 'in_progress'],
			[d('12', '00:00'), 'done']
		],
		d('13', '12:00')
	);
	await card('G', col.todo, [[d('16', '08:00'), 'todo']]);
	// Completed the day before the range: in the starting count only.
	await card('H', col.done, [
		[d('01', '10:00'), 'todo'],
		[d('01', '12:00'), 'in_progress'],
		[d('01', '18:00'), 'done']
	]);
	return { boardId, col, ids };
}

describe('GET /api/v1/boards/:id/insights', () => {
	it('answers a scripted history with the known figures', async () => {
		const { boardId, col, ids } = await scriptedBoard();
		const res = await insights(boardId, '?from=2026-03-02&to=2026-03-15');
		expect(res.status, JSON.stringify(res.body)).toBe(200);
		const { body } = res;
		expect(body.from).toBe('2026-03-02');
		expect(body.to).toBe('2026-03-15');
		// [todo, in progress, done] at the end of each day from the 2nd to the 15th.
		const flow = [
			[2, 1, 1],
			[1, 3, 1],
			[3, 3, 1],
			[3, 2, 2],
			[2, 3, 2],
			[2, 3, 2],
			[2, 3, 2],
			[2, 3, 2],
			[2, 2, 3],
			[1, 2, 4],
			[1, 1, 5],
			[1, 1, 4],
			[1, 1, 4],
			[1, 1, 4]
		];
		expect(body.cumulativeFlow).toEqual(
			flow.map(([todo, inProgress, done], i) => ({
				date: `2026-03-${String(i + 2).padStart(2, '0')}`,
				todo,
				inProgress,
				done
			}))
		);
		expect(body.throughput).toEqual([
			{ week: '2026-W10', weekStart: '2026-03-02', completed: 1 },
			{ week: '2026-W11', weekStart: '2026-03-09', completed: 3 }
		]);
		expect(body.cycleTime.cards).toEqual([
			{ taskId: ids.A, title: 'Card A', completedAt: '2026-03-05T09:00:00.000Z', hours: 48 },
			{ taskId: ids.B, title: 'Card B', completedAt: '2026-03-10T12:00:00.000Z', hours: 192 },
			{ taskId: ids.F, title: 'Card F', completedAt: '2026-03-12T00:00:00.000Z', hours: 216 }
		]);
		expect(body.cycleTime.medianHours).toBe(192);
		// percentile_cont: 192 + 0.7 × (216 − 192).
		expect(body.cycleTime.p85Hours).toBeCloseTo(208.8, 9);
		// G (the 16th) is after the range but counts in the WIP, which is now.
		expect(body.wip).toEqual([
			{ columnId: col.todo, title: 'To do', category: 'todo', cards: 2, limit: null },
			{ columnId: col.doing, title: 'Doing', category: 'in_progress', cards: 1, limit: 2 },
			{ columnId: col.done, title: 'Done', category: 'done', cards: 4, limit: null }
		]);
	});

	it('counts only what falls inside a narrower range', async () => {
		const { boardId } = await scriptedBoard();
		const { body } = await insights(boardId, '?from=2026-03-06&to=2026-03-10');
		expect(body.cumulativeFlow.map((d: { date: string }) => d.date)).toEqual([
			'2026-03-06',
			'2026-03-07',
			'2026-03-08',
			'2026-03-09',
			'2026-03-10'
		]);
		expect(body.cumulativeFlow[0]).toMatchObject({ todo: 2, inProgress: 3, done: 2 });
		// The week of the 6th starts on the 2nd; A (the 5th) is before the range.
		expect(body.throughput).toEqual([
			{ week: '2026-W10', weekStart: '2026-03-02', completed: 0 },
			{ week: '2026-W11', weekStart: '2026-03-09', completed: 1 }
		]);
		expect(body.cycleTime.cards.map((c: { title: string }) => c.title)).toEqual(['Card B']);
		expect(body.cycleTime.medianHours).toBe(192);
		expect(body.cycleTime.p85Hours).toBe(192);
	});

	it('has empty figures for a quiet range, and defaults to the last 30 days', async () => {
		const { boardId } = await scriptedBoard();
		const quiet = await insights(boardId, '?from=2025-01-01&to=2025-01-03');
		expect(quiet.body.cumulativeFlow).toEqual([
			{ date: '2025-01-01', todo: 0, inProgress: 0, done: 0 },
			{ date: '2025-01-02', todo: 0, inProgress: 0, done: 0 },
			{ date: '2025-01-03', todo: 0, inProgress: 0, done: 0 }
		]);
		expect(quiet.body.cycleTime).toEqual({ cards: [], medianHours: null, p85Hours: null });
		const today = new Date().toISOString().slice(0, 10);
		const fallback = await insights(boardId);
		expect(fallback.status).toBe(200);
		expect(fallback.body.to).toBe(today);
		expect(fallback.body.cumulativeFlow).toHaveLength(30);
		expect(fallback.body.cumulativeFlow.at(-1).date).toBe(today);
	});

	it('lets every reader ask, hides the board from others, and refuses bad dates with 422', async () => {
		const board = await s.newBoard();
		expectProblem(await s.api.get(`/api/v1/boards/${board.id}/insights`), 401);
		expectProblem(await insights(board.id, '', s.out.token), 404);
		expect((await insights(board.id, '', s.vic.token)).status).toBe(200);
		expect((await insights(board.id, '', s.readToken)).status).toBe(200);
		for (const query of ['?from=2026-02-30', '?to=03/01/2026', '?from=2026-3-1']) {
			expectProblem(await insights(board.id, query), 422);
		}
		const reversed = await insights(board.id, '?from=2026-03-02&to=2026-03-01');
		expectProblem(reversed, 422);
		expect(reversed.body.errors).toHaveProperty('from');
		expectProblem(await insights(board.id, '?from=2025-01-01&to=2026-01-02'), 422);
		const longest = await insights(board.id, '?from=2025-01-01&to=2026-01-01');
		expect(longest.status).toBe(200);
		expect(longest.body.cumulativeFlow).toHaveLength(366);
	});
});

describe('transitions written by the row sync', () => {
	it('records creation and each change of category once, and nothing for other edits', async () => {
		const board = await s.newBoard();
		const [, doing, done] = board.columns.map((c) => c.id);
		const task = await s.newTask(board);
		const of = () => transitionsOf(board.id, task.id);
		expect((await of()).map(({ from, to }) => ({ from, to }))).toEqual([
			{ from: null, to: 'todo' }
		]);
		const patch = (body: object) =>
			s.api.patch(`/api/v1/tasks/${task.id}`, body, { token: s.ana.token });
		const move = (columnId: string) =>
			s.api.post(`/api/v1/tasks/${task.id}/move`, { columnId }, { token: s.ana.token });
		expect((await patch({ title: 'Renamed' })).status).toBe(200);
		expect(await of()).toHaveLength(1);
		expect((await move(doing!)).status).toBe(200);
		expect((await move(done!)).status).toBe(200);
		const history = await of();
		expect(history.map(({ from, to }) => ({ from, to }))).toEqual([
			{ from: null, to: 'todo' },
			{ from: 'todo', to: 'in_progress' },
			{ from: 'in_progress', to: 'done' }
		]);
		// The same transaction as the row: entering done is dated exactly like completed_at.
		const [row] = await sql<{ completed_at: Date }[]>`
			select completed_at from tasks where board_id = ${board.id} and id = ${task.id}`;
		expect(history[2]!.at.getTime()).toBe(row!.completed_at.getTime());
		expect((await patch({ title: 'Again' })).status).toBe(200);
		expect(await of()).toHaveLength(3);
	});

	it('writes a transition only with its row: a failed transaction leaves neither', async () => {
		const board = await s.newBoard();
		const columnId = board.columns[1]!.id;
		const row: TaskRow = {
			id: randomUUID(),
			columnId,
			rank: 'a',
			title: 'Direct',
			description: '',
			status: 'in_progress',
			priority: 'low',
			assigneeId: null,
			creatorId: s.ana.id,
			createdAt: new Date().toISOString(),
			dueDate: null,
			labels: [],
			checklist: [],
			deletedAt: null
		};
		const touched = { boardId: board.id, tasks: [row], taskIds: new Set([row.id]) };
		await expect(
			sql.begin(async (tx) => {
				await upsertTouchedTasks(tx, [touched]);
				expect(await tx`select 1 from task_transitions where task_id = ${row.id}`).toHaveLength(1);
				throw new Error('rolled back');
			})
		).rejects.toThrow('rolled back');
		expect(await sql`select 1 from tasks where id = ${row.id}`).toHaveLength(0);
		expect(await transitionsOf(board.id, row.id)).toHaveLength(0);
		// Written for real, then again unchanged: one transition, not two.
		await sql.begin((tx) => upsertTouchedTasks(tx, [touched]));
		await sql.begin((tx) => upsertTouchedTasks(tx, [touched]));
		expect((await transitionsOf(board.id, row.id)).map(({ from, to }) => ({ from, to }))).toEqual([
			{ from: null, to: 'in_progress' }
		]);
		await sql.begin((tx) =>
			upsertTouchedTasks(tx, [{ ...touched, tasks: [{ ...row, status: 'done' }] }])
		);
		expect(await transitionsOf(board.id, row.id)).toHaveLength(2);
	});
});

describe('migration 014 back-fill', () => {
	it('gives every existing card its creation, and its completion when it has one', async () => {
		const db = await createTestDatabase();
		const old = createSql({ url: db.url, max: 1 });
		try {
			// The chain up to 013 first, then rows, then 014 on top of them.
			const dir = mkdtempSync(path.join(tmpdir(), 'tf-migrations-'));
			const files = readdirSync(migrationsDir).filter((f) => f.endsWith('.sql'));
			for (const f of files.filter((f) => f < '014')) {
				symlinkSync(path.join(migrationsDir, f), path.join(dir, f));
			}
			await migrate(old, dir);
			const [user] = await old<{ id: string }[]>`
				insert into users (email, display_name, password_hash) values ('b@example.com', 'B', 'x') returning id`;
			const [board] = await old<{ id: string }[]>`
				insert into boards (title, owner_id) values ('Old', ${user!.id}) returning id`;
			const open = randomUUID();
			const finished = randomUUID();
			await old`
				insert into tasks (board_id, id, rank, title, status, priority, created_at, completed_at)
				values
					(${board!.id}, ${open}, 'a', 'Open', 'in_progress', 'low', '2026-01-01T00:00:00Z', null),
					(${board!.id}, ${finished}, 'b', 'Finished', 'done', 'low', '2026-01-02T00:00:00Z',
						'2026-01-05T00:00:00Z')`;
			for (const f of files.filter((f) => f >= '014')) {
				symlinkSync(path.join(migrationsDir, f), path.join(dir, f));
			}
			await migrate(old, dir);
			const rows = await old<{ task_id: string; from: string | null; to: string; at: Date }[]>`
				select task_id, from_category as from, to_category as to, at
				from task_transitions order by task_id = ${open} desc, at`;
			expect(rows.map((r) => ({ ...r, at: r.at.toISOString() }))).toEqual([
				{ task_id: open, from: null, to: 'in_progress', at: '2026-01-01T00:00:00.000Z' },
				{ task_id: finished, from: null, to: 'todo', at: '2026-01-02T00:00:00.000Z' },
				{ task_id: finished, from: 'todo', to: 'done', at: '2026-01-05T00:00:00.000Z' }
			]);
		} finally {
			await old.end();
			await db.drop();
		}
	});
});
