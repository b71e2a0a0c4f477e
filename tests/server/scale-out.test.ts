/** Two instances on one Redis: clients on different instances edit one board live. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { createTask, readBoard, updateTask } from '../../src/lib/domain/board/index.ts';
import { loadBoardState } from '../../src/lib/server/board-documents.ts';
import { createSql } from '../../src/lib/server/db/client.ts';
import {
	startPair,
	startTestApp,
	testRedisUrl,
	type TestApp,
	type TestPair
} from './support/app.ts';
import { connect, waitFor } from './support/collab.ts';
import type { TestDatabase } from './support/database.ts';
import { addMember, client, createBoard, signUp } from './support/http.ts';

let pair: TestPair;
let db: TestDatabase;
let one: TestApp;
let two: TestApp;
beforeAll(async () => {
	pair = await startPair();
	({ db, one, two } = pair);
});
afterAll(async () => {
	await pair?.stop();
});

function titles(doc: Y.Doc): string[] {
	return readBoard(doc)
		.columns.flatMap((c) => c.tasks.map((t) => t.title))
		.sort();
}

describe('scale-out through Redis', () => {
	it('syncs edits between instances within a second and stores both', async () => {
		const ana = await signUp(client(one.url), 'Ana');
		const board = await createBoard(client(one.url), ana);
		const a = connect(one.url, board.id, { token: ana.token });
		const b = connect(two.url, board.id, { token: ana.token });
		expect(await a.ready).toBe(true);
		expect(await b.ready).toBe(true);
		const column = readBoard(a.doc).columns[0]!.id;

		let started = Date.now();
		const fromA = createTask(
			a.doc,
			{ columnId: column, title: 'from instance one' },
			{ actorId: ana.id }
		);
		await waitFor(() => titles(b.doc).includes('from instance one'), 1000, 'A -> B');
		const aToB = Date.now() - started;

		started = Date.now();
		createTask(b.doc, { columnId: column, title: 'from instance two' }, { actorId: ana.id });
		await waitFor(() => titles(a.doc).includes('from instance two'), 1000, 'B -> A');
		const bToA = Date.now() - started;
		expect(aToB).toBeLessThan(1000);
		expect(bToA).toBeLessThan(1000);

		// Concurrent edits of different fields of one card, one per instance, both survive.
		updateTask(a.doc, { taskId: fromA, priority: 'urgent' }, { actorId: ana.id });
		updateTask(b.doc, { taskId: fromA, title: 'renamed on two' }, { actorId: ana.id });
		await waitFor(
			() => titles(a.doc).includes('renamed on two') && titles(b.doc).includes('renamed on two'),
			2000,
			'concurrent field edits'
		);
		await waitFor(() => a.provider.unsyncedChanges === 0 && b.provider.unsyncedChanges === 0, 2000);
		a.destroy();
		b.destroy();
		await one.stop();
		await two.stop();

		const sql = createSql({ url: db.url, max: 1 });
		const stored = await loadBoardState(sql, board.id);
		await sql.end();
		const doc = new Y.Doc();
		if (stored.snapshot) Y.applyUpdate(doc, stored.snapshot);
		for (const u of stored.updates) Y.applyUpdate(doc, u.update);
		expect(titles(doc)).toEqual(['from instance two', 'renamed on two']);
		const card = readBoard(doc).columns[0]!.tasks.find((t) => t.id === fromA)!;
		expect(card.priority).toBe('urgent');
	});

	it('cuts a removed member off on every instance within 2 seconds', async () => {
		const three = await startTestApp({ REDIS_URL: testRedisUrl }, db);
		const four = await startTestApp({ REDIS_URL: testRedisUrl }, db);
		try {
			const owner = await signUp(client(three.url), 'Owner');
			const ben = await signUp(client(three.url), 'Ben');
			const board = await createBoard(client(three.url), owner);
			await addMember(client(three.url), owner, board.id, ben, 'editor');
			const benOnFour = connect(four.url, board.id, { token: ben.token });
			expect(await benOnFour.ready).toBe(true);
			let closed = false;
			benOnFour.socket.on('close', () => (closed = true));

			const res = await client(three.url).delete(`/api/v1/boards/${board.id}/members/${ben.id}`, {
				token: owner.token
			});
			expect(res.status).toBe(204);
			await waitFor(() => closed, 2000, 'the socket on the other instance to close');
			benOnFour.destroy();
		} finally {
			await three.stop();
			await four.stop();
		}
	});
});
