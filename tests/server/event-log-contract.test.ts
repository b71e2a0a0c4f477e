/**
 * One contract for every event log adapter: PostgreSQL always, MongoDB when MONGODB_URL is set
 * (in CI a FerretDB built by scripts/ferretdb.sh; faking a server would prove nothing).
 */
import { randomUUID } from 'node:crypto';
import { MongoClient } from 'mongodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EventRetention } from '../../server/events/retention.ts';
import { createSql } from '../../src/lib/server/db/client.ts';
import { MongoEventLog } from '../../src/lib/server/events/mongo-log.ts';
import { PostgresEventLog } from '../../src/lib/server/events/postgres-log.ts';
import { createLogger } from '../../src/lib/server/log.ts';
import type { AuditEvent, EventLog } from '../../src/lib/server/events/types.ts';
import { createMigratedDatabase, createTestDatabase } from './support/database.ts';
import { mongoSkipReason, mongoUrl, reportMongoSkip } from './support/mongo.ts';
import { startTcpProxy } from './support/tcp-proxy.ts';

interface Subject {
	log: EventLog;
	cleanup(): Promise<void>;
}

reportMongoSkip('event log contract');

const base = Date.parse('2026-03-01T12:00:00.000Z');

function event(overrides: Partial<AuditEvent> = {}): AuditEvent {
	return {
		id: randomUUID(),
		type: 'task.updated',
		actorId: randomUUID(),
		entityId: randomUUID(),
		entityType: 'task',
		boardId: randomUUID(),
		payload: { title: 'Card', changes: { priority: { before: 'low', after: 'high' } } },
		metadata: { userAgent: 'agent', ipAddress: '127.0.0.1', sessionId: 'abcd', instance: 'i-1' },
		correlationId: randomUUID(),
		createdAt: new Date(base).toISOString(),
		revision: 1,
		...overrides
	};
}

/** `count` events of one board, one second apart, oldest first. */
function series(count: number, fields: Partial<AuditEvent> = {}): AuditEvent[] {
	const boardId = fields.boardId ?? randomUUID();
	return Array.from({ length: count }, (_, i) =>
		event({ boardId, createdAt: new Date(base + i * 1000).toISOString(), ...fields })
	);
}

async function allPages(log: EventLog, query: { boardId: string }, limit: number) {
	const seen: AuditEvent[] = [];
	let cursor: string | null = null;
	for (let pages = 0; pages < 100; pages++) {
		const page = await log.query({ ...query, cursor, limit });
		expect(page.items.length).toBeLessThanOrEqual(limit);
		seen.push(...page.items);
		cursor = page.nextCursor;
		if (!cursor) return { seen, pages: pages + 1 };
	}
	throw new Error('pagination did not end');
}

function contract(name: string, open: () => Promise<Subject>) {
	describe(name, () => {
		let subject: Subject;
		let log: EventLog;
		beforeAll(async () => {
			subject = await open();
			log = subject.log;
			await log.prepare();
		});
		afterAll(async () => {
			await subject?.cleanup();
		});

		it('stores events as given and returns them newest first', async () => {
			const events = series(3);
			await log.append(events);
			const page = await log.query({ boardId: events[0]!.boardId!, limit: 10 });
			expect(page.items).toEqual([...events].reverse());
			expect(page.nextCursor).toBeNull();
		});

		it('stores a redelivered event once', async () => {
			const events = series(4);
			await log.append(events);
			await log.append(events);
			await log.append([events[2]!, events[0]!]);
			const page = await log.query({ boardId: events[0]!.boardId!, limit: 10 });
			expect(page.items.map((e) => e.id)).toEqual(events.map((e) => e.id).reverse());
		});

		it('keeps the highest revision of an event, whatever the delivery order', async () => {
			const first = event({ payload: { changes: { description: { after: { chars: 3 } } } } });
			const later = {
				...first,
				revision: 5,
				payload: { changes: { description: { after: { chars: 9 } } } }
			};
			await log.append([first]);
			await log.append([later]);
			await log.append([first]);
			const page = await log.query({ boardId: first.boardId!, limit: 10 });
			expect(page.items).toEqual([later]);
		});

		it('stores the new events of a batch that also holds stored ones', async () => {
			// FerretDB 1.24 ends an unordered update batch at its first error, so upserts behind
			// an "already stored" one were silently dropped.
			const events = series(6);
			await log.append([events[0]!, events[3]!]);
			await log.append(events);
			const page = await log.query({ boardId: events[0]!.boardId!, limit: 10 });
			expect(page.items).toEqual([...events].reverse());
		});

		it('replaces a whole redelivered batch at a higher revision', async () => {
			// 150 replacements: FerretDB 1.24 holds a connection per update statement until the
			// command ends and deadlocks at its pool size (100) when they come in one command.
			const events = series(150);
			await log.append(events);
			const grown = events.map((e, i) => ({ ...e, revision: 2, payload: { grown: i } }));
			await log.append(grown);
			await log.append(events);
			const { seen } = await allPages(log, { boardId: events[0]!.boardId! }, 200);
			expect(seen).toEqual([...grown].reverse());
		});

		it('filters by entity, actor, type and time range', async () => {
			const boardId = randomUUID();
			const actor = randomUUID();
			const entity = randomUUID();
			const events = [
				...series(2, { boardId, actorId: actor, type: 'task.moved', entityId: entity }),
				...series(2, { boardId, type: 'column.renamed' })
			];
			await log.append(events);
			const ids = async (query: Parameters<EventLog['query']>[0]) =>
				(await log.query(query)).items.map((e) => e.id).sort();
			const sorted = (list: AuditEvent[]) => list.map((e) => e.id).sort();
			expect(await ids({ entityId: entity, limit: 10 })).toEqual(sorted(events.slice(0, 2)));
			expect(await ids({ actorId: actor, limit: 10 })).toEqual(sorted(events.slice(0, 2)));
			expect(await ids({ boardId, type: 'column.renamed', limit: 10 })).toEqual(
				sorted(events.slice(2))
			);
			const second = new Date(base + 1000).toISOString();
			expect(await ids({ boardId, from: second, limit: 10 })).toEqual(
				sorted(events.filter((e) => e.createdAt >= second))
			);
			expect(await ids({ boardId, to: second, limit: 10 })).toEqual(
				sorted(events.filter((e) => e.createdAt < second))
			);
		});

		it('pages with a cursor through every event once, also across equal times', async () => {
			const boardId = randomUUID();
			// Five events share each instant, so page boundaries fall between equal times.
			const events = Array.from({ length: 23 }, (_, i) =>
				event({ boardId, createdAt: new Date(base + Math.floor(i / 5) * 1000).toISOString() })
			);
			await log.append(events);
			const { seen, pages } = await allPages(log, { boardId }, 4);
			expect(pages).toBe(6);
			expect(seen.map((e) => e.id).sort()).toEqual(events.map((e) => e.id).sort());
			const times = seen.map((e) => e.createdAt);
			expect(times).toEqual([...times].sort().reverse());
		});

		it('refuses a cursor it did not issue', async () => {
			await expect(
				log.query({ boardId: randomUUID(), cursor: 'nonsense', limit: 5 })
			).rejects.toThrow();
		});

		it('deletes the oldest events before a time, at most a batch per call', async () => {
			// Year 2000: older than every other case's events, which must survive.
			const old = Date.parse('2000-01-01T00:00:00.000Z');
			const boardId = randomUUID();
			const events = Array.from({ length: 25 }, (_, i) =>
				event({ boardId, createdAt: new Date(old + i * 1000).toISOString() })
			);
			await log.append(events);
			const cutoff = new Date(old + 20 * 1000);
			expect(await log.deleteBefore(cutoff, 8)).toBe(8);
			const left = await log.query({ boardId, limit: 100 });
			// The oldest went first.
			expect(left.items.map((e) => e.id)).toEqual(
				events
					.slice(8)
					.map((e) => e.id)
					.reverse()
			);
			expect(await log.deleteBefore(cutoff, 8)).toBe(8);
			expect(await log.deleteBefore(cutoff, 8)).toBe(4);
			expect(await log.deleteBefore(cutoff, 8)).toBe(0);
			const kept = await log.query({ boardId, limit: 100 });
			expect(kept.items.map((e) => e.id)).toEqual(
				events
					.slice(20)
					.map((e) => e.id)
					.reverse()
			);
			const others = await log.query({ from: new Date(base).toISOString(), limit: 1 });
			expect(others.items).toHaveLength(1);
		});

		it('takes a thousand events in one append, and prepare can run again', async () => {
			const events = series(1000);
			await log.prepare();
			await log.append(events);
			const { seen } = await allPages(log, { boardId: events[0]!.boardId! }, 200);
			expect(seen).toHaveLength(1000);
			await log.ping();
		});
	});
}

contract('PostgreSQL adapter (database built by the migrations)', async () => {
	const { db, sql } = await createMigratedDatabase();
	const log = new PostgresEventLog({ sql, ownsPool: true, describe: 'test' });
	return {
		log,
		async cleanup() {
			await log.close();
			await db.drop();
		}
	};
});

contract('PostgreSQL adapter (separate empty database, created by prepare)', async () => {
	const db = await createTestDatabase();
	const log = new PostgresEventLog({
		sql: createSql({ url: db.url, max: 2 }),
		ownsPool: true,
		describe: 'test'
	});
	return {
		log,
		async cleanup() {
			await log.close();
			await db.drop();
		}
	};
});

describe.skipIf(!mongoUrl)(
	mongoUrl ? 'MongoDB adapter' : `MongoDB adapter (skipped: ${mongoSkipReason})`,
	() => {
		const url = new URL(mongoUrl ?? 'mongodb://unused');
		url.pathname = `/tf_contract_${randomUUID().slice(0, 8)}`;
		contract('MongoDB adapter', async () => {
			const log = new MongoEventLog(url.href);
			return {
				log,
				async cleanup() {
					await log.close();
					const client = new MongoClient(url.href);
					await client.db().dropDatabase();
					await client.close();
				}
			};
		});

		it('fails an append that cannot reach the server, and stores it once it can', async () => {
			// A network error in the middle of insertMany arrives as a MongoBulkWriteError with
			// no write errors; taken for "all already stored", the relay dropped the batch.
			const server = new URL(url.href);
			const proxy = await startTcpProxy(server.hostname, Number(server.port || 27017));
			const viaProxy = new URL(url.href);
			viaProxy.host = `127.0.0.1:${proxy.port}`;
			const log = new MongoEventLog(viaProxy.href, { serverSelectionTimeoutMS: 1000 });
			try {
				await log.prepare();
				const [first, ...rest] = series(50);
				await log.append([first!]);
				await proxy.cut();
				await expect(log.append(rest)).rejects.toThrow();
				await proxy.restore();
				await log.append(rest);
				const page = await log.query({ boardId: first!.boardId!, limit: 100 });
				expect(page.items).toEqual([first!, ...rest].reverse());
			} finally {
				await log.close();
				await proxy.close();
			}
		});

		it('expires events older than the retention, by TTL index or by the retention job', async () => {
			// Its own database: a TTL index would also delete the contract's March events.
			const retained = new URL(url.href);
			retained.pathname = `/tf_retention_${randomUUID().slice(0, 8)}`;
			const log = new MongoEventLog(retained.href, { retentionDays: 30 });
			const retention = new EventRetention({
				target: log,
				retentionDays: 30,
				log: createLogger({ logLevel: 'silent' }),
				leader: null
			});
			const client = new MongoClient(retained.href);
			try {
				await log.prepare();
				const day = 24 * 60 * 60 * 1000;
				const old = event({ createdAt: new Date(Date.now() - 40 * day).toISOString() });
				const recent = event({
					boardId: old.boardId,
					createdAt: new Date(Date.now() - 29 * day).toISOString()
				});
				await log.append([old, recent]);
				// MongoDB's TTL monitor runs every 60 s and the job leaves it alone; FerretDB has no
				// TTL indexes, so there the job deletes.
				expect(await retention.prune()).toBe(log.expiresOnItsOwn ? 0 : 1);
				const ids = async () =>
					(await log.query({ boardId: old.boardId!, limit: 10 })).items.map((e) => e.id);
				for (let until = Date.now() + 90_000; (await ids()).includes(old.id);) {
					if (Date.now() > until) throw new Error('the expired event was not deleted');
					await new Promise((r) => setTimeout(r, 250));
				}
				expect(await ids()).toEqual([recent.id]);
			} finally {
				await log.close();
				await client.db().dropDatabase();
				await client.close();
			}
		}, 120_000);
	}
);
