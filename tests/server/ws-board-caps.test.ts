/**
 * How many boards a socket may open and one user may hold open on an instance (WsLimits): a
 * loaded board stays in memory while any connection holds it, and a hostile probe pinned a
 * user's 39 boards (60,000 cards, +660 MB) on one socket in 5 s. Small caps here: 2 a socket,
 * 3 a user.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from './support/app.ts';
import { client, createBoard, signUp, type TestUser } from './support/http.ts';
import { rawClient, type RawClient } from './support/raw-collab.ts';

let t: TestApp;
let ana: TestUser;
let boards: string[];
const sockets: RawClient[] = [];
beforeAll(async () => {
	t = await startTestApp({ WS_MAX_DOCUMENTS_PER_SOCKET: '2', WS_MAX_BOARDS_PER_USER: '3' });
	ana = await signUp(client(t.url), 'Ana');
	boards = [];
	for (let i = 0; i < 4; i++) boards.push((await createBoard(client(t.url), ana)).id);
});
afterAll(async () => {
	for (const socket of sockets) socket.socket.terminate();
	await t?.stop();
});

const socketFor = (boardId: string) => {
	const socket = rawClient(t.url, boardId);
	sockets.push(socket);
	return socket;
};
const board = (i: number) => `board:${boards[i]}`;

describe('boards held open', () => {
	it('refuses a third board on one socket and a fourth board for one user, and frees them on close', async () => {
		const first = socketFor(boards[0]!);
		expect(await first.open(board(0), ana.token)).toEqual({ ok: true, reason: null });
		expect(await first.open(board(1), ana.token)).toEqual({ ok: true, reason: null });
		expect(await first.open(board(2), ana.token)).toEqual({
			ok: false,
			reason: 'too-many-documents'
		});

		const second = socketFor(boards[2]!);
		expect(await second.open(board(2), ana.token)).toEqual({ ok: true, reason: null });
		expect(await second.open(board(3), ana.token)).toEqual({
			ok: false,
			reason: 'too-many-boards'
		});
		// A board the user holds already is always admitted (a second tab, a reconnection).
		expect(await second.open(board(0), ana.token)).toEqual({ ok: true, reason: null });

		// Closing the first socket lets go of board 1 (board 0 is still held by the second).
		first.socket.close();
		await first.closed;
		const third = socketFor(boards[3]!);
		for (const until = Date.now() + 5000; ;) {
			const answer = await third.open(board(3), ana.token);
			if (answer.ok) break;
			expect(answer.reason).toBe('too-many-boards');
			if (Date.now() > until) throw new Error('board 1 was never let go of');
			await new Promise((resolve) => setTimeout(resolve, 20));
		}
		// Connections count, not names: Hocuspocus multiplexes one board as `board:x\0<session>`.
		const fourth = socketFor(boards[0]!);
		for (const session of ['a', 'b']) {
			expect(await fourth.open(`${board(0)}\u0000${session}`, ana.token)).toEqual({
				ok: true,
				reason: null
			});
		}
		expect(await fourth.open(`${board(0)}\u0000c`, ana.token)).toEqual({
			ok: false,
			reason: 'too-many-documents'
		});
		// Another user is not counted against Ana.
		const bo = await signUp(client(t.url), 'Bo');
		const bos = (await createBoard(client(t.url), bo)).id;
		expect(await socketFor(bos).open(`board:${bos}`, bo.token)).toEqual({ ok: true, reason: null });
	});
});
