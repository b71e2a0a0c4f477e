/**
 * What libraries print to the console becomes a log record: a refused websocket makes
 * Hocuspocus print "[onAuthenticate] unauthenticated", which used to be a raw line outside the
 * JSON log (and a hostile client could add one, or a stack trace, per attempt). The process's
 * output is JSON records and the `[taskflow]` progress lines, nothing else.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitFor } from './support/collab.ts';
import { createTestDatabase, type TestDatabase } from './support/database.ts';
import { startServerProcess, type ServerProcess } from './support/process.ts';
import { rawClient } from './support/raw-collab.ts';

let db: TestDatabase;
let server: ServerProcess;
beforeAll(async () => {
	db = await createTestDatabase();
	server = await startServerProcess({ DATABASE_URL: db.url, LOG_LEVEL: 'debug' });
});
afterAll(async () => {
	await server?.kill('SIGKILL');
	await db?.drop();
});

const lines = () => server.output.join('').split('\n').filter(Boolean);
const records = () =>
	lines()
		.filter((line) => line.startsWith('{'))
		.map(
			(line) =>
				JSON.parse(line) as {
					level: number;
					msg: string;
					source?: string;
					err?: { stack?: string };
				}
		);

describe('console output of libraries', () => {
	it('is logged as records, a client’s refusal at debug', async () => {
		const refused = rawClient(server.url, randomUUID());
		try {
			expect(await refused.authenticate('not-a-session')).toBe(false);
		} finally {
			refused.socket.terminate();
		}
		await waitFor(
			() => records().some((r) => r.source === 'console' && r.msg.includes('[onAuthenticate]')),
			10_000,
			"Hocuspocus's line as a record"
		);
		const line = records().find((r) => r.msg.includes('[onAuthenticate]'))!;
		expect(line.level).toBe(20); // debug

		// A frame Hocuspocus cannot decode: its error, with the stack, is a warning record.
		const garbage = rawClient(server.url, randomUUID());
		try {
			await garbage.opened;
			garbage.socket.send(new Uint8Array([255, 255, 255, 255]));
			await waitFor(
				() => records().some((r) => r.source === 'console' && r.level === 40 && r.err?.stack),
				10_000,
				'the decoding error as a warning with its stack'
			);
		} finally {
			garbage.socket.terminate();
		}
		expect(lines().filter((l) => !l.startsWith('{') && !l.startsWith('[taskflow]'))).toEqual([]);
	});
});
