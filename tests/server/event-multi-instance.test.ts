/**
 * Two instances on one Redis and one database: a change reaches the other instance through
 * Redis, and only the instance whose client made it logs it. A board loaded on the second
 * instance before the first stored replays the first's log rows, and still logs nothing twice.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTask, moveTask, readBoard, updateTask } from '../../src/lib/domain/board/index.ts';
import { startPair, type TestApp, type TestPair } from './support/app.ts';
import { connect, waitFor, type TestProvider } from './support/collab.ts';
import type { TestDatabase } from './support/database.ts';
import { acknowledged, loggedEvents, settle, summary } from './support/events.ts';
import { addMember, client, createBoard, signUp } from './support/http.ts';

let pair: TestPair;
let db: TestDatabase;
let one: TestApp;
let two: TestApp;
const open: TestProvider[] = [];

beforeAll(async () => {
	pair = await startPair();
	({ db, one, two } = pair);
});
afterAll(async () => {
	for (const p of open) p.destroy();
	await pair?.stop();
});

function track(p: TestProvider): TestProvider {
	open.push(p);
	return p;
}

describe('events with two instances', () => {
	it('logs a change once, on the instance whose client made it', async () => {
		const api = client(one.url);
		const ana = await signUp(api, 'Ana');
		const ben = await signUp(api, 'Ben');
		const board = await createBoard(api, ana, 'Two instances');
		await addMember(api, ana, board.id, ben, 'editor');
		const a = track(connect(one.url, board.id, { token: ana.token }));
		const b = track(connect(two.url, board.id, { token: ben.token }));
		expect(await a.ready).toBe(true);
		expect(await b.ready).toBe(true);
		const [todo, doing] = readBoard(a.doc).columns.map((c) => c.id) as [string, string];

		const card = createTask(a.doc, { columnId: todo, title: 'Across' }, { actorId: ana.id });
		await waitFor(() => b.doc.getMap('tasks').has(card), 2000, 'the card on instance two');
		moveTask(b.doc, { taskId: card, columnId: doing }, { actorId: ben.id });
		await waitFor(
			() => readBoard(a.doc).columns[1]!.tasks.some((t) => t.id === card),
			2000,
			'the move on instance one'
		);
		updateTask(a.doc, { taskId: card, priority: 'urgent' }, { actorId: ana.id });
		await acknowledged(a, b);
		await waitFor(
			() => readBoard(b.doc).columns[1]!.tasks[0]?.priority === 'urgent',
			2000,
			'the update on instance two'
		);
		await Promise.all([settle(one.app), settle(two.app)]);

		// Each instance delivers its own events, so across instances delivery order is not the
		// order of the changes; their times are.
		const events = (await loggedEvents(db.url, board.id))
			.filter((e) => e.entityId === card)
			.sort((x, y) => x.createdAt.localeCompare(y.createdAt));
		expect(summary(events)).toEqual([
			`task.created by ${ana.id}`,
			`task.moved by ${ben.id}`,
			`task.updated by ${ana.id}`
		]);
		const instanceOf = (type: string) => events.find((e) => e.type === type)!.metadata.instance;
		expect(instanceOf('task.created')).toBe(one.app.runtime.ctx.instanceId);
		expect(instanceOf('task.moved')).toBe(two.app.runtime.ctx.instanceId);
	});

	it('logs once when the other instance loads the board before the first stored', async () => {
		const api = client(one.url);
		const ana = await signUp(api, 'Ana');
		const board = await createBoard(api, ana, 'Late loader');
		const a = track(connect(one.url, board.id, { token: ana.token }));
		expect(await a.ready).toBe(true);
		const column = readBoard(a.doc).columns[0]!.id;
		const cards = ['first', 'second', 'third'].map((title) =>
			createTask(a.doc, { columnId: column, title }, { actorId: ana.id })
		);
		await acknowledged(a);
		// Instance one has not stored yet (its debounce is 2 s): instance two loads the board
		// from the snapshot plus one's log rows, and derives their events again.
		const late = track(connect(two.url, board.id, { token: ana.token }));
		expect(await late.ready).toBe(true);
		expect(readBoard(late.doc).columns[0]!.tasks).toHaveLength(3);
		const name = `board:${board.id}`;
		expect(two.app.runtime.eventLog!.pending(name)).toBe(3);
		// Leaving unloads the board on instance two, which commits the events it derived.
		late.destroy();
		await waitFor(() => !two.app.runtime.collab.hocuspocus.documents.has(name), 5000, 'unload');
		await Promise.all([settle(one.app), settle(two.app)]);

		const events = (await loggedEvents(db.url, board.id)).filter((e) => e.type === 'task.created');
		expect(events.map((e) => e.entityId).sort()).toEqual([...cards].sort());
	});
});
