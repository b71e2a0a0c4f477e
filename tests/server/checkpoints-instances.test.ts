/**
 * Automatic checkpoints with several instances holding one board (Redis scale-out): each
 * instance stores the board and runs its own `Checkpoints`, and the "at most one per interval"
 * rule must hold between them. Two `Checkpoints`, each with its own connection pool (as two
 * processes have), race for the same board in the same database.
 */
import type { afterStoreDocumentPayload, afterUnloadDocumentPayload } from '@hocuspocus/server';
import * as Y from 'yjs';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { createTask, readBoard } from '../../src/lib/domain/board/index.ts';
import { loadBoardUpdate } from '../../src/lib/server/board-documents.ts';
import { createSql, type Sql } from '../../src/lib/server/db/client.ts';
import type { Logger } from '../../src/lib/server/log.ts';
import { Checkpoints } from '../../server/extensions/Checkpoints.ts';
import { boardDocumentName } from '../../server/collab-names.ts';
import { startTestApp, type TestApp } from './support/app.ts';
import { client, createBoard, signUp, type TestUser } from './support/http.ts';

let t: TestApp;
let ana: TestUser;
const pools: Sql[] = [];
const warnings: unknown[] = [];
const log = { warn: (...args: unknown[]) => warnings.push(args) } as unknown as Logger;
const intervalMs = 1500;

beforeAll(async () => {
	t = await startTestApp();
	ana = await signUp(client(t.url), 'Ana');
});
// Each test's own warnings: a timer of an earlier test must not fail a later one.
beforeEach(() => {
	warnings.length = 0;
});
afterAll(async () => {
	for (const pool of pools) await pool.end();
	await t?.stop();
});

async function instance(): Promise<Checkpoints> {
	const sql = createSql({ url: t.db.url, max: 2 });
	pools.push(sql);
	// Connected, like a running instance: the race below is between queries, not connections.
	await Promise.all([sql`select 1`, sql`select 1`]);
	return new Checkpoints({ sql, log, intervalMs, retentionDays: 30, maxCheckpoints: 50 });
}

/**
 * An instance whose checkpoint transactions are kept, so a test can wait for the one a timer
 * starts (its only transactions are `saveCheckpoint`'s).
 */
async function countedInstance(): Promise<{
	checkpoints: Checkpoints;
	transactions: Promise<unknown>[];
}> {
	const sql = createSql({ url: t.db.url, max: 2 });
	pools.push(sql);
	await Promise.all([sql`select 1`, sql`select 1`]);
	const transactions: Promise<unknown>[] = [];
	const begin = sql.begin.bind(sql);
	sql.begin = ((...args: Parameters<typeof begin>) => {
		const running = begin(...args);
		transactions.push(running.catch(() => {}));
		return running;
	}) as typeof sql.begin;
	const checkpoints = new Checkpoints({
		sql,
		log,
		intervalMs,
		retentionDays: 30,
		maxCheckpoints: 50
	});
	return { checkpoints, transactions };
}

/**
 * The board's document as the app created it, read from the database as another instance
 * would load it. Not through the app's own collaboration server: a board loaded there is stored
 * about two seconds after it is let go, and when the test stalled that long (a busy CI machine)
 * the app's own `Checkpoints` took the board's first checkpoint, of its copy without these
 * cards, before the two instances did; A's unchanged copy could then win the next interval (a
 * CI run failed so, its second checkpoint holding one card instead of two).
 */
async function loadCopy(boardId: string): Promise<Y.Doc> {
	const update = await loadBoardUpdate(t.app.runtime.ctx.sql, boardId);
	if (!update) throw new Error(`board ${boardId} has no stored document`);
	const copy = new Y.Doc();
	Y.applyUpdate(copy, update);
	return copy;
}

const stored = (boardId: string, document: Y.Doc) =>
	({ documentName: boardDocumentName(boardId), document }) as unknown as afterStoreDocumentPayload;

async function checkpoints(boardId: string) {
	return t.app.runtime.ctx.sql<{ created_at: Date; card_count: number }[]>`
		select created_at, card_count from board_versions
		where board_id = ${boardId} and name is null order by created_at`;
}

describe('automatic checkpoints across instances', () => {
	it('takes one per interval for a board, however many instances store it', async () => {
		const board = await createBoard(client(t.url), ana);
		const [a, b] = [await instance(), await instance()];
		const [docA, docB] = [await loadCopy(board.id), await loadCopy(board.id)];
		const column = readBoard(docA).columns[0]!.id;
		createTask(docA, { columnId: column, title: 'on A' }, { actorId: ana.id });
		Y.applyUpdate(docB, Y.encodeStateAsUpdate(docA));

		// Both instances store at once, several times over: one checkpoint between them. Each
		// instance's own stores of a board run one after another, as Hocuspocus runs them (under
		// the document's save mutex): two at once on one instance made two records of the board
		// there, and the second, created while the first's checkpoint was recent, had no state to
		// compare with and came back with a copy of the board taken before B's card was added
		// whenever the test ran slower than the interval.
		const storeTwiceOnB = async () => {
			await b.afterStoreDocument(stored(board.id, docB));
			await b.afterStoreDocument(stored(board.id, docB));
		};
		for (let round = 0; round < 3; round++) {
			await Promise.all([a.afterStoreDocument(stored(board.id, docA)), storeTwiceOnB()]);
		}
		expect(await checkpoints(board.id)).toHaveLength(1);

		// B's copy moves on; once the interval has passed B takes the next one (A, unchanged and
		// refused, takes none of its own), and the two are an interval apart.
		createTask(docB, { columnId: column, title: 'on B' }, { actorId: ana.id });
		await Promise.all([
			a.afterStoreDocument(stored(board.id, docA)),
			b.afterStoreDocument(stored(board.id, docB))
		]);
		await expect
			.poll(async () => (await checkpoints(board.id)).length, { timeout: 10_000 })
			.toBe(2);
		const taken = await checkpoints(board.id);
		const [first, second] = taken;
		expect(second!.card_count, JSON.stringify({ taken, warnings })).toBe(2);
		expect(second!.created_at.getTime() - first!.created_at.getTime()).toBeGreaterThanOrEqual(
			intervalMs
		);
		expect(warnings).toEqual([]);
	});
});

describe('a board loaded after its newest checkpoint', () => {
	it('takes none once the interval has passed while the board is unchanged', async () => {
		const board = await createBoard(client(t.url), ana);
		const a = await instance();
		const doc = await loadCopy(board.id);
		const column = readBoard(doc).columns[0]!.id;
		createTask(doc, { columnId: column, title: 'kept' }, { actorId: ana.id });
		await a.afterStoreDocument(stored(board.id, doc));
		expect(await checkpoints(board.id)).toHaveLength(1);

		// B holds the board from now on (another instance, or this one after a reload): it knows
		// only the newest checkpoint's time, so its first store waits out the interval, then asks
		// the database, which holds this very state already.
		const { checkpoints: b, transactions } = await countedInstance();
		await b.afterStoreDocument(stored(board.id, doc));
		await expect.poll(() => transactions.length, { timeout: 10_000 }).toBeGreaterThan(0);
		await Promise.all(transactions);
		expect(await checkpoints(board.id)).toHaveLength(1);

		// Changed, it takes one (the interval has passed).
		// (A timer may fire a millisecond before the database's interval ends: B then comes back.)
		createTask(doc, { columnId: column, title: 'added' }, { actorId: ana.id });
		await b.afterStoreDocument(stored(board.id, doc));
		await expect
			.poll(async () => (await checkpoints(board.id)).map((row) => row.card_count), {
				timeout: 10_000
			})
			.toEqual([1, 2]);
		expect(warnings).toEqual([]);
	});
});

/**
 * Whether the nearest caller of `setTimeout` in `stack`, past this file and the spy, is
 * Checkpoints itself (not a library it called).
 */
function setByCheckpoints(stack: string): boolean {
	const caller = stack
		.split('\n')
		.slice(1)
		.find(
			(frame) =>
				!frame.includes('checkpoints-instances.test.ts') &&
				!/node_modules\/(?:vitest|@vitest|tinyspy)\//.test(frame)
		);
	return caller?.includes('Checkpoints.ts') ?? false;
}

describe('a board unloaded while its checkpoint is being taken', () => {
	/**
	 * Another instance holds the board's checkpoint lock and takes one; meanwhile this instance
	 * stores the board (its checkpoint waits for the lock) and unloads it. Refused once the lock
	 * is released, it must not set a timer to come back: the timer would keep the unloaded
	 * (destroyed) document alive. Loaded, it does come back (the control).
	 */
	async function refusedCheckpoint(unload: boolean): Promise<number[]> {
		const board = await createBoard(client(t.url), ana);
		const a = await instance();
		const doc = await loadCopy(board.id);
		const name = boardDocumentName(board.id);
		let release!: () => void;
		const released = new Promise<void>((resolve) => (release = resolve));
		let locked!: () => void;
		const lockTaken = new Promise<void>((resolve) => (locked = resolve));
		const other = t.app.runtime.ctx.sql.begin(async (tx) => {
			await tx`select pg_advisory_xact_lock(hashtext('taskflow.checkpoint'), hashtext(${board.id}))`;
			// A state this copy has moved on from (an empty board), so it has a reason to come back:
			// a checkpoint of its very state would leave it nothing to take.
			await tx`insert into board_versions (board_id, name, state, card_count)
				values (${board.id}, null, ${Y.encodeStateAsUpdate(new Y.Doc())}, 0)`;
			locked();
			await released;
		});
		await lockTaken;
		// Only timers Checkpoints sets itself count: the app sets others meanwhile (user
		// activity's gathering timer, set after a request has been answered, once failed this
		// test), and so does a library Checkpoints calls (the database pool's 10 s connect
		// timer, when a checkpoint's query opens a connection, failed it on a busy machine).
		const comeBacks: number[] = [];
		const original = globalThis.setTimeout;
		const timers = vi.spyOn(globalThis, 'setTimeout').mockImplementation(((
			...args: Parameters<typeof setTimeout>
		) => {
			if (setByCheckpoints(new Error().stack ?? '')) comeBacks.push(Number(args[1]));
			return original(...args);
		}) as typeof setTimeout);
		try {
			const storing = a.afterStoreDocument(stored(board.id, doc));
			await expect
				.poll(async () => {
					const [row] = await t.app.runtime.ctx.sql<{ n: number }[]>`
						select count(*)::int as n from pg_locks
						where locktype = 'advisory' and not granted
							and database = (select oid from pg_database where datname = current_database())`;
					return row!.n;
				})
				.toBe(1);
			if (unload) {
				await a.afterUnloadDocument({ documentName: name } as afterUnloadDocumentPayload);
				doc.destroy();
			}
			release();
			await other;
			await storing;
			// The come-back timer is set for what is left of the interval.
			expect(comeBacks.every((ms) => ms > 0 && ms <= intervalMs)).toBe(true);
			return comeBacks;
		} finally {
			timers.mockRestore();
			release();
		}
	}

	it('sets no timer to come back for it, while a loaded board does', async () => {
		expect(await refusedCheckpoint(false)).toHaveLength(1);
		expect(await refusedCheckpoint(true)).toEqual([]);
		expect(warnings).toEqual([]);
	});
});
