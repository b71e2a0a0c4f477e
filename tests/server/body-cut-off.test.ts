/**
 * A client that closes its connection halfway through a request body: the request is logged as
 * the client's doing (400), not as the database going away. Node reports the cut as an
 * ECONNRESET, which the API read as a lost database connection: a 503 and a "database
 * unavailable" warning that anyone could produce at will.
 */
import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitFor } from './support/collab.ts';
import { createTestDatabase, type TestDatabase } from './support/database.ts';
import { client, signUp, type TestUser } from './support/http.ts';
import { startServerProcess, type ServerProcess } from './support/process.ts';

let db: TestDatabase;
let server: ServerProcess;
let ana: TestUser;
beforeAll(async () => {
	db = await createTestDatabase();
	// Request lines are logged at info.
	server = await startServerProcess({ DATABASE_URL: db.url, LOG_LEVEL: 'info' });
	ana = await signUp(client(server.url), 'Ana');
});
afterAll(async () => {
	await server?.kill('SIGKILL');
	await db?.drop();
});

/** The log records (JSON lines) about one path. */
const recordsFor = (path: string) =>
	server.output
		.join('')
		.split('\n')
		.filter((line) => line.startsWith('{') && line.includes(`"path":"${path}"`))
		.map((line) => JSON.parse(line) as { msg?: string; status?: number });

describe('a request body cut off by the client', () => {
	it('is logged as a 400, without a database warning', async () => {
		const { port } = new URL(server.url);
		const socket = connect(Number(port), '127.0.0.1');
		await new Promise<void>((resolve) => socket.once('connect', resolve));
		// `Expect: 100-continue`: the server's "go on" proves it has the request and waits for the
		// body, which is then cut off after four of its hundred bytes.
		const goOn = new Promise<string>((resolve) =>
			socket.once('data', (chunk: Buffer) => resolve(chunk.toString()))
		);
		socket.write(
			'POST /api/v1/boards HTTP/1.1\r\n' +
				`Host: 127.0.0.1:${port}\r\n` +
				`Authorization: Bearer ${ana.token}\r\n` +
				'Content-Type: application/json\r\n' +
				'Expect: 100-continue\r\n' +
				'Content-Length: 100\r\n\r\n'
		);
		expect(await goOn).toMatch(/^HTTP\/1\.1 100 Continue/);
		socket.write('{"ti');
		socket.destroy();

		await waitFor(
			() => recordsFor('/api/v1/boards').some((record) => record.status !== undefined),
			10_000,
			'the request to be logged'
		);
		const records = recordsFor('/api/v1/boards');
		expect(records.map((record) => record.status).filter(Boolean)).toEqual([400]);
		expect(server.output.join('')).not.toContain('database unavailable');
		// And the API goes on answering.
		expect((await client(server.url).get('/api/v1/me', { token: ana.token })).status).toBe(200);
	});
});
