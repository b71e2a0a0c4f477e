/**
 * A store that fails for real (its table is gone for a while) is retried with backoff; the
 * in-memory document is never dropped, and once the table is back the store lands.
 */
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { createTask, readBoard } from '../../src/lib/domain/board/index.ts';
import { startTestApp, type TestApp } from './support/app.ts';
import { connect, waitFor } from './support/collab.ts';
import { client, createBoard, signUp } from './support/http.ts';

let t: TestApp;
let sql: postgres.Sql;
beforeAll(async () => {
	t = await startTestApp();
	sql = postgres(t.db.url, { max: 1, onnotice: () => {} });
});
afterAll(async () => {
	await sql?.end();
	await t?.stop();
});

async function storedTitles(boardId: string): Promise<string[]> {
	const [row] = await sql`select snapshot from board_documents where board_id = ${boardId}`;
	const doc = new Y.Doc();
	Y.applyUpdate(doc, new Uint8Array(row!.snapshot));
	return readBoard(doc).columns.flatMap((c) => c.tasks.map((task) => task.title));
}

describe('store retries', () => {
	it('keeps retrying while the database refuses, then stores everything', async () => {
		const api = client(t.url);
		const ana = await signUp(api, 'Ana');
		const board = await createBoard(api, ana);
		const c = connect(t.url, board.id, { token: ana.token });
		expect(await c.ready).toBe(true);
		const column = readBoard(c.doc).columns[0]!.id;

		// Every store writes board_documents first; without it the store fails.
		await sql`alter table board_documents rename to board_documents_away`;
		createTask(
			c.doc,
			{ columnId: column, title: 'written during the outage' },
			{ actorId: ana.id }
		);
		// Acknowledged: the write-ahead log (a different table) still works.
		await waitFor(() => c.provider.unsyncedChanges === 0, 5000, 'acknowledgement');
		t.app.runtime.collab.hocuspocus.flushPendingStores();
		await new Promise((r) => setTimeout(r, 1500));
		const [log] =
			await sql`select count(*)::int as n from board_updates where board_id = ${board.id}`;
		expect(log!.n).toBeGreaterThan(0);

		await sql`alter table board_documents_away rename to board_documents`;
		let titles: string[] = [];
		const deadline = Date.now() + 15_000;
		while (!titles.includes('written during the outage') && Date.now() < deadline) {
			await new Promise((r) => setTimeout(r, 200));
			titles = await storedTitles(board.id);
		}
		expect(titles).toContain('written during the outage');
		// The retried store compacted the log it covered.
		const [after] =
			await sql`select count(*)::int as n from board_updates where board_id = ${board.id}`;
		expect(after!.n).toBe(0);
		// The live document was never dropped: a second client still sees the card.
		const d = connect(t.url, board.id, { token: ana.token });
		expect(await d.ready).toBe(true);
		expect(readBoard(d.doc).columns[0]!.tasks.map((task) => task.title)).toContain(
			'written during the outage'
		);
		c.destroy();
		d.destroy();
	}, 40_000);
});
