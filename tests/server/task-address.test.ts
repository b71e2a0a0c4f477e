/**
 * Task endpoints on a card id that two boards hold (card ids are chosen by clients and unique
 * per board only): `?boardId=` picks the board, comments go to that board's card and no other,
 * and without it an id held by several of the caller's readable boards is refused with 409
 * (`ambiguous-task`), naming only boards the caller may read. One readable holder needs no
 * `boardId`; a `boardId` the caller cannot read answers like a card that does not exist.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTask, readBoard } from '../../src/lib/domain/board/index.ts';
import { startTestApp, type TestApp } from './support/app.ts';
import { connect, type TestProvider } from './support/collab.ts';
import { acknowledged } from './support/events.ts';
import {
	addMember,
	client,
	createBoard,
	signUp,
	type Client,
	type TestUser
} from './support/http.ts';
import { expectProblem } from './support/problem.ts';

let t: TestApp;
let api: Client;
let ana: TestUser;
let ben: TestUser;
let vic: TestUser;
let zed: TestUser;
const open: TestProvider[] = [];
/** The id the cards share, and the boards holding it: Ana's two and Zed's own. */
const shared = randomUUID();
const boards = { first: '', second: '', zeds: '' };

/** Adds a card with the shared id to `boardId` as a browser would (the client picks the id). */
async function cardWithSharedId(boardId: string, user: TestUser, title: string): Promise<void> {
	const editor = connect(t.url, boardId, { token: user.token });
	open.push(editor);
	expect(await editor.ready).toBe(true);
	const columnId = readBoard(editor.doc).columns[0]!.id;
	createTask(editor.doc, { columnId, title }, { actorId: user.id, newId: () => shared });
	await acknowledged(editor);
	editor.destroy();
}

const as = (user: TestUser) => ({ token: user.token });
const on = (boardId: string) => `boardId=${boardId}`;

beforeAll(async () => {
	t = await startTestApp();
	api = client(t.url);
	await signUp(api, 'Admin');
	ana = await signUp(api, 'Ana');
	ben = await signUp(api, 'Ben');
	vic = await signUp(api, 'Vic');
	zed = await signUp(api, 'Zed');
	boards.first = (await createBoard(api, ana, 'First')).id;
	boards.second = (await createBoard(api, ana, 'Second')).id;
	boards.zeds = (await createBoard(api, zed, 'Zed alone')).id;
	for (const id of [boards.first, boards.second]) await addMember(api, ana, id, ben, 'editor');
	await addMember(api, ana, boards.first, vic, 'viewer');
	await cardWithSharedId(boards.first, ana, 'On the first board');
	await cardWithSharedId(boards.second, ana, 'On the second board');
	await cardWithSharedId(boards.zeds, zed, 'On Zed’s board');
}, 60_000);

afterAll(async () => {
	for (const p of open) p.destroy();
	await t?.stop();
});

describe('a card id held by two boards', () => {
	it('is refused without boardId for a member of both, naming only boards they may read', async () => {
		const calls = [
			api.get(`/api/v1/tasks/${shared}`, as(ben)),
			api.get(`/api/v1/tasks/${shared}/comments`, as(ben)),
			api.post(`/api/v1/tasks/${shared}/comments`, { body: 'Where does this go?' }, as(ben)),
			api.get(`/api/v1/tasks/${shared}/events`, as(ben)),
			api.patch(`/api/v1/tasks/${shared}`, { title: 'Guessed' }, as(ben)),
			api.post(`/api/v1/tasks/${shared}/move`, { columnId: randomUUID() }, as(ben)),
			api.delete(`/api/v1/tasks/${shared}`, as(ben)),
			api.post(`/api/v1/tasks/${shared}/restore`, undefined, as(ben))
		];
		for (const res of await Promise.all(calls)) {
			expectProblem(res, 409);
			expect(res.body.type).toBe('urn:taskflow:problem:ambiguous-task');
			expect(res.body.detail).toContain('boardId');
			const named = res.body.boards.map((b: { id: string }) => b.id).sort();
			expect(named).toEqual([boards.first, boards.second].sort());
			expect(JSON.stringify(res.body)).not.toContain(boards.zeds);
			expect(JSON.stringify(res.body)).not.toContain('Zed');
		}
		// Nothing was written by any of them.
		for (const boardId of [boards.first, boards.second]) {
			const task = await api.get(`/api/v1/tasks/${shared}?${on(boardId)}`, as(ana));
			expect(task.body).toMatchObject({ boardId, deletedAt: null });
			expect(task.body.title).not.toBe('Guessed');
			const comments = await api.get(`/api/v1/tasks/${shared}/comments?${on(boardId)}`, as(ana));
			expect(comments.body.total).toBe(0);
		}
	});

	it('reads and comments on the board boardId names, and only there', async () => {
		const first = await api.get(`/api/v1/tasks/${shared}?${on(boards.first)}`, as(ben));
		const second = await api.get(`/api/v1/tasks/${shared}?${on(boards.second)}`, as(ben));
		expect(first.body).toMatchObject({ boardId: boards.first, title: 'On the first board' });
		expect(second.body).toMatchObject({ boardId: boards.second, title: 'On the second board' });

		const posted = await api.post(
			`/api/v1/tasks/${shared}/comments?${on(boards.second)}`,
			{ body: 'For the second board' },
			as(ben)
		);
		expect(posted.status, JSON.stringify(posted.body)).toBe(201);
		expect(posted.body).toMatchObject({ boardId: boards.second, taskId: shared });

		const read = (boardId: string) =>
			api.get(`/api/v1/tasks/${shared}/comments?limit=10&${on(boardId)}`, as(ana));
		expect((await read(boards.second)).body.items.map((c: any) => c.body)).toEqual([
			'For the second board'
		]);
		expect((await read(boards.first)).body).toMatchObject({ items: [], total: 0 });
		// The card faces' counts follow the same board.
		const counts = async (boardId: string) =>
			(await api.get(`/api/v1/boards/${boardId}/comment-counts`, as(ben))).body.counts;
		expect(await counts(boards.second)).toEqual({ [shared]: 1 });
		expect(await counts(boards.first)).toEqual({});

		const patched = await api.patch(
			`/api/v1/tasks/${shared}?${on(boards.first)}`,
			{ title: 'Renamed on the first' },
			as(ben)
		);
		expect(patched.body).toMatchObject({ boardId: boards.first, title: 'Renamed on the first' });
		const untouched = await api.get(`/api/v1/tasks/${shared}?${on(boards.second)}`, as(ben));
		expect(untouched.body.title).toBe('On the second board');

		const history = await api.get(`/api/v1/tasks/${shared}/events?${on(boards.first)}`, as(ben));
		expect(history.status).toBe(200);
	});

	it('needs no boardId when only one of the holders is readable, and hides the others', async () => {
		// Vic sees the first board only: no ambiguity, and none of the second board's comments.
		const comments = await api.get(`/api/v1/tasks/${shared}/comments`, as(vic));
		expect(comments.status, JSON.stringify(comments.body)).toBe(200);
		expect(comments.body.items.map((c: any) => c.boardId)).not.toContain(boards.second);
		const task = await api.get(`/api/v1/tasks/${shared}`, as(vic));
		expect(task.body.boardId).toBe(boards.first);
		// Naming a board Vic may not read answers like a card that does not exist.
		const hidden = await api.get(`/api/v1/tasks/${shared}/comments?${on(boards.second)}`, as(vic));
		const absent = await api.get(`/api/v1/tasks/${randomUUID()}/comments`, as(vic));
		expectProblem(hidden, 404);
		expectProblem(absent, 404);
		expect(hidden.body.detail).toBe(absent.body.detail);
		// Zed holds the id on a board of his own, and nothing of Ana's shows.
		const zeds = await api.get(`/api/v1/tasks/${shared}`, as(zed));
		expect(zeds.body).toMatchObject({ boardId: boards.zeds, title: 'On Zed’s board' });
	});

	it('refuses a malformed boardId, and one that does not hold the card', async () => {
		const malformed = await api.get(`/api/v1/tasks/${shared}?boardId=nope`, as(ben));
		expectProblem(malformed, 422);
		expect(malformed.body.errors).toHaveProperty('boardId');
		const elsewhere = (await createBoard(api, ben, 'Without the card')).id;
		const missing = await api.get(`/api/v1/tasks/${shared}?${on(elsewhere)}`, as(ben));
		expectProblem(missing, 404);
	});
});
