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
import type { AuditEvent } from '../../src/lib/server/events/types.ts';
import { createMigratedDatabase, type TestDatabase } from './support/database.ts';

let db: TestDatabase;
let sql: Sql;
const boardId = randomUUID();
const hookId = randomUUID();

beforeAll(async () => {
	({ db, sql } = await createMigratedDatabase());
	const [user] = await sql<{ id: string }[]>`
		insert into users (email, display_name, password_hash) values ('o@example.com', 'O', 'x') returning id`;
	await sql`insert into boards (id, title, owner_id) values (${boardId}, 'B', ${user!.id})`;
	await sql`
		insert into webhooks (id, board_id, created_by, url, event_types, secret)
		values (${hookId}, ${boardId}, ${user!.id}, 'https://example.com/', ${['task.*']}, 's')`;
});
afterAll(async () => {
	await sql?.end();
	await db?.drop();
});

function event(type: string, revision = 1, id = randomUUID()): AuditEvent {
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

/** What the relay does: read the pending rows and acknowledge them as stored. */
async function relay(): Promise<void> {
	await acknowledgeOutbox(sql, await readOutbox(sql, 100));
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
		await relay();
		expect(await handed()).toEqual([
			{ type: 'task.updated', revision: 1 },
			{ type: 'task.deleted', revision: 1 }
		]);

		// The burst grows, then its window ends: handed again, at its final revision.
		await enqueueEvents(sql, [
			{ event: { ...burst, revision: 2 }, openUntil: new Date(Date.now() - 1) }
		]);
		await relay();
		await sweepOutbox(sql);
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
		await sweepOutbox(sql);
		expect(await handed()).toEqual([
			{ type: 'task.updated', revision: 1 },
			{ type: 'task.moved', revision: 1 }
		]);
		const [left] = await sql<{ n: number }[]>`select count(*)::int as n from event_outbox`;
		expect(left!.n).toBe(0);
	});
});
