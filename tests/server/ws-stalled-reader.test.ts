/**
 * A websocket that stops reading is dropped, not buffered for forever: one client joins a board
 * and then reads nothing (its TCP socket paused), while another fills the board with cards. The
 * server holds what the stalled client does not read; over WS_SEND_BACKLOG, a socket that drains
 * less than 16 KiB/s over WS_SEND_STALL_MS is terminated and counted. A client that reads keeps
 * its socket and gets every card. The server runs as its own process, so the writer's and the
 * readers' work does not share its event loop.
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTask, readBoard } from '../../src/lib/domain/board/index.ts';
import { maxDescriptionLength } from '../../src/lib/domain/board/schema.ts';
import { connect, waitFor } from './support/collab.ts';
import { createTestDatabase, type TestDatabase } from './support/database.ts';
import { client, createBoard, signUp, type TestUser } from './support/http.ts';
import { startServerProcess, type ServerProcess } from './support/process.ts';
import { awarenessFrame, rawClient } from './support/raw-collab.ts';

const backlogLimit = 64 * 1024;
const stallMs = 500;
const cardsPerWrite = 40;
/** Enough for ~40 MB: far past the kernel's buffers (a few MB on loopback) and the limit. */
const maxWrites = 40;

let db: TestDatabase;
let server: ServerProcess;
let ana: TestUser;
const open: { destroy(): void }[] = [];
beforeAll(async () => {
	db = await createTestDatabase();
	server = await startServerProcess({
		DATABASE_URL: db.url,
		WS_SEND_BACKLOG: String(backlogLimit),
		WS_SEND_STALL_MS: String(stallMs),
		// The writer sends ~1 MB a message; its own budget must not be what stops it.
		WS_BYTE_RATE: String(256 * 1024 * 1024),
		WS_BYTE_BURST: String(256 * 1024 * 1024)
	});
	ana = await signUp(client(server.url), 'Ana');
});
afterAll(async () => {
	for (const c of open) c.destroy();
	await server?.kill('SIGKILL');
	await db?.drop();
});

function residentMb(pid: number): number {
	const status = readFileSync(`/proc/${pid}/status`, 'utf8');
	return Number(/VmRSS:\s+(\d+) kB/.exec(status)![1]) / 1024;
}

const dropLine = 'websocket stopped reading its updates; dropped';
const dropped = () => server.output.join('').includes(dropLine);

describe('a websocket that stops reading', () => {
	it('is terminated once its backlog stalls over the limit; a reading client keeps up', async () => {
		const board = await createBoard(client(server.url), ana, 'Busy');
		const writer = connect(server.url, board.id, { token: ana.token });
		const reader = connect(server.url, board.id, { token: ana.token });
		open.push(writer, reader);
		expect(await writer.ready).toBe(true);
		expect(await reader.ready).toBe(true);
		let readerDisconnects = 0;
		reader.provider.configuration.websocketProvider.on('disconnect', () => readerDisconnects++);

		const stalled = rawClient(server.url, board.id);
		open.push({ destroy: () => stalled.socket.terminate() });
		expect(await stalled.authenticate(ana.token)).toBe(true);
		// Stop reading: the kernel's buffers fill, then the server's backlog grows. Keep sending
		// presence, as a provider does, so no idle timeout ends the socket instead.
		stalled.socket.pause();
		let clock = 0;
		const heartbeat = setInterval(() => {
			if (stalled.isClosed()) return;
			const state = { user: { name: 'Stuck' }, at: Date.now() };
			stalled.send(awarenessFrame(stalled.document, { clientId: 4242, clock: ++clock, state }));
		}, 200);
		open.push({ destroy: () => clearInterval(heartbeat) });
		const rssBefore = residentMb(server.child.pid!);

		const columnId = readBoard(writer.doc).columns[0]!.id;
		const description = 'd'.repeat(maxDescriptionLength);
		let cards = 0;
		for (let write = 0; write < maxWrites && !dropped(); write++) {
			writer.doc.transact(() => {
				for (let i = 0; i < cardsPerWrite; i++) {
					createTask(
						writer.doc,
						{ columnId, title: `card ${cards++}`, description },
						{
							actorId: ana.id
						}
					);
				}
			});
			await waitFor(() => writer.provider.unsyncedChanges === 0, 30_000, 'the write acknowledged');
		}
		const rssWritten = residentMb(server.child.pid!);
		console.log(
			`wrote ${cards} cards (${((cards * maxDescriptionLength) / 1e6).toFixed(0)} MB of descriptions); ` +
				`server RSS ${rssBefore.toFixed(0)} MB before, ${rssWritten.toFixed(0)} MB after`
		);
		await waitFor(dropped, 20_000, 'the stalled socket to be dropped');
		clearInterval(heartbeat);
		const line = server.output
			.join('')
			.split('\n')
			.find((l) => l.includes(dropLine))!;
		const { backlogBytes, reason } = JSON.parse(line.slice(line.indexOf('{'))) as {
			backlogBytes: number;
			reason: string;
		};
		expect(backlogBytes).toBeGreaterThan(backlogLimit);
		expect(reason).toBe('behind');

		// Reading again, it finds the connection ended without a close frame (terminated).
		stalled.socket.resume();
		expect(await stalled.closed).toMatchObject({ code: 1006 });

		// The client that kept reading was not touched and has every card.
		const cardsRead = () =>
			readBoard(reader.doc).columns.reduce((n, column) => n + column.tasks.length, 0);
		await waitFor(() => cardsRead() === cards, 30_000, 'every card read');
		expect(readerDisconnects).toBe(0);
		expect(server.output.join('').split(dropLine)).toHaveLength(2); // dropped once: the stalled one
	});
});
