/**
 * Shared setup of the column and task API tests: an app, an owner (Ana) with an editor (Ed), a
 * viewer (Vic), an outsider (Out) and a read-only token of Ana's, and boards to work on.
 */
import { expect } from 'vitest';
import { startTestApp, type TestApp } from './app.ts';
import { addMember, client, createBoard, signUp, type Client, type TestUser } from './http.ts';

export interface BoardFixture {
	id: string;
	columns: { id: string; title: string }[];
}

export interface TaskApi {
	t: TestApp;
	api: Client;
	ana: TestUser;
	ed: TestUser;
	vic: TestUser;
	out: TestUser;
	readToken: string;
	/** A fresh board of Ana's with Ed as editor and Vic as viewer, and its starter columns. */
	newBoard(): Promise<BoardFixture>;
	/** Creates a task (as Ana unless `token` is given) and returns its JSON. */
	newTask(
		board: BoardFixture,
		body?: Record<string, unknown>,
		token?: string
	): Promise<Record<string, any> & { id: string; version: number }>;
}

export const tasksPath = (board: { id: string }, query = '') =>
	`/api/v1/boards/${board.id}/tasks${query}`;

export async function startTaskApi(): Promise<TaskApi> {
	const t = await startTestApp();
	const api = client(t.url);
	// The first user to sign up becomes an admin; keep the actors under test ordinary users.
	await signUp(api, 'Admin');
	const ana = await signUp(api, 'Ana');
	const ed = await signUp(api, 'Ed');
	const vic = await signUp(api, 'Vic');
	const out = await signUp(api, 'Out');
	const token = await api.post(
		'/api/v1/tokens',
		{ name: 'reader', scope: 'read' },
		{ token: ana.token }
	);
	expect(token.status).toBe(201);

	async function newBoard(): Promise<BoardFixture> {
		const board = await createBoard(api, ana);
		await addMember(api, ana, board.id, ed, 'editor');
		await addMember(api, ana, board.id, vic, 'viewer');
		const res = await api.get(`/api/v1/boards/${board.id}/columns`, { token: ana.token });
		return { id: board.id, columns: res.body.items };
	}

	async function newTask(board: BoardFixture, body: Record<string, unknown> = {}, as = ana.token) {
		const res = await api.post(tasksPath(board), { title: 'A task', ...body }, { token: as });
		expect(res.status, JSON.stringify(res.body)).toBe(201);
		return res.body as Record<string, any> & { id: string; version: number };
	}

	return { t, api, ana, ed, vic, out, readToken: token.body.token, newBoard, newTask };
}
