import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { createTask, initBoard, readBoard } from '#lib/domain/board/index.ts';
import type { Sql } from '#lib/server/db/client.ts';
import { BoardRowSync } from './row-sync.ts';

const actor = { actorId: 'ana', newId: () => crypto.randomUUID() };

/** A board with a card, its row sync, and an events companion whose capture can fail. */
function setUp() {
	const doc = new Y.Doc();
	initBoard(doc, { title: 'Board' }, actor);
	const marked: BoardRowSync[] = [];
	const events = { fail: false, captured: 0 };
	const sync = new BoardRowSync({
		sql: {} as Sql,
		boardId: crypto.randomUUID(),
		doc,
		batcher: { mark: (board) => void marked.push(board) },
		onLogged: () => {},
		events: {
			capture() {
				if (events.fail) throw new Error('capture failed');
				events.captured += 1;
				return null;
			}
		}
	});
	const columnId = readBoard(doc).columns[0]!.id;
	const cardId = createTask(doc, { columnId, title: 'Card' }, actor);
	return { doc, sync, marked, events, cardId };
}

describe('BoardRowSync.take', () => {
	it('takes the changes only once they are projected and their events captured', () => {
		const { sync, events, cardId } = setUp();
		// An API write's log row, which only this board's next write commits.
		sync.log({
			id: 7,
			boardId: 'b',
			update: new Uint8Array([1]),
			actorId: null,
			createdAt: new Date()
		});
		expect(sync.dirty).toBe(true);
		expect(sync.unlogged).toBe(1);

		events.fail = true;
		expect(() => sync.take()).toThrow('capture failed');
		// Nothing was taken: the log row is still pending and not counted twice.
		expect(sync.dirty).toBe(true);
		expect(sync.unlogged).toBe(1);

		events.fail = false;
		const taken = sync.take();
		expect(taken.pending.writes.map((w) => w.id)).toEqual([7]);
		expect([...(taken.tasks?.taskIds ?? [])]).toContain(cardId);
		expect(events.captured).toBe(1);
		expect(sync.dirty).toBe(false);
		// In transit until its transaction commits.
		expect(sync.unlogged).toBe(1);
		sync.committed(taken);
		expect(sync.unlogged).toBe(0);
	});
});
