/**
 * `/boards/:id/history`: who may open the page and who gets the controls that change the board
 * (naming and restoring are edits: owners and editors of a live board; viewers read).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestUser } from './support/http.ts';
import { startTaskApi, type BoardFixture, type TaskApi } from './support/task-api.ts';

let s: TaskApi;
let board: BoardFixture;
beforeAll(async () => {
	s = await startTaskApi();
	board = await s.newBoard();
	const named = await s.api.post(
		`/api/v1/boards/${board.id}/versions`,
		{ name: 'Kick-off state' },
		{ token: s.ana.token }
	);
	expect(named.status).toBe(201);
});
afterAll(async () => {
	await s?.t.stop();
});

const page = (user: TestUser | null, boardId = board.id) =>
	s.api.get(`/boards/${boardId}/history`, user ? { cookie: `tf_session=${user.token}` } : {});

describe('/boards/:id/history', () => {
	it('sends signed-out visitors to the login page', async () => {
		const res = await page(null);
		expect(res.status).toBe(303);
		expect(res.headers.get('location')).toBe(
			`/login?redirectTo=${encodeURIComponent(`/boards/${board.id}/history`)}`
		);
	});

	it('answers 404 to someone outside the board, as for a board that does not exist', async () => {
		expect((await page(s.out)).status).toBe(404);
		expect((await page(s.ana, '00000000-0000-4000-8000-000000000000')).status).toBe(404);
	});

	it('shows owners and editors the versions with the naming form', async () => {
		for (const user of [s.ana, s.ed]) {
			const res = await page(user);
			expect(res.status).toBe(200);
			expect(res.body).toContain('Kick-off state');
			expect(res.body).toContain('Name the current version');
		}
	});

	it('shows viewers the versions without the naming form', async () => {
		const res = await page(s.vic);
		expect(res.status).toBe(200);
		expect(res.body).toContain('Kick-off state');
		expect(res.body).not.toContain('Name the current version');
	});

	it('keeps an archived board read-only for its owner too', async () => {
		const archived = await s.newBoard();
		expect(
			(await s.api.delete(`/api/v1/boards/${archived.id}`, { token: s.ana.token })).status
		).toBe(204);
		const res = await page(s.ana, archived.id);
		expect(res.status).toBe(200);
		expect(res.body).not.toContain('Name the current version');
	});
});
