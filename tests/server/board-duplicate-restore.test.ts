/**
 * Duplicating a board (`POST /api/v1/boards/:id/duplicate`): the copy holds the source's live
 * columns and cards, in order, with fresh ids and nothing else (no deleted cards, no other
 * members, no assignees who could not see it); bad input is a 4xx; a board over the limits is
 * refused by its row counts before its document is read, and at most two copies run at once. Restoring an archived board
 * as its owner (`POST /api/v1/boards/:id/restore`). Who may call them: the
 * authz-matrix-board-lifecycle file.
 */
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectProblem } from './support/problem.ts';
import { startTaskApi, tasksPath, type TaskApi } from './support/task-api.ts';

let s: TaskApi;
let sql: postgres.Sql;

beforeAll(async () => {
	s = await startTaskApi();
	sql = postgres(s.t.db.url, { max: 1, onnotice: () => {} });
});
afterAll(async () => {
	await sql?.end();
	await s?.t.stop();
});

interface TaskJson {
	id: string;
	columnId: string;
	title: string;
	description: string;
	priority: string;
	assigneeId: string | null;
	creatorId: string | null;
	dueDate: string | null;
	labels: string[];
	deletedAt: string | null;
}

async function columnsOf(boardId: string, token = s.ana.token) {
	const res = await s.api.get(`/api/v1/boards/${boardId}/columns`, { token });
	expect(res.status).toBe(200);
	return res.body.items as { id: string; title: string; category: string; wipLimit: number }[];
}

/** The live cards in board order (columns in order, cards by rank within each). */
async function cardsOf(boardId: string, token = s.ana.token): Promise<TaskJson[]> {
	const res = await s.api.get(tasksPath({ id: boardId }, '?limit=100'), { token });
	expect(res.status).toBe(200);
	return res.body.items;
}

/** What a copy must keep: everything but ids, with the column named by its position. */
async function content(boardId: string, token = s.ana.token) {
	const columns = await columnsOf(boardId, token);
	const cards = await cardsOf(boardId, token);
	return columns.map((column) => ({
		title: column.title,
		category: column.category,
		wipLimit: column.wipLimit,
		cards: cards
			.filter((card) => card.columnId === column.id)
			.map(({ title, description, priority, dueDate, labels }) => ({
				title,
				description,
				priority,
				dueDate,
				labels
			}))
	}));
}

describe('POST /api/v1/boards/:id/duplicate', () => {
	it('copies the live columns and cards in order under fresh ids, without deleted cards', async () => {
		const { api, ana, ed } = s;
		const board = await s.newBoard();
		const [todo, doing] = board.columns;
		const wip = await api.patch(
			`/api/v1/boards/${board.id}/columns/${doing!.id}`,
			{ wipLimit: 3 },
			{ token: ana.token }
		);
		expect(wip.status, JSON.stringify(wip.body)).toBe(200);
		const first = await s.newTask(board, {
			columnId: todo!.id,
			title: 'Write the brief',
			description: 'Line one\nLine two',
			priority: 'high',
			dueDate: '2030-01-31',
			labels: ['docs', 'q1'],
			assigneeId: ana.id
		});
		await s.newTask(board, { columnId: todo!.id, title: 'Assigned to Ed', assigneeId: ed.id });
		await s.newTask(board, { columnId: doing!.id, title: 'In progress' });
		const gone = await s.newTask(board, { columnId: doing!.id, title: 'Deleted card' });
		expect((await api.delete(`/api/v1/tasks/${gone.id}`, { token: ana.token })).status).toBe(200);
		// Moved last: the copy follows the current order, not creation order.
		const moved = await api.post(
			`/api/v1/tasks/${first.id}/move`,
			{ columnId: todo!.id },
			{ token: ana.token }
		);
		expect(moved.status, JSON.stringify(moved.body)).toBe(200);

		// Ed (an editor) copies: the copy is Ed's alone.
		const res = await api.post(`/api/v1/boards/${board.id}/duplicate`, {}, { token: ed.token });
		expect(res.status, JSON.stringify(res.body)).toBe(201);
		expect(res.body).toMatchObject({ title: 'Test board (copy)', myRole: 'owner' });
		const copyId: string = res.body.id;
		expect(copyId).not.toBe(board.id);

		const copied = await content(copyId, ed.token);
		expect(copied).toEqual(await content(board.id));
		expect(copied.flatMap((c) => c.cards.map((card) => card.title))).toEqual([
			'Assigned to Ed',
			'Write the brief',
			'In progress'
		]);
		expect(copied[1]!.wipLimit).toBe(3);

		const sourceIds = new Set([
			...(await columnsOf(board.id)).map((c) => c.id),
			...(await cardsOf(board.id)).map((c) => c.id)
		]);
		const copyCards = await cardsOf(copyId, ed.token);
		for (const item of [...(await columnsOf(copyId, ed.token)), ...copyCards]) {
			expect(sourceIds.has(item.id)).toBe(false);
		}
		// Only the copy's members may stay assigned; the cards are new cards of Ed's.
		expect(copyCards.map((card) => card.assigneeId)).toEqual([ed.id, null, null]);
		expect(new Set(copyCards.map((card) => card.creatorId))).toEqual(new Set([ed.id]));
		// No deleted card came along, not even as a deleted one.
		const [rows] = await sql<{ n: number }[]>`
			select count(*)::int as n from tasks where board_id = ${copyId}`;
		expect(rows!.n).toBe(3);

		// The creation is in the copy's log, by Ed, naming the source (the log is written
		// through the outbox, so it may trail the answer).
		await expect
			.poll(
				async () =>
					(await api.get(`/api/v1/boards/${copyId}/events`, { token: ed.token })).body.items
			)
			.toEqual([
				expect.objectContaining({
					type: 'board.created',
					actorId: ed.id,
					payload: expect.objectContaining({ copiedFrom: board.id })
				})
			]);
	});

	it('copies an archived board into a live one, under the title given', async () => {
		const board = await s.newBoard();
		await s.newTask(board, { title: 'Kept' });
		expect((await s.api.delete(`/api/v1/boards/${board.id}`, { token: s.ana.token })).status).toBe(
			204
		);
		const res = await s.api.post(
			`/api/v1/boards/${board.id}/duplicate`,
			{ title: '  Next quarter  ' },
			{ token: s.vic.token }
		);
		expect(res.status, JSON.stringify(res.body)).toBe(201);
		expect(res.body).toMatchObject({ title: 'Next quarter', archivedAt: null });
		expect((await cardsOf(res.body.id, s.vic.token)).map((card) => card.title)).toEqual(['Kept']);
	});

	it('shortens a long title to fit the copy mark', async () => {
		const long = 'x'.repeat(255);
		const board = await s.api.post('/api/v1/boards', { title: long }, { token: s.ana.token });
		const res = await s.api.post(
			`/api/v1/boards/${board.body.id}/duplicate`,
			{},
			{ token: s.ana.token }
		);
		expect(res.status).toBe(201);
		expect(res.body.title).toBe(`${'x'.repeat(248)} (copy)`);
	});

	it('refuses bad input with a problem, creating nothing', async () => {
		const board = await s.newBoard();
		const path = `/api/v1/boards/${board.id}/duplicate`;
		const [before] = await sql<{ n: number }[]>`select count(*)::int as n from boards`;
		expectProblem(await s.api.post(path, { title: '   ' }, { token: s.ana.token }), 422);
		expectProblem(await s.api.post(path, { title: 42 }, { token: s.ana.token }), 422);
		expectProblem(await s.api.post(path, { title: 'a\tb' }, { token: s.ana.token }), 422);
		expectProblem(
			await s.api.post(path, undefined, {
				token: s.ana.token,
				raw: '{',
				contentType: 'application/json'
			}),
			400
		);
		expectProblem(
			await s.api.post(path, undefined, {
				token: s.ana.token,
				raw: 'x',
				contentType: 'text/plain'
			}),
			415
		);
		expectProblem(
			await s.api.post('/api/v1/boards/not-a-uuid/duplicate', {}, { token: s.ana.token }),
			404
		);
		expectProblem(
			await s.api.post(
				'/api/v1/boards/00000000-0000-4000-8000-000000000000/duplicate',
				{},
				{ token: s.ana.token }
			),
			404
		);
		const [after] = await sql<{ n: number }[]>`select count(*)::int as n from boards`;
		expect(after!.n).toBe(before!.n);
	});
});

describe('POST /api/v1/boards/:id/duplicate on a big board', () => {
	it('refuses a board over BOARD_MAX_CARDS by its rows, before reading its document', async () => {
		const board = await s.newBoard();
		await s.newTask(board, { title: 'The one card the document holds' });
		// 10,001 live rows (the default BOARD_MAX_CARDS is 10,000) and a deleted one; the
		// document still holds one card, so only a check of the rows can refuse the copy.
		await sql`
			insert into tasks (board_id, id, column_id, rank, title, status, priority)
			select ${board.id}, gen_random_uuid(), ${board.columns[0]!.id}, 'a' || n, 'Row ' || n,
				'todo', 'medium'
			from generate_series(1, 10000) as n`;
		await sql`
			insert into tasks (board_id, id, rank, title, status, priority, deleted_at)
			values (${board.id}, gen_random_uuid(), 'z', 'Gone', 'todo', 'low', now())`;
		const [before] = await sql<{ n: number }[]>`select count(*)::int as n from boards`;
		const res = await s.api.post(
			`/api/v1/boards/${board.id}/duplicate`,
			{},
			{ token: s.vic.token }
		);
		expectProblem(res, 409);
		expect(res.body.detail).toBe(
			'This board has 10001 cards; a copy may hold at most 10000 (BOARD_MAX_CARDS).'
		);
		const [after] = await sql<{ n: number }[]>`select count(*)::int as n from boards`;
		expect(after!.n).toBe(before!.n);

		// At the limit exactly, the copy is made (of what the document holds).
		await sql`
			delete from tasks where board_id = ${board.id}
			and id = (select id from tasks where board_id = ${board.id} and title = 'Row 1')`;
		const copy = await s.api.post(
			`/api/v1/boards/${board.id}/duplicate`,
			{},
			{ token: s.vic.token }
		);
		expect(copy.status, JSON.stringify(copy.body)).toBe(201);
		expect((await cardsOf(copy.body.id, s.vic.token)).map((card) => card.title)).toEqual([
			'The one card the document holds'
		]);
	});

	it('runs two copies at a time; a third meanwhile gets 429 with Retry-After', async () => {
		const board = await s.newBoard();
		await s.newTask(board, { title: 'Copied' });
		const path = `/api/v1/boards/${board.id}/duplicate`;
		const locker = postgres(s.t.db.url, { max: 1, onnotice: () => {} });
		let release = () => {};
		const released = new Promise<void>((resolve) => (release = resolve));
		let locked = () => {};
		const isLocked = new Promise<void>((resolve) => (locked = resolve));
		// Holding the documents table makes the running copies wait while reading the board.
		// The server's own row sync and snapshot store may wait on the same lock, so only the
		// copies' read (the stored-state query) is counted below.
		const holding = locker.begin(async (tx) => {
			await tx`lock table board_documents in access exclusive mode`;
			locked();
			await released;
		});
		try {
			await isLocked;
			const running = [
				s.api.post(path, { title: 'First' }, { token: s.ana.token }),
				s.api.post(path, { title: 'Second' }, { token: s.ed.token })
			];
			await expect
				.poll(
					async () =>
						(
							await sql<{ n: number }[]>`
								select count(*)::int as n from pg_stat_activity
								where datname = current_database() and wait_event_type = 'Lock'
									and query like '%snapshot as data%from board_documents%'`
						)[0]!.n,
					{ timeout: 10_000 }
				)
				.toBe(2);

			const third = await s.api.post(path, { title: 'Third' }, { token: s.vic.token });
			expectProblem(third, 429);
			expect(third.headers.get('retry-after')).toBe('2');
			expect(third.body.detail).toMatch(/try again/);

			release();
			await holding;
			const done = await Promise.all(running);
			expect(done.map((res) => res.status)).toEqual([201, 201]);
		} finally {
			release();
			await holding.catch(() => {});
			await locker.end();
		}
		// Both slots are free again.
		const later = await s.api.post(path, { title: 'Third' }, { token: s.vic.token });
		expect(later.status, JSON.stringify(later.body)).toBe(201);
		expect((await cardsOf(later.body.id, s.vic.token)).map((card) => card.title)).toEqual([
			'Copied'
		]);
	});
});

describe('POST /api/v1/boards/:id/restore', () => {
	it('brings an archived board back for its owner, recording it once', async () => {
		const board = await s.newBoard();
		const path = `/api/v1/boards/${board.id}/restore`;
		expect((await s.api.delete(`/api/v1/boards/${board.id}`, { token: s.ana.token })).status).toBe(
			204
		);
		// Archived: no writes.
		expectProblem(await s.api.post(tasksPath(board), { title: 'No' }, { token: s.ana.token }), 409);
		const res = await s.api.post(path, undefined, { token: s.ana.token });
		expect(res.status, JSON.stringify(res.body)).toBe(200);
		expect(res.body).toMatchObject({ id: board.id, archivedAt: null, myRole: 'owner' });
		// Restoring a live board changes nothing.
		expect((await s.api.post(path, undefined, { token: s.ana.token })).status).toBe(200);
		await s.newTask(board, { title: 'Writable again' });
		const listed = await s.api.get('/api/v1/boards', { token: s.ana.token });
		expect(listed.body.items.map((b: { id: string }) => b.id)).toContain(board.id);
		await expect
			.poll(async () => {
				const res = await s.api.get(`/api/v1/boards/${board.id}/events?limit=100`, {
					token: s.ana.token
				});
				return (res.body.items as { type: string; actorId: string }[])
					.filter((event) => event.type.startsWith('board.'))
					.map((event) => `${event.type} ${event.actorId}`)
					.reverse();
			})
			.toEqual([
				`board.created ${s.ana.id}`,
				`board.archived ${s.ana.id}`,
				`board.restored ${s.ana.id}`
			]);
	});

	it('is refused on a board that does not exist', async () => {
		expectProblem(
			await s.api.post('/api/v1/boards/nope/restore', undefined, { token: s.ana.token }),
			404
		);
	});
});
