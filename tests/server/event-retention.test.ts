/**
 * EVENT_RETENTION_DAYS on PostgreSQL, with two instances on one database: only the instance
 * that leads the event log prunes, old events go, recent ones stay, the delete runs in batches,
 * and without the setting nothing is ever deleted.
 */
import { randomUUID } from 'node:crypto';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EventRetention } from '../../server/events/retention.ts';
import { PostgresEventLog } from '../../src/lib/server/events/postgres-log.ts';
import type { AuditEvent } from '../../src/lib/server/events/types.ts';
import { createLogger } from '../../src/lib/server/log.ts';
import { startPair, startTestApp, type TestPair } from './support/app.ts';

const day = 24 * 60 * 60 * 1000;

function eventAged(days: number, boardId: string): AuditEvent {
	return {
		id: randomUUID(),
		type: 'task.updated',
		actorId: randomUUID(),
		entityId: randomUUID(),
		entityType: 'task',
		boardId,
		payload: {},
		metadata: { userAgent: null, ipAddress: null, sessionId: null, instance: 'test' },
		correlationId: randomUUID(),
		createdAt: new Date(Date.now() - days * day).toISOString(),
		revision: 1
	};
}

let pair: TestPair;
let sql: postgres.Sql;
let store: PostgresEventLog;

beforeAll(async () => {
	pair = await startPair({ EVENT_RETENTION_DAYS: '30' });
	sql = postgres(pair.db.url, { max: 1, onnotice: () => {} });
	store = new PostgresEventLog({ sql, ownsPool: false, describe: 'test' });
});

afterAll(async () => {
	await sql?.end();
	await pair?.stop();
});

async function boardEventAges(boardId: string): Promise<number[]> {
	const rows = await sql<{ age: number }[]>`
		select round(extract(epoch from now() - created_at) / 86400)::int as age
		from event_logs where board_id = ${boardId} order by created_at`;
	return rows.map((r) => r.age).reverse();
}

describe('event retention on PostgreSQL', () => {
	it('deletes events older than the retention on the leading instance only', async () => {
		const boardId = randomUUID();
		await store.append([40, 31, 29, 1].map((age) => eventAged(age, boardId)));
		const jobs = [pair.one, pair.two].map((app) => app.app.runtime.events.retention!);
		const results = await Promise.all(jobs.map((job) => job.prune()));
		// One instance leads (the relay's lock); the other does nothing.
		expect(results.filter((r) => r === null)).toHaveLength(1);
		expect(results.find((r) => r !== null)).toBe(2);
		expect(await boardEventAges(boardId)).toEqual([1, 29]);
		// Pruning again finds nothing: the job is idempotent.
		const again = await Promise.all(jobs.map((job) => job.prune()));
		expect(again.find((r) => r !== null)).toBe(0);
	});

	it('deletes many expired events in bounded batches', async () => {
		const boardId = randomUUID();
		const old = Array.from({ length: 1050 }, () => eventAged(60, boardId));
		await store.append(old);
		await store.append([eventAged(2, boardId)]);
		const statements: number[] = [];
		const counting: PostgresEventLog = Object.assign(Object.create(store) as PostgresEventLog, {
			deleteBefore: async (cutoff: Date, limit: number) => {
				const deleted = await store.deleteBefore(cutoff, limit);
				statements.push(deleted);
				return deleted;
			}
		});
		const job = new EventRetention({
			target: counting,
			retentionDays: 30,
			log: createLogger({ logLevel: 'silent' }),
			leader: null,
			batchSize: 400
		});
		expect(await job.prune()).toBe(1050);
		expect(statements).toEqual([400, 400, 250]);
		expect(await boardEventAges(boardId)).toEqual([2]);
	});

	it('keeps every event when EVENT_RETENTION_DAYS is unset', async () => {
		const app = await startTestApp();
		const own = postgres(app.db.url, { max: 1, onnotice: () => {} });
		try {
			expect(app.app.runtime.ctx.config.eventRetentionDays).toBeNull();
			expect(app.app.runtime.events.retention).toBeNull();
			const boardId = randomUUID();
			const log = new PostgresEventLog({ sql: own, ownsPool: false, describe: 'test' });
			await log.append([eventAged(3650, boardId)]);
			const [row] = await own<{ n: number }[]>`
				select count(*)::int as n from event_logs where board_id = ${boardId}`;
			expect(row!.n).toBe(1);
		} finally {
			await own.end();
			await app.stop();
		}
	});
});
