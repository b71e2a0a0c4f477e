/**
 * Version history end to end: automatic checkpoints after bursts of editing (at most one per
 * interval, old ones pruned), named versions, read-only previews, and restores applied as a new
 * change to the live board that open clients receive and that can themselves be undone.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createTask, readBoard, updateTask } from '../../src/lib/domain/board/index.ts';
import { startTestApp, type TestApp } from './support/app.ts';
import { connect, waitFor, type TestProvider } from './support/collab.ts';
import { acknowledged, loggedEvents, settle } from './support/events.ts';
import { expectProblem } from './support/problem.ts';
import {
	addMember,
	client,
	createBoard,
	signUp,
	type Client,
	type TestUser
} from './support/http.ts';

let t: TestApp;
let api: Client;
let ana: TestUser;
const open: TestProvider[] = [];

beforeAll(async () => {
	// Short bursts, so each change's events stand on their own.
	t = await startTestApp({
		VERSION_CHECKPOINT_SECONDS: '1',
		VERSION_RETENTION_DAYS: '30',
		VERSION_MAX_CHECKPOINTS: '2',
		EVENT_BURST_MS: '100'
	});
	api = client(t.url);
	ana = await signUp(api, 'Ana');
});
afterEach(() => {
	for (const c of open.splice(0)) c.destroy();
});
afterAll(async () => {
	await t?.stop();
});

async function live(boardId: string): Promise<TestProvider> {
	const c = connect(t.url, boardId, { token: ana.token });
	open.push(c);
	expect(await c.ready).toBe(true);
	return c;
}

const auth = () => ({ token: ana.token });
const titles = (c: TestProvider) =>
	readBoard(c.doc).columns.flatMap((column) => column.tasks.map((task) => task.title));

interface Version {
	id: string;
	name: string | null;
	automatic: boolean;
	cardCount: number;
	createdAt: string;
}
const versions = async (boardId: string): Promise<Version[]> =>
	(await api.get(`/api/v1/boards/${boardId}/versions`, auth())).body.items;

describe('version history', () => {
	it('takes a checkpoint after each burst of editing, at most once per interval, pruning old ones', async () => {
		const board = await createBoard(api, ana);
		const { sql } = t.app.runtime.ctx;
		await sql`insert into board_versions (board_id, name, state, card_count, created_at)
			values (${board.id}, null, '\\x0000', 0, now() - interval '40 days'),
				(${board.id}, 'old but named', '\\x0000', 0, now() - interval '40 days')`;
		const c = await live(board.id);
		const column = readBoard(c.doc).columns[0]!.id;

		createTask(c.doc, { columnId: column, title: 'first burst' }, { actorId: ana.id });
		await acknowledged(c);
		await expect
			.poll(async () => {
				t.app.runtime.collab.hocuspocus.flushPendingStores();
				return (await versions(board.id)).filter((v) => v.automatic && v.cardCount === 1);
			})
			.toHaveLength(1);
		const [checkpoint] = (await versions(board.id)).filter((v) => v.automatic);
		expect(checkpoint!.cardCount).toBe(1);
		// The 40-day-old checkpoint went with it; the named version stays.
		expect((await versions(board.id)).map((v) => v.name)).toEqual([null, 'old but named']);

		const preview = await api.get(`/api/v1/boards/${board.id}/versions/${checkpoint!.id}`, auth());
		expect(preview.status).toBe(200);
		expect(preview.body.board.columns[0].tasks.map((x: { title: string }) => x.title)).toEqual([
			'first burst'
		]);

		// A burst settling within the interval is checkpointed once the interval has passed.
		createTask(c.doc, { columnId: column, title: 'second burst' }, { actorId: ana.id });
		await acknowledged(c);
		await expect
			.poll(
				async () => {
					t.app.runtime.collab.hocuspocus.flushPendingStores();
					return (await versions(board.id)).filter((v) => v.automatic).length;
				},
				{ timeout: 10_000 }
			)
			.toBe(2);
		const [second, firstAgain] = (await versions(board.id)).filter((v) => v.automatic);
		expect(second!.cardCount).toBe(2);
		expect(
			Date.parse(second!.createdAt) - Date.parse(firstAgain!.createdAt)
		).toBeGreaterThanOrEqual(1000);

		// VERSION_MAX_CHECKPOINTS=2: a third checkpoint pushes the oldest out.
		createTask(c.doc, { columnId: column, title: 'third burst' }, { actorId: ana.id });
		await acknowledged(c);
		await expect
			.poll(
				async () => {
					t.app.runtime.collab.hocuspocus.flushPendingStores();
					return (await versions(board.id)).map((v) => v.cardCount);
				},
				{ timeout: 10_000 }
			)
			.toEqual([3, 2, 0]);
	});

	it('restores a named version as a new change that open boards receive, and undoes it', async () => {
		const board = await createBoard(api, ana);
		const bo = await signUp(api, 'Bo');
		await addMember(api, ana, board.id, bo, 'editor');
		const c = await live(board.id);
		const column = readBoard(c.doc).columns[0]!.id;
		const kept = createTask(c.doc, { columnId: column, title: 'kept' }, { actorId: ana.id });
		await acknowledged(c);
		const named = await api.post(`/api/v1/boards/${board.id}/versions`, { name: 'Plan A' }, auth());
		expect(named.status).toBe(201);

		updateTask(c.doc, { taskId: kept, title: 'renamed later' }, { actorId: ana.id });
		createTask(c.doc, { columnId: column, title: 'added later' }, { actorId: ana.id });
		await acknowledged(c);

		const laterCard = readBoard(c.doc).columns[0]!.tasks.find((x) => x.title === 'added later')!;
		const restore = await api.post(
			`/api/v1/boards/${board.id}/versions/${named.body.id}/restore`,
			undefined,
			{ token: bo.token }
		);
		expect(restore.status).toBe(200);
		expect(restore.body.previous.name).toBe('Before restoring “Plan A”');
		// The open board receives the restore live, and keeps editing on top of it.
		await waitFor(() => titles(c).join() === 'kept', 5000, 'the restore at the open board');
		createTask(c.doc, { columnId: column, title: 'after restore' }, { actorId: ana.id });
		await acknowledged(c);

		// Restoring the state saved before the restore undoes it (the later card stays).
		const undo = await api.post(
			`/api/v1/boards/${board.id}/versions/${restore.body.previous.id}/restore`,
			undefined,
			{ token: bo.token }
		);
		expect(undo.status).toBe(200);
		await waitFor(
			() => titles(c).sort().join() === 'added later,renamed later',
			5000,
			'the undo at the open board'
		);

		await settle(t.app);
		const events = await loggedEvents(t.db.url, board.id);
		const restored = events.filter((e) => e.type === 'board.version_restored');
		expect(restored.map((e) => [e.actorId, e.payload.versionId])).toEqual([
			[bo.id, named.body.id],
			[bo.id, restore.body.previous.id]
		]);
		// The card changes a restore makes are ordinary events, attributed to who restored.
		const deleted = events.find((e) => e.type === 'task.deleted' && e.entityId === laterCard.id);
		expect(deleted?.actorId).toBe(bo.id);
	});

	it('changes nothing when the undo version cannot be saved (503), and restores once it can', async () => {
		const board = await createBoard(api, ana);
		const c = await live(board.id);
		const column = readBoard(c.doc).columns[0]!.id;
		const kept = createTask(c.doc, { columnId: column, title: 'kept' }, { actorId: ana.id });
		await acknowledged(c);
		const named = await api.post(`/api/v1/boards/${board.id}/versions`, { name: 'Plan A' }, auth());
		expect(named.status).toBe(201);
		updateTask(c.doc, { taskId: kept, title: 'renamed later' }, { actorId: ana.id });
		createTask(c.doc, { columnId: column, title: 'added later' }, { actorId: ana.id });
		await acknowledged(c);

		// PostgreSQL refuses every new version of this board: the undo cannot be saved.
		const { sql } = t.app.runtime.ctx;
		await sql.unsafe(`
			create function refuse_versions() returns trigger language plpgsql as $$
			begin
				if new.board_id = '${board.id}' then raise exception 'versions refused by the test'; end if;
				return new;
			end $$;
			create trigger refuse_versions before insert on board_versions
				for each row execute function refuse_versions();`);
		try {
			const refused = await api.post(
				`/api/v1/boards/${board.id}/versions/${named.body.id}/restore`,
				undefined,
				auth()
			);
			expectProblem(refused, 503);
			expect(refused.body.detail).toContain('nothing was restored');
		} finally {
			await sql.unsafe(`drop trigger refuse_versions on board_versions;
				drop function refuse_versions();`);
		}
		// The board is as it was: on the server (rows and live document), at the open client, and
		// in the history and the event log.
		const tasks = await api.get(`/api/v1/boards/${board.id}/tasks`, auth());
		expect(tasks.body.items.map((x: { title: string }) => x.title).sort()).toEqual([
			'added later',
			'renamed later'
		]);
		const server = await t.app.runtime.ctx.collab.readBoard(board.id, (doc) =>
			readBoard(doc).columns.flatMap((col) => col.tasks.map((task) => task.title))
		);
		expect(server.sort()).toEqual(['added later', 'renamed later']);
		expect(titles(c).sort()).toEqual(['added later', 'renamed later']);
		const namedVersions = async () => (await versions(board.id)).filter((v) => !v.automatic);
		expect((await namedVersions()).map((v) => v.name)).toEqual(['Plan A']);
		await settle(t.app);
		const events = await loggedEvents(t.db.url, board.id);
		expect(events.filter((e) => e.type === 'board.version_restored')).toEqual([]);
		expect(events.filter((e) => e.type === 'task.deleted')).toEqual([]);

		// With the history writable again, the same restore goes through, undo version first.
		const restore = await api.post(
			`/api/v1/boards/${board.id}/versions/${named.body.id}/restore`,
			undefined,
			auth()
		);
		expect(restore.status).toBe(200);
		await waitFor(() => titles(c).join() === 'kept', 5000, 'the restore at the open board');
		expect((await namedVersions()).map((v) => v.name)).toEqual([
			'Before restoring “Plan A”',
			'Plan A'
		]);
		const undo = await api.get(
			`/api/v1/boards/${board.id}/versions/${restore.body.previous.id}`,
			auth()
		);
		expect(undo.body.board.columns[0].tasks.map((x: { title: string }) => x.title).sort()).toEqual([
			'added later',
			'renamed later'
		]);
	});

	it('reads and saves the undo again when an edit lands between reading the board and restoring', async () => {
		const board = await createBoard(api, ana);
		const c = await live(board.id);
		const column = readBoard(c.doc).columns[0]!.id;
		createTask(c.doc, { columnId: column, title: 'kept' }, { actorId: ana.id });
		await acknowledged(c);
		const named = await api.post(`/api/v1/boards/${board.id}/versions`, { name: 'Plan B' }, auth());
		expect(named.status).toBe(201);

		// The first read of the board is followed at once by someone's edit (through the same
		// live document a browser's edit reaches), before the restore is applied.
		const collab = t.app.runtime.ctx.collab;
		const read = collab.readBoard.bind(collab);
		let reads = 0;
		collab.readBoard = async (boardId, reader) => {
			const value = await read(boardId, reader);
			if (boardId === board.id && ++reads === 1) {
				await collab.changeBoard(boardId, ana.id, (doc) => {
					createTask(doc, { columnId: column, title: 'landed between' }, { actorId: ana.id });
				});
			}
			return value;
		};
		try {
			const restore = await api.post(
				`/api/v1/boards/${board.id}/versions/${named.body.id}/restore`,
				undefined,
				auth()
			);
			expect(restore.status).toBe(200);
			expect(reads).toBe(2);
			// The undo holds the edit that landed in between, so undoing brings it back.
			const undo = await api.get(
				`/api/v1/boards/${board.id}/versions/${restore.body.previous.id}`,
				auth()
			);
			expect(
				undo.body.board.columns[0].tasks.map((x: { title: string }) => x.title).sort()
			).toEqual(['kept', 'landed between']);
			await waitFor(() => titles(c).join() === 'kept', 5000, 'the restore at the open board');
			const kept = (await versions(board.id)).filter((v) => !v.automatic);
			expect(kept.map((v) => v.name)).toEqual(['Before restoring “Plan B”', 'Plan B']);
		} finally {
			collab.readBoard = read;
		}
	});

	it('pages the history newest first', async () => {
		const board = await createBoard(api, ana);
		for (const name of ['one', 'two', 'three']) {
			expect((await api.post(`/api/v1/boards/${board.id}/versions`, { name }, auth())).status).toBe(
				201
			);
		}
		const path = `/api/v1/boards/${board.id}/versions`;
		const first = await api.get(`${path}?limit=2`, auth());
		expect(first.body.items.map((v: Version) => v.name)).toEqual(['three', 'two']);
		const second = await api.get(`${path}?limit=2&cursor=${first.body.nextCursor}`, auth());
		expect(second.body).toMatchObject({ items: [{ name: 'one' }], nextCursor: null });
	});

	it('refuses a bad name with a typed error', async () => {
		const board = await createBoard(api, ana);
		const res = await api.post(`/api/v1/boards/${board.id}/versions`, { name: '  ' }, auth());
		expect(res.status).toBe(422);
		expect(res.body.errors.name).toBe('Enter a name.');
	});
});
