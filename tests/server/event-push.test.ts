/**
 * Open boards hear about new activity: once the relay has delivered a board's events to the
 * event log, every connection to that board gets a stateless `events` message, and the feed
 * already holds the events when it arrives. With Redis the message also reaches connections on
 * an instance that did not relay the batch.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTask, readBoard } from '../../src/lib/domain/board/index.ts';
import { startPair, type TestApp, type TestPair } from './support/app.ts';
import { connect, waitFor, type TestProvider } from './support/collab.ts';
import { acknowledged } from './support/events.ts';
import { addMember, client, createBoard, signUp } from './support/http.ts';

let pair: TestPair;
let one: TestApp;
let two: TestApp;
const open: TestProvider[] = [];

beforeAll(async () => {
	pair = await startPair();
	({ one, two } = pair);
});
afterAll(async () => {
	for (const p of open) p.destroy();
	await pair?.stop();
});

/** Connects and counts the `events` messages the provider receives (and those about members). */
function listening(url: string, boardId: string, token: string) {
	const p = connect(url, boardId, { token });
	open.push(p);
	const heard = { count: 0, members: 0 };
	p.provider.on('stateless', ({ payload }: { payload: string }) => {
		const message = JSON.parse(payload) as { type?: string; members?: boolean };
		if (message.type !== 'events') return;
		heard.count += 1;
		if (message.members) heard.members += 1;
	});
	return { p, heard };
}

describe('live activity push', () => {
	it('tells every connection to the board, on both instances, after delivery', async () => {
		const api = client(one.url);
		const ana = await signUp(api, 'Ana');
		const ben = await signUp(api, 'Ben');
		const board = await createBoard(api, ana, 'Pushed');
		await addMember(api, ana, board.id, ben, 'viewer');
		const a = listening(one.url, board.id, ana.token);
		const b = listening(two.url, board.id, ben.token);
		expect(await a.p.ready).toBe(true);
		expect(await b.p.ready).toBe(true);
		// Events from before the connections (board.created, member.added) may still be relayed.
		await new Promise((r) => setTimeout(r, 1500));
		const before = { a: a.heard.count, b: b.heard.count };

		const todo = readBoard(a.p.doc).columns[0]!.id;
		const card = createTask(a.p.doc, { columnId: todo, title: 'Heard' }, { actorId: ana.id });
		await acknowledged(a.p);
		one.app.runtime.collab.hocuspocus.flushPendingStores();
		two.app.runtime.collab.hocuspocus.flushPendingStores();

		await waitFor(() => a.heard.count > before.a, 15_000, 'the message on instance one');
		await waitFor(() => b.heard.count > before.b, 15_000, 'the message on instance two');
		// Delivered first, announced after: a client re-reading the feed finds the event.
		const feed = await api.get(`/api/v1/boards/${board.id}/events?limit=5`, { token: ben.token });
		expect(feed.status).toBe(200);
		expect(feed.body.items[0]).toMatchObject({
			type: 'task.created',
			entityId: card,
			actorName: 'Ana'
		});
	});

	it('says when the board’s members changed, so open pages re-read them', async () => {
		const api = client(two.url);
		const ana = await signUp(api, 'Ana');
		const cal = await signUp(api, 'Cal');
		const board = await createBoard(api, ana, 'Members');
		const a = listening(one.url, board.id, ana.token);
		expect(await a.p.ready).toBe(true);
		await new Promise((r) => setTimeout(r, 1500));
		const before = { ...a.heard };

		// A card change alone is not news about members.
		const todo = readBoard(a.p.doc).columns[0]!.id;
		createTask(a.p.doc, { columnId: todo, title: 'Not members' }, { actorId: ana.id });
		await acknowledged(a.p);
		one.app.runtime.collab.hocuspocus.flushPendingStores();
		await waitFor(() => a.heard.count > before.count, 15_000, 'the card’s announcement');
		expect(a.heard.members).toBe(before.members);

		await addMember(api, ana, board.id, cal, 'editor');
		await waitFor(() => a.heard.members > before.members, 15_000, 'the members announcement');
	});

	it('does not tell connections to other boards', async () => {
		const api = client(two.url);
		const ana = await signUp(api, 'Ana');
		const busy = await createBoard(api, ana, 'Busy');
		const quiet = await createBoard(api, ana, 'Quiet');
		const a = listening(two.url, busy.id, ana.token);
		const q = listening(one.url, quiet.id, ana.token);
		expect(await a.p.ready).toBe(true);
		expect(await q.p.ready).toBe(true);
		await new Promise((r) => setTimeout(r, 1500));
		const before = { a: a.heard.count, q: q.heard.count };

		const todo = readBoard(a.p.doc).columns[0]!.id;
		createTask(a.p.doc, { columnId: todo, title: 'Only here' }, { actorId: ana.id });
		await acknowledged(a.p);
		two.app.runtime.collab.hocuspocus.flushPendingStores();
		await waitFor(() => a.heard.count > before.a, 15_000, 'the message on the busy board');
		await new Promise((r) => setTimeout(r, 500));
		expect(q.heard.count).toBe(before.q);
	});
});
