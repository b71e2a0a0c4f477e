/**
 * An acknowledged API write survives kill -9: the server is SIGKILLed the moment a 201 from
 * POST /tasks arrives while other creations are still in flight (the snapshot is only written on
 * the store debounce, so these writes live in the write-ahead log alone). After a restart every
 * acknowledged task is there exactly once — row, document, and its `task.created` event with the
 * caller as actor — and no in-flight one is there twice.
 */
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readBoard } from '../../src/lib/domain/board/index.ts';
import { connect } from './support/collab.ts';
import { createTestDatabase, type TestDatabase } from './support/database.ts';
import { client, createBoard, signUp } from './support/http.ts';
import { startServerProcess, type ServerProcess } from './support/process.ts';
import { tasksPath } from './support/task-api.ts';

const rounds = 3;
const perRound = 12;
/** The kill follows this many acknowledgements; the rest of the round is still in flight. */
const killAfter = 3;

let db: TestDatabase;
let server: ServerProcess | null = null;
beforeAll(async () => {
	db = await createTestDatabase();
});
afterAll(async () => {
	await server?.kill('SIGKILL');
	await db?.drop();
});

interface Outcome {
	/** title -> id of every task whose 201 arrived. */
	acknowledged: Map<string, string>;
	inFlight: Set<string>;
}

/** Sends `perRound` creations at once and kills the server right after the `killAfter`th 201. */
async function createThenKill(
	s: ServerProcess,
	token: string,
	board: { id: string },
	round: number
): Promise<Outcome> {
	const api = client(s.url);
	const outcome: Outcome = { acknowledged: new Map(), inFlight: new Set() };
	await Promise.all(
		Array.from({ length: perRound }, async (_, i) => {
			const title = `round ${round} task ${i}`;
			try {
				const res = await api.post(tasksPath(board), { title }, { token });
				if (res.status !== 201) throw new Error(`status ${res.status}`);
				outcome.acknowledged.set(title, res.body.id);
				if (outcome.acknowledged.size === killAfter) s.child.kill('SIGKILL');
			} catch {
				outcome.inFlight.add(title);
			}
		})
	);
	await s.exited;
	return outcome;
}

describe('API write durability', () => {
	it(`keeps every acknowledged creation across ${rounds} SIGKILLs, once each`, async () => {
		server = await startServerProcess({ DATABASE_URL: db.url });
		const port = new URL(server.url).port;
		const ana = await signUp(client(server.url), 'Ana');
		const board = await createBoard(client(server.url), ana);
		const acknowledged = new Map<string, string>();
		const inFlight = new Set<string>();

		for (let round = 0; round < rounds; round++) {
			const outcome = await createThenKill(server, ana.token, board, round);
			expect(outcome.acknowledged.size, `round ${round}`).toBeGreaterThanOrEqual(killAfter);
			for (const [title, id] of outcome.acknowledged) acknowledged.set(title, id);
			for (const title of outcome.inFlight) inFlight.add(title);
			server = await startServerProcess({ DATABASE_URL: db.url, PORT: port });

			// The rows: startup recovery folded the log in before the server listened.
			const sql = postgres(db.url, { max: 1, onnotice: () => {} });
			const rows = await sql<{ id: string; title: string }[]>`
				select id, title from tasks where board_id = ${board.id} and deleted_at is null`;
			await sql.end();
			const rowsByTitle = Map.groupBy(rows, (r) => r.title);
			for (const [title, id] of acknowledged) {
				expect(
					rowsByTitle.get(title)?.map((r) => r.id),
					title
				).toEqual([id]);
			}
			for (const title of inFlight) {
				expect(rowsByTitle.get(title)?.length ?? 0, title).toBeLessThanOrEqual(1);
			}

			// The document, as a browser gets it.
			const fresh = connect(server.url, board.id, { token: ana.token });
			expect(await fresh.ready).toBe(true);
			const titles = readBoard(fresh.doc).columns.flatMap((c) => c.tasks.map((t) => t.title));
			fresh.destroy();
			for (const title of acknowledged.keys()) {
				expect(
					titles.filter((t) => t === title),
					title
				).toHaveLength(1);
			}
			expect(new Set(titles).size).toBe(titles.length);

			// Read over the API.
			for (const [title, id] of acknowledged) {
				const res = await client(server.url).get(`/api/v1/tasks/${id}`, { token: ana.token });
				expect(res.status, title).toBe(200);
				expect(res.body.title).toBe(title);
			}
		}

		// One `task.created` per task, acknowledged ones by their caller, however often they were
		// derived (before the kill, and again when recovery replayed the log).
		const sql = postgres(db.url, { max: 1, onnotice: () => {} });
		try {
			let created: { entity_id: string; actor_id: string; n: number }[] = [];
			for (const until = Date.now() + 20_000; Date.now() < until;) {
				created = await sql`
					select entity_id, min(actor_id::text) as actor_id, count(*)::int as n
					from event_logs where board_id = ${board.id} and type = 'task.created'
					group by entity_id`;
				const ids = new Set(created.map((c) => c.entity_id));
				if ([...acknowledged.values()].every((id) => ids.has(id))) break;
				await new Promise((r) => setTimeout(r, 100));
			}
			const byTask = new Map(created.map((c) => [c.entity_id, c]));
			for (const [title, id] of acknowledged) {
				expect(byTask.get(id), title).toMatchObject({ n: 1, actor_id: ana.id });
			}
			expect(created.filter((c) => c.n !== 1)).toEqual([]);
		} finally {
			await sql.end();
		}
	}, 180_000);
});
