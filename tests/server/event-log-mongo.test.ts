/**
 * The app with its event log in MongoDB (MONGODB_URL; in CI a FerretDB): a card made over a
 * real websocket reaches the board's activity feed, read back from MongoDB and not from
 * PostgreSQL. Skips, saying why, without MONGODB_URL.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { createTask, readBoard } from '../../src/lib/domain/board/index.ts';
import { startTestApp } from './support/app.ts';
import { connect } from './support/collab.ts';
import { acknowledged, loggedEvents, settle } from './support/events.ts';
import { addMember, client, createBoard, signUp } from './support/http.ts';
import {
	mongoEvents,
	mongoSkipReason,
	mongoTestDatabase,
	mongoUrl,
	reportMongoSkip
} from './support/mongo.ts';

reportMongoSkip('event log on MongoDB');

const cleanup: (() => Promise<unknown> | void)[] = [];
afterAll(async () => {
	for (const step of cleanup.reverse()) await step();
});

describe.skipIf(!mongoUrl)(
	mongoUrl ? 'event log on MongoDB' : `event log on MongoDB (skipped: ${mongoSkipReason})`,
	() => {
		it('shows a card made over a websocket in the activity feed, read from MongoDB', async () => {
			const mongo = mongoTestDatabase('tf_activity');
			cleanup.push(() => mongo.drop());
			const t = await startTestApp({ MONGODB_URL: mongo.url });
			cleanup.push(() => t.stop());
			const api = client(t.url);
			const ana = await signUp(api, 'Ana');
			const ben = await signUp(api, 'Ben');
			const board = await createBoard(api, ana, 'On MongoDB');
			await addMember(api, ana, board.id, ben, 'viewer');
			const a = connect(t.url, board.id, { token: ana.token });
			cleanup.push(() => a.destroy());
			expect(await a.ready).toBe(true);

			const column = readBoard(a.doc).columns[0]!.id;
			const card = createTask(
				a.doc,
				{ columnId: column, title: 'Stored in Mongo' },
				{
					actorId: ana.id
				}
			);
			await acknowledged(a);
			await settle(t.app);

			const feed = await api.get(`/api/v1/boards/${board.id}/events?limit=10`, {
				token: ben.token
			});
			expect(feed.status).toBe(200);
			expect(feed.body.items[0]).toMatchObject({
				type: 'task.created',
				entityId: card,
				actorName: 'Ana',
				payload: { title: 'Stored in Mongo' }
			});
			// The feed's events are MongoDB's documents, and PostgreSQL's log stayed empty.
			const stored = await mongoEvents(mongo.url, board.id);
			expect(stored.map((e) => e._id).reverse()).toEqual(
				feed.body.items.map((e: { id: string }) => e.id)
			);
			expect(stored.map((e) => e.type)).toEqual(['board.created', 'member.added', 'task.created']);
			expect(await loggedEvents(t.db.url, board.id)).toEqual([]);

			const ready = await api.get('/health/ready');
			expect(ready.body.checks.eventLog).toMatchObject({ status: 'up', adapter: 'mongodb' });
		});
	}
);
