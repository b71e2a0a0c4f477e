/**
 * The order in which the outbox hands a board's events to webhooks, on a real database: a burst
 * of typing still open when a later event of the board retires is handed first (so the board's
 * order holds), and handed again at its final revision only if it grew.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Sql } from '../../src/lib/server/db/client.ts';
import {
	acknowledgeOutbox,
	enqueueEvents,
	readOutbox,
	sweepOutbox
} from '../../src/lib/server/events/outbox.ts';
import { PostgresEventLog } from '../../src/lib/server/events/postgres-log.ts';
import type { AuditEvent } from '../../src/lib/server/events/types.ts';
import { createLogger } from '../../src/lib/server/log.ts';
import { OutboxRelay } from '../../server/events/relay.ts';
import { createMigratedDatabase, type TestDatabase } from './support/database.ts';

let db: TestDatabase;
let sql: Sql;
const boardId = randomUUID();
const hookId = randomUUID();
/** A board without webhooks. */
const otherBoardId = randomUUID();

beforeAll(async () => {
	({ db, sql } = await createMigratedDatabase());
	const [user] = await sql<{ id: string }[]>`
		insert into users (email, display_name, password_hash) values ('o@example.com', 'O', 'x') returning id`;
	await sql`insert into boards (id, title, owner_id) values (${boardId}, 'B', ${user!.id})`;
	await sql`insert into boards (id, title, owner_id) values (${otherBoardId}, 'C', ${user!.id})`;
	await sql`
		insert into webhooks (id, board_id, created_by, url, event_types, secret)
		values (${hookId}, ${boardId}, ${user!.id}, 'https://example.com/', ${['task.*']}, 's')`;
});
afterAll(async () => {
	await sql?.end();
	await db?.drop();
});

function event(type: AuditEvent['type'], revision = 1, id = randomUUID()): AuditEvent {
	return {
		id,
		type,
		actorId: null,
		entityId: 'card',
		entityType: 'task',
		boardId,
		payload: {},
		metadata: { userAgent: null, ipAddress: null, sessionId: null, instance: 'test' },
		correlationId: randomUUID(),
		createdAt: new Date().toISOString(),
		revision
	};
}

/**
 * What the relay does: read the pending rows and acknowledge them as stored. Says how many
 * deliveries that queued (the relay wakes the webhook dispatcher only then).
 */
async function relay(): Promise<number> {
	return acknowledgeOutbox(sql, await readOutbox(sql, 100));
}

async function handed(): Promise<{ type: string; revision: number }[]> {
	const rows = await sql<{ event: AuditEvent }[]>`
		select event from webhook_deliveries where webhook_id = ${hookId} order by id`;
	return rows.map((r) => ({ type: r.event.type, revision: r.event.revision }));
}

describe('webhook order per board', () => {
	it('hands an open burst before a later event of its board, and its final revision after', async () => {
		const burst = event('task.updated');
		const later = new Date(Date.now() + 60_000);
		await enqueueEvents(sql, [{ event: burst, openUntil: later }]);
		await enqueueEvents(sql, [{ event: event('task.deleted'), openUntil: null }]);
		expect(await relay()).toBe(2);
		expect(await handed()).toEqual([
			{ type: 'task.updated', revision: 1 },
			{ type: 'task.deleted', revision: 1 }
		]);

		// The burst grows, then its window ends: handed again, at its final revision, by the sweep.
		await enqueueEvents(sql, [
			{ event: { ...burst, revision: 2 }, openUntil: new Date(Date.now() + 60_000) }
		]);
		expect(await relay()).toBe(0);
		await sql`update event_outbox set open_until = now() - interval '1 second' where event_id = ${burst.id}`;
		expect(await sweepOutbox(sql)).toEqual({ retired: 1, queued: 1 });
		expect((await handed()).at(-1)).toEqual({ type: 'task.updated', revision: 2 });
		expect(await handed()).toHaveLength(3);
	});

	it('hands a burst that did not grow once only', async () => {
		await sql`delete from webhook_deliveries`;
		const burst = event('task.updated');
		await enqueueEvents(sql, [{ event: burst, openUntil: new Date(Date.now() + 60_000) }]);
		await enqueueEvents(sql, [{ event: event('task.moved'), openUntil: null }]);
		await relay();
		await sql`update event_outbox set open_until = now() - interval '1 second' where event_id = ${burst.id}`;
		// Retired without a delivery: it was handed at its only revision already.
		expect(await sweepOutbox(sql)).toEqual({ retired: 1, queued: 0 });
		expect(await handed()).toEqual([
			{ type: 'task.updated', revision: 1 },
			{ type: 'task.moved', revision: 1 }
		]);
		const [left] = await sql<{ n: number }[]>`select count(*)::int as n from event_outbox`;
		expect(left!.n).toBe(0);
	});

	it('hands a grown burst whose window ended when the relay retires it', async () => {
		await sql`delete from webhook_deliveries`;
		const burst = event('task.updated');
		await enqueueEvents(sql, [{ event: burst, openUntil: new Date(Date.now() + 60_000) }]);
		await enqueueEvents(sql, [{ event: event('task.moved'), openUntil: null }]);
		expect(await relay()).toBe(2);
		await enqueueEvents(sql, [
			{ event: { ...burst, revision: 2 }, openUntil: new Date(Date.now() - 1) }
		]);
		expect(await relay()).toBe(1);
		expect((await handed()).at(-1)).toEqual({ type: 'task.updated', revision: 2 });
	});

	it('queues nothing for events no webhook asks for', async () => {
		await enqueueEvents(sql, [
			{ event: { ...event('task.created'), boardId: otherBoardId }, openUntil: null },
			{ event: event('board.renamed'), openUntil: null }
		]);
		expect(await relay()).toBe(0);
	});

	it('tells the webhook dispatcher only about batches that queued deliveries', async () => {
		const relay = new OutboxRelay({
			sql,
			target: new PostgresEventLog({ sql, ownsPool: false, describe: 'test' }),
			log: createLogger({ logLevel: 'silent' }),
			leader: null,
			idleMs: 60_000
		});
		let told = 0;
		relay.onDeliveriesQueued(() => (told += 1));
		const delivered = (n: number) => async () => {
			for (const until = Date.now() + 5000; relay.stats.delivered < n;) {
				if (Date.now() > until) throw new Error(`${n} events not delivered`);
				await new Promise((r) => setTimeout(r, 10));
			}
		};
		relay.start();
		try {
			await enqueueEvents(sql, [
				{ event: { ...event('task.created'), boardId: otherBoardId }, openUntil: null }
			]);
			relay.wake();
			await delivered(1)();
			expect(told).toBe(0);
			await enqueueEvents(sql, [{ event: event('task.created'), openUntil: null }]);
			relay.wake();
			await delivered(2)();
			expect(told).toBe(1);
		} finally {
			await relay.stop();
		}
	});
});
