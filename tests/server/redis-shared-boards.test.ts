/**
 * An instance publishes a board's changes and presence to Redis only once it has heard another
 * instance on that board (server/extensions/RedisSync.ts): a board held by one instance costs
 * Redis nothing per edit, and once a second instance opens it, edits cross both ways.
 */
import { IncomingMessage, MessageType } from '@hocuspocus/server';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { createTask, readBoard } from '../../src/lib/domain/board/index.ts';
import { startPair, testRedisUrl, type TestPair } from './support/app.ts';
import { connect, waitFor } from './support/collab.ts';
import { client, createBoard, signUp } from './support/http.ts';

/** What a message published on a board channel is: its type, and a state vector's client ids. */
interface Published {
	channel: string;
	/** The publishing instance's identifier. */
	sender: string;
	type: number;
	/** For a sync step 1 (a change announced): the client ids its state vector holds. */
	clients?: number[];
}

let pair: TestPair;
let spy: Redis;
const published: Published[] = [];
beforeAll(async () => {
	pair = await startPair();
	spy = new Redis(testRedisUrl);
	spy.on('pmessageBuffer', (_pattern: Buffer, channel: Buffer, data: Buffer) => {
		// The extension's framing: the sender's identifier, length first, then the message.
		const sender = data.toString('utf8', 1, data[0]! + 1);
		const message = new IncomingMessage(data.subarray(data[0]! + 1));
		message.readVarString();
		const type = message.readVarUint();
		const entry: Published = { channel: String(channel), sender, type };
		if (type === MessageType.Sync && message.readVarUint() === 0) {
			entry.clients = [...Y.decodeStateVector(message.readVarUint8Array()).keys()];
		}
		published.push(entry);
	});
	await spy.psubscribe('tf:collab:board:*');
});
afterAll(async () => {
	spy?.disconnect();
	await pair?.stop();
});

const titles = (doc: Y.Doc) => readBoard(doc).columns.flatMap((c) => c.tasks.map((t) => t.title));
const add = (doc: Y.Doc, title: string, actorId: string) =>
	createTask(doc, { columnId: readBoard(doc).columns[0]!.id, title }, { actorId });
const channel = (boardId: string) => `tf:collab:board:${boardId}`;
/** Announcements of a change by `clientId`, or presence updates, on a board's channel. */
const announced = (boardId: string, clientId: number, sender?: string) =>
	published.filter(
		(p) =>
			p.channel === channel(boardId) &&
			(sender === undefined || p.sender === sender) &&
			(p.type === MessageType.Awareness || p.clients?.includes(clientId))
	);

describe('Redis only for boards held by more than one instance', () => {
	it('publishes nothing for a board one instance holds, and syncs it once two do', async () => {
		const { one, two } = pair;
		const ana = await signUp(client(one.url), 'Ana');
		const alone = await createBoard(client(one.url), ana);
		const shared = await createBoard(client(one.url), ana);
		const aloneA = connect(one.url, alone.id, { token: ana.token });
		const aloneB = connect(one.url, alone.id, { token: ana.token });
		const sharedOne = connect(one.url, shared.id, { token: ana.token });
		const sharedTwo = connect(two.url, shared.id, { token: ana.token });
		const providers = [aloneA, aloneB, sharedOne, sharedTwo];
		try {
			for (const p of providers) expect(await p.ready).toBe(true);
			// Only instance one holds the lone board: what loading it announced names instance one.
			await waitFor(
				() => published.some((p) => p.channel === channel(alone.id)),
				5000,
				'the lone board announced at load'
			);
			const oneId = published.find((p) => p.channel === channel(alone.id))!.sender;

			add(aloneA.doc, 'on one only', ana.id);
			aloneA.provider.setAwarenessField('openCard', 'somewhere');
			const openCard = () =>
				(
					aloneB.provider.awareness!.getStates().get(aloneA.doc.clientID) as
						{ openCard?: string } | undefined
				)?.openCard;
			await waitFor(() => titles(aloneB.doc).includes('on one only'), 5000, 'edit on one');
			await waitFor(() => openCard() === 'somewhere', 5000, 'presence on one');

			// The shared board's change goes out on instance one's publisher after anything the
			// lone board's edit and presence would have (they came first, and one connection is
			// delivered in order): once it is seen, those were never sent.
			add(sharedOne.doc, 'one to two', ana.id);
			await waitFor(() => titles(sharedTwo.doc).includes('one to two'), 5000, 'one -> two');
			await waitFor(
				() => announced(shared.id, sharedOne.doc.clientID, oneId).length > 0,
				5000,
				"the shared board's change announced by instance one"
			);
			expect(announced(alone.id, aloneA.doc.clientID)).toEqual([]);

			// Instance two opens the lone board: its announcement is heard, and one's next change
			// reaches it through Redis (it loaded the first one from PostgreSQL).
			const aloneTwo = connect(two.url, alone.id, { token: ana.token });
			providers.push(aloneTwo);
			expect(await aloneTwo.ready).toBe(true);
			add(aloneA.doc, 'after two came', ana.id);
			await waitFor(() => titles(aloneTwo.doc).includes('after two came'), 5000, 'one -> two');
			add(aloneTwo.doc, 'from two', ana.id);
			await waitFor(() => titles(aloneA.doc).includes('from two'), 5000, 'two -> one');
			// Presence crosses too, now that the board is held twice.
			aloneA.provider.setAwarenessField('openCard', 'after sharing');
			await waitFor(
				() =>
					(
						aloneTwo.provider.awareness!.getStates().get(aloneA.doc.clientID) as
							{ openCard?: string } | undefined
					)?.openCard === 'after sharing',
				5000,
				'presence one -> two'
			);
		} finally {
			for (const p of providers) p.destroy();
		}
	});
});
