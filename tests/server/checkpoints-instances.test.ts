/**
 * Automatic checkpoints with several instances holding one board (Redis scale-out): each
 * instance stores the board and runs its own `Checkpoints`, and the "at most one per interval"
 * rule must hold between them. Two `Checkpoints`, each with its own connection pool (as two
 * processes have), race for the same board in the same database.
 */
import type { afterStoreDocumentPayload, afterUnloadDocumentPayload } from '@hocuspocus/server';
import * as Y from 'yjs';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
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

		// Both instances store at once, several times over: one checkpoint between them.
		for (let round = 0; round < 3; round++) {
			await Promise.all([
				a.afterStoreDocument(stored(board.id, docA)),
				b.afterStoreDocument(stored(board.id, docB)),
				b.afterStoreDocument(stored(board.id, docB))
			]);
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
		const [first, second] = await checkpoints(board.id);
		expect(second!.card_count).toBe(2);
		expect(second!.created_at.getTime() - first!.created_at.getTime()).toBeGreaterThanOrEqual(
			intervalMs
		);
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
			await tx`insert into board_versions (board_id, name, state, card_count)
				values (${board.id}, null, ${Y.encodeStateAsUpdate(doc)}, 0)`;
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
						select count(*)::int as n from pg_locks where locktype = 'advisory' and not granted`;
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
