/**
 * Two people typing alternately in one description for a second and a half: the event log keeps
 * every interleaved burst (exact, for integrators), and the activity feed shows two entries,
 * one per person, grouped by `groupActivity` as the board page's feed does.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type * as Y from 'yjs';
import type { EventDto } from '../../src/lib/api/events.ts';
import { groupActivity } from '../../src/lib/domain/activity-bursts.ts';
import { createTask, editDescription, readBoard } from '../../src/lib/domain/board/index.ts';
import { startTestApp, type TestApp } from './support/app.ts';
import { connect, waitFor, type TestProvider } from './support/collab.ts';
import { acknowledged, settle } from './support/events.ts';
import { addMember, client, createBoard, signUp, type TestUser } from './support/http.ts';

let t: TestApp;
let ana: TestUser;
let ben: TestUser;
const open: TestProvider[] = [];

beforeAll(async () => {
	t = await startTestApp();
	const api = client(t.url);
	ana = await signUp(api, 'Ana');
	ben = await signUp(api, 'Ben');
});
afterAll(async () => {
	for (const p of open) p.destroy();
	await t?.stop();
});

const descriptionLength = (doc: Y.Doc, card: string) =>
	((doc.getMap('tasks').get(card) as Y.Map<unknown>).get('description') as Y.Text).length;

describe('activity bursts', () => {
	it('shows two people typing alternately in one card for 1.5 s as two entries', async () => {
		const api = client(t.url);
		const board = await createBoard(api, ana, 'Typing together');
		await addMember(api, ana, board.id, ben, 'editor');
		const a = connect(t.url, board.id, { token: ana.token });
		const b = connect(t.url, board.id, { token: ben.token });
		open.push(a, b);
		expect(await a.ready).toBe(true);
		expect(await b.ready).toBe(true);
		const columnId = readBoard(a.doc).columns[0]!.id;
		const card = createTask(a.doc, { columnId, title: 'Shared notes' }, { actorId: ana.id });
		await waitFor(() => b.doc.getMap('tasks').has(card), 3000, 'the card on Ben’s side');

		const started = Date.now();
		let turns = 0;
		// At most 40 turns (one page of events), however fast the machine types.
		while (Date.now() - started < 1500 && turns < 40) {
			const [p, who] = turns % 2 === 0 ? [a, ana] : [b, ben];
			const index = descriptionLength(p.doc, card);
			editDescription(
				p.doc,
				{ taskId: card, index, deleteCount: 0, insert: 'xy' },
				{ actorId: who.id }
			);
			turns++;
			await acknowledged(p);
			await waitFor(
				() => descriptionLength(a.doc, card) === descriptionLength(b.doc, card),
				3000,
				'both sides'
			);
		}
		await settle(t.app);

		const page = await api.get<{ items: EventDto[] }>(
			`/api/v1/boards/${board.id}/events?limit=200`,
			{ token: ana.token }
		);
		expect(page.status).toBe(200);
		const updates = page.body.items.filter((e) => e.type === 'task.updated');
		// The log stays exact: one event per uninterrupted turn.
		expect(turns).toBeGreaterThanOrEqual(6);
		expect(updates.length).toBe(turns);

		const entries = groupActivity(page.body.items).filter((e) => e.event.type === 'task.updated');
		expect(entries.map((e) => e.event.actorId).toSorted()).toEqual([ana.id, ben.id].toSorted());
		expect(entries.reduce((sum, e) => sum + e.ids.length, 0)).toBe(turns);
		const anaEntry = entries.find((e) => e.event.actorId === ana.id)!;
		// From Ana's first keystrokes (an empty description) to her last.
		expect(anaEntry.event.payload.changes).toMatchObject({
			description: { before: { chars: 0 } }
		});
	});
});
