/**
 * The outbox under real failures: the event log's database dropped while 500 changes happen,
 * a MongoDB URL at a closed port, and the server SIGKILLed after edits were acknowledged but
 * before they were stored. Afterwards every event is in the log exactly once, in order per
 * board, attributed to the right user.
 */
import postgres from 'postgres';
import { afterAll, describe, expect, it } from 'vitest';
import {
	createTask,
	editDescription,
	readBoard,
	renameColumn,
	updateTask
} from '../../src/lib/domain/board/index.ts';
import { startTestApp } from './support/app.ts';
import { connect, waitFor, type TestProvider } from './support/collab.ts';
import { adminUrl, createTestDatabase, type TestDatabase } from './support/database.ts';
import { acknowledged, loggedEvents, summary, type LoggedEvent } from './support/events.ts';
import { addMember, client, createBoard, signUp, type TestUser } from './support/http.ts';
import { freePort, startServerProcess, type ServerProcess } from './support/process.ts';

const cleanup: (() => Promise<unknown> | void)[] = [];
afterAll(async () => {
	for (const step of cleanup.reverse()) await step();
});

async function database(): Promise<TestDatabase> {
	const db = await createTestDatabase();
	cleanup.push(() => db.drop());
	return db;
}

async function adminQuery(statement: string): Promise<void> {
	const admin = postgres(adminUrl, { max: 1, onnotice: () => {} });
	await admin.unsafe(statement);
	await admin.end();
}

async function scalar<T>(url: string, query: string): Promise<T> {
	const sql = postgres(url, { max: 1, onnotice: () => {} });
	try {
		const [row] = await sql.unsafe(query);
		return Object.values(row!)[0] as T;
	} finally {
		await sql.end();
	}
}

const tick = () => new Promise((r) => setTimeout(r, 1));
const byTime = (events: LoggedEvent[]) =>
	[...events].sort((x, y) => x.createdAt.localeCompare(y.createdAt) || x.seq - y.seq);

describe('event outbox', () => {
	it('delivers 500 events made while the event log was dropped, once each, in order per board', async () => {
		const target = await database();
		const t = await startTestApp({ EVENT_LOG_DATABASE_URL: target.url });
		cleanup.push(() => t.stop());
		const api = client(t.url);
		const ana = await signUp(api, 'Ana');
		const ben = await signUp(api, 'Ben');
		const boards = [await createBoard(api, ana, 'One'), await createBoard(api, ben, 'Two')];
		const providers = [
			connect(t.url, boards[0]!.id, { token: ana.token }),
			connect(t.url, boards[1]!.id, { token: ben.token })
		];
		for (const p of providers) {
			cleanup.push(() => p.destroy());
			expect(await p.ready).toBe(true);
		}
		await waitFor(
			() => (t.app.runtime.events.relay?.stats.delivered ?? 0) >= 4,
			10_000,
			'the first events'
		);

		await adminQuery(`drop database ${target.name} with (force)`);
		const created: string[][] = [[], []];
		for (let i = 0; i < 250; i++) {
			for (const [n, p] of providers.entries()) {
				const who = n === 0 ? ana : ben;
				const column = readBoard(p.doc).columns[0]!.id;
				created[n]!.push(
					createTask(p.doc, { columnId: column, title: `card ${i}` }, { actorId: who.id })
				);
			}
			await tick();
		}
		await acknowledged(...providers);
		t.app.runtime.collab.hocuspocus.flushPendingStores();
		await waitFor(
			() =>
				[...t.app.runtime.collab.hocuspocus.documents.keys()].every(
					(name) => t.app.runtime.eventLog!.pending(name) === 0
				),
			10_000,
			'the stores'
		);
		const ready = await api.get('/health/ready');
		expect(ready.status).toBe(200);
		expect(ready.body.status).toBe('degraded');
		expect(ready.body.checks.eventLog.status).toBe('down');
		expect(ready.body.checks.eventOutbox.depth).toBeGreaterThanOrEqual(500);

		await adminQuery(`create database ${target.name}`);
		await waitFor(
			() => t.app.runtime.events.relay!.stats.failing === 0,
			30_000,
			'the relay to reach the recreated database'
		);
		const drained = async () => (await t.app.runtime.ctx.events.outboxDepth()) === 0;
		for (let until = Date.now() + 30_000; !(await drained());) {
			if (Date.now() > until) throw new Error('the outbox did not drain');
			await new Promise((r) => setTimeout(r, 50));
		}

		for (const [n, board] of boards.entries()) {
			const events = (await loggedEvents(target.url, board.id)).filter(
				(e) => e.type === 'task.created'
			);
			expect(events.map((e) => e.entityId)).toEqual(created[n]);
			expect(events.map((e) => e.payload.title)).toEqual(created[n]!.map((_, i) => `card ${i}`));
			expect(new Set(events.map((e) => e.id)).size).toBe(250);
		}
		const ready2 = await api.get('/health/ready');
		expect(ready2.body.checks.eventLog.status).toBe('up');
		expect(ready2.body.checks.eventOutbox.depth).toBe(0);
	}, 120_000);

	it('keeps serving with one clear line when MongoDB is unreachable, events waiting', async () => {
		const db = await database();
		const port = await freePort();
		const server = await startServerProcess({
			DATABASE_URL: db.url,
			MONGODB_URL: `mongodb://127.0.0.1:${port}/taskflow_test`
		});
		cleanup.push(() => server.kill('SIGKILL'));
		const api = client(server.url);
		const ana = await signUp(api, 'Ana');
		await createBoard(api, ana, 'While MongoDB is down');
		// Several delivery attempts (5 s server selection each, then backoff).
		await new Promise((r) => setTimeout(r, 12_000));
		const lines = server.output
			.join('')
			.split('\n')
			.filter((line) => line.includes('Event log:'));
		expect(lines).toHaveLength(1);
		expect(lines[0]).toMatch(
			new RegExp(`MongoDB at 127\\.0\\.0\\.1:${port} is unreachable .*ECONNREFUSED`)
		);
		const ready = await api.get('/health/ready');
		expect(ready.status).toBe(200);
		expect(ready.body.checks.eventLog.status).toBe('down');
		// Sign-up, the sign-in after it, and the board.
		expect(ready.body.checks.eventOutbox.depth).toBe(3);
		const types = await scalar<string>(
			db.url,
			"select string_agg(event->>'type', ',' order by id) from event_outbox"
		);
		expect(types).toBe('user.signed_up,user.logged_in,board.created');
	}, 60_000);
});

describe('events across a crash', () => {
	let server: ServerProcess;
	let db: TestDatabase;
	let ana: TestUser;
	let ben: TestUser;

	async function restart(): Promise<void> {
		const port = new URL(server.url).port;
		server = await startServerProcess({ DATABASE_URL: db.url, PORT: port });
	}

	async function delivered(check: (events: LoggedEvent[]) => boolean): Promise<LoggedEvent[]> {
		for (let until = Date.now() + 20_000; ;) {
			const depth = await scalar<number>(
				db.url,
				'select count(*)::int from event_outbox where delivered_revision < revision'
			);
			const events = await loggedEvents(db.url);
			if (depth === 0 && check(events)) return events;
			if (Date.now() > until) throw new Error(`events not delivered: ${summary(events)}`);
			await new Promise((r) => setTimeout(r, 100));
		}
	}

	it('derives the events of acknowledged but unstored edits again after SIGKILL, once each', async () => {
		db = await database();
		server = await startServerProcess({ DATABASE_URL: db.url });
		cleanup.push(() => server.kill('SIGKILL'));
		const api = client(server.url);
		ana = await signUp(api, 'Ana');
		ben = await signUp(api, 'Ben');
		const board = await createBoard(api, ana, 'Crash');
		await addMember(api, ana, board.id, ben, 'editor');
		let a: TestProvider = connect(server.url, board.id, { token: ana.token });
		let b: TestProvider = connect(server.url, board.id, { token: ben.token });
		expect(await a.ready).toBe(true);
		expect(await b.ready).toBe(true);
		const columns = readBoard(a.doc).columns.map((c) => c.id);
		const card = createTask(
			a.doc,
			{ columnId: columns[0]!, title: 'Survive' },
			{ actorId: ana.id }
		);
		await waitFor(() => b.doc.getMap('tasks').has(card), 3000, 'the card on Ben’s side');
		updateTask(b.doc, { taskId: card, title: 'Survive a crash' }, { actorId: ben.id });
		await acknowledged(a, b);
		await waitFor(() => readBoard(a.doc).columns[0]!.tasks[0]!.title === 'Survive a crash', 3000);
		for (let i = 0; i < 20; i++) {
			editDescription(
				a.doc,
				{ taskId: card, index: i, deleteCount: 0, insert: 'z' },
				{ actorId: ana.id }
			);
		}
		await acknowledged(a, b);
		// Acknowledged, not stored (the store waits 2 s): kill now.
		await server.kill('SIGKILL');
		a.destroy();
		b.destroy();
		expect(await scalar<number>(db.url, 'select count(*)::int from board_updates')).toBeGreaterThan(
			0
		);
		const before = await loggedEvents(db.url, board.id);
		expect(before.filter((e) => e.type.startsWith('task.'))).toEqual([]);

		await restart();
		const afterCrash = await delivered((events) => events.some((e) => e.type === 'task.created'));
		const taskEvents = byTime(afterCrash.filter((e) => e.entityId === card));
		expect(summary(taskEvents)).toEqual([
			`task.created by ${ana.id}`,
			`task.updated by ${ben.id}`,
			`task.updated by ${ana.id}`
		]);
		expect(taskEvents[1]!.payload.changes).toEqual({
			title: { before: 'Survive', after: 'Survive a crash' }
		});
		expect(taskEvents[2]!.payload.changes).toEqual({
			description: { before: { chars: 0 }, after: { chars: 20 } }
		});

		// Now a crash after a store committed events: replaying what came after must not
		// duplicate them, and a typing burst that spans the store stays one event.
		a = connect(server.url, board.id, { token: ana.token });
		b = connect(server.url, board.id, { token: ben.token });
		expect(await a.ready).toBe(true);
		expect(await b.ready).toBe(true);
		const second = createTask(
			a.doc,
			{ columnId: columns[0]!, title: 'Second' },
			{ actorId: ana.id }
		);
		const type = (from: number, count: number) => {
			for (let i = from; i < from + count; i++) {
				editDescription(
					a.doc,
					{ taskId: second, index: i, deleteCount: 0, insert: 'w' },
					{ actorId: ana.id }
				);
			}
		};
		type(0, 10);
		renameColumn(b.doc, { columnId: columns[2]!, title: 'Shipped' }, { actorId: ben.id });
		await acknowledged(a, b);
		const stored = await delivered((events) => events.some((e) => e.type === 'column.renamed'));
		expect(await scalar<number>(db.url, 'select count(*)::int from board_updates')).toBe(0);
		const burst = stored.find((e) => e.type === 'task.updated' && e.entityId === second)!;
		expect(burst.payload.changes.description).toEqual({
			before: { chars: 0 },
			after: { chars: 10 }
		});
		type(10, 10);
		await acknowledged(a, b);
		await server.kill('SIGKILL');
		a.destroy();
		b.destroy();
		expect(await scalar<number>(db.url, 'select count(*)::int from board_updates')).toBeGreaterThan(
			0
		);

		await restart();
		const final = await delivered((events) =>
			events.some((e) => e.id === burst.id && e.payload.changes.description.after.chars === 20)
		);
		const ids = final.map((e) => e.id);
		expect(new Set(ids).size).toBe(ids.length);
		expect(summary(byTime(final.filter((e) => e.entityId === second)))).toEqual([
			`task.created by ${ana.id}`,
			`task.updated by ${ana.id}`
		]);
		expect(final.filter((e) => e.type === 'column.renamed')).toHaveLength(1);
		expect(final.filter((e) => e.entityId === card)).toHaveLength(3);
	}, 120_000);
});
