/**
 * Rows of boards that clients edit are written for the whole instance in one transaction per
 * tick, and a board whose document row is locked (a store or a request writing it) is skipped
 * and written at a later tick instead of holding up the others.
 */
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTask, readBoard } from '../../src/lib/domain/board/index.ts';
import { startTestApp, type TestApp } from './support/app.ts';
import { connect, waitFor, type TestProvider } from './support/collab.ts';
import { client, createBoard, signUp, type TestUser } from './support/http.ts';

let t: TestApp;
let sql: postgres.Sql;
let owner: TestUser;
beforeAll(async () => {
	t = await startTestApp();
	sql = postgres(t.db.url, { max: 3 });
	owner = await signUp(client(t.url));
});
afterAll(async () => {
	await sql?.end();
	await t?.stop();
});

async function openBoards(n: number): Promise<{ id: string; p: TestProvider }[]> {
	const boards = await Promise.all(
		Array.from({ length: n }, () => createBoard(client(t.url), owner))
	);
	return Promise.all(
		boards.map(async ({ id }) => {
			const p = connect(t.url, id, { token: owner.token });
			expect(await p.ready).toBe(true);
			return { id, p };
		})
	);
}

function addCard(p: TestProvider, title: string): string {
	const column = readBoard(p.doc).columns[0]!.id;
	return createTask(p.doc, { columnId: column, title }, { actorId: owner.id });
}

async function rowTitle(boardId: string, id: string): Promise<string | null> {
	const [row] = await sql<{ title: string }[]>`
		select title from tasks where board_id = ${boardId} and id = ${id}`;
	return row?.title ?? null;
}

/** The card's row title once it exists (null if it does not within 5 s). */
async function untilRow(boardId: string, id: string): Promise<string | null> {
	const deadline = Date.now() + 5000;
	let title: string | null;
	while ((title = await rowTitle(boardId, id)) === null && Date.now() < deadline) {
		await new Promise((r) => setTimeout(r, 20));
	}
	return title;
}

describe('row sync batching', () => {
	it('writes the rows of many boards in one transaction per tick', async () => {
		const boards = await openBoards(6);
		const stats = t.app.runtime.persistence.rowStats;
		const before = { ...stats };
		const cards = boards.map(({ p }, i) => addCard(p, `card ${i}`));
		for (const [i, { id }] of boards.entries()) {
			expect(await untilRow(id, cards[i]!)).toBe(`card ${i}`);
		}
		expect(stats.boards - before.boards).toBeGreaterThanOrEqual(6);
		// All six were marked in one turn: one tick (two if it straddled one) wrote them.
		expect(stats.batches - before.batches).toBeLessThanOrEqual(2);
		for (const { p } of boards) p.destroy();
	});

	it('skips a locked board and writes it once the lock is gone', async () => {
		const [held, free] = await openBoards(2);
		const release = Promise.withResolvers<void>();
		const locked = Promise.withResolvers<void>();
		const holder = sql.begin(async (tx) => {
			await tx`select 1 from board_documents where board_id = ${held!.id} for update`;
			locked.resolve();
			await release.promise;
		});
		await locked.promise;
		const heldCard = addCard(held!.p, 'waits for the lock');
		// The held board has its change (so it is marked) before the free one gets its own.
		await waitFor(
			() => serverDoc(held!.id).getMap('tasks').has(heldCard),
			5000,
			'the held board’s card on the server'
		);
		const batches = t.app.runtime.persistence.rowStats.batches;
		const freeCard = addCard(free!.p, 'written meanwhile');
		expect(await untilRow(free!.id, freeCard)).toBe('written meanwhile');
		expect(t.app.runtime.persistence.rowStats.batches).toBeGreaterThan(batches);
		// The batch that wrote the free board ran while the held one was locked.
		expect(await rowTitle(held!.id, heldCard)).toBeNull();
		release.resolve();
		await holder;
		expect(await untilRow(held!.id, heldCard)).toBe('waits for the lock');
		held!.p.destroy();
		free!.p.destroy();
	});
});

function serverDoc(boardId: string) {
	const doc = t.app.runtime.collab.hocuspocus.documents.get(`board:${boardId}`);
	if (!doc) throw new Error('board not loaded');
	return doc;
}

describe('a row batch that fails before taking anything', () => {
	it('keeps its boards marked: their rows are written at a later tick, not at the next edit', async () => {
		const app = await startTestApp({ ROW_SYNC_MS: '50' });
		const rows = postgres(app.db.url, { max: 1, onnotice: () => {} });
		const pool = app.app.runtime.ctx.sql;
		const begin = pool.begin;
		let injected = 0;
		try {
			const user = await signUp(client(app.url));
			const { id } = await createBoard(client(app.url), user);
			const p = connect(app.url, id, { token: user.token });
			expect(await p.ready).toBe(true);
			const revision = async () =>
				(
					await rows<{ revision: string }[]>`
					select revision from board_documents where board_id = ${id}`
				)[0]!.revision;
			const before = await revision();
			// The batcher's next transaction fails before it locks or takes anything.
			pool.begin = ((...args: unknown[]) => {
				if (injected === 0 && new Error().stack?.includes('row-sync-batcher')) {
					injected += 1;
					return Promise.reject(new Error('injected: no transaction'));
				}
				return (begin as (...a: unknown[]) => unknown).apply(pool, args);
			}) as typeof begin;
			const column = readBoard(p.doc).columns[0]!.id;
			const card = createTask(p.doc, { columnId: column, title: 'Retried' }, { actorId: user.id });
			const [row] = await (async () => {
				for (const until = Date.now() + 5000; Date.now() < until;) {
					const found = await rows`select 1 from tasks where board_id = ${id} and id = ${card}`;
					if (found.length > 0) return found;
					await new Promise((r) => setTimeout(r, 20));
				}
				return [];
			})();
			expect(injected).toBe(1);
			expect(row).toBeDefined();
			// No store wrote it (the store's debounce is 2 s): the row sync retried.
			expect(await revision()).toBe(before);
			p.destroy();
		} finally {
			pool.begin = begin;
			await rows.end();
			await app.stop();
		}
	});
});
