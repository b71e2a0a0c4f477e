/**
 * What the audit event log costs and sustains. Run: `node bench/event-log.ts [edits] [events]`
 * (needs PostgreSQL; throwaway databases on TEST_DATABASE_URL's server).
 *
 * 1. Edit path: edit -> arrival in another client, and edit -> acknowledgement, with
 *    EVENT_LOG on and off (three runs each, interleaved), `edits` title edits per run.
 * 2. Relay: `events` events queued in the outbox, then delivered by one relay into the
 *    PostgreSQL event log; events per second from start to an empty outbox.
 */
import { randomUUID } from 'node:crypto';
import { createSql } from '../src/lib/server/db/client.ts';
import { migrate } from '../src/lib/server/db/migrate.ts';
import { enqueueEvents, outboxDepth } from '../src/lib/server/events/outbox.ts';
import { PostgresEventLog } from '../src/lib/server/events/postgres-log.ts';
import type { AuditEvent } from '../src/lib/server/events/types.ts';
import { createLogger } from '../src/lib/server/log.ts';
import { OutboxRelay } from '../server/events/relay.ts';
import { migrationsDir } from '../server/migrations-dir.ts';
import { percentile } from './stats.ts';
import { timeEdits, type EditSamples } from './support.ts';
import { createTestDatabase } from '../tests/server/support/database.ts';

const edits = Number(process.argv[2] ?? 1000);
const eventCount = Number(process.argv[3] ?? 20000);

function editPath(eventLog: boolean): Promise<EditSamples> {
	return timeEdits({ EVENT_LOG: eventLog ? 'on' : 'off' }, edits, { awaitAck: true });
}

function event(boardId: string, i: number): AuditEvent {
	return {
		id: randomUUID(),
		type: 'task.updated',
		actorId: randomUUID(),
		entityId: randomUUID(),
		entityType: 'task',
		boardId,
		payload: { title: `card ${i}`, changes: { priority: { before: 'low', after: 'high' } } },
		metadata: { userAgent: 'bench', ipAddress: '127.0.0.1', sessionId: null, instance: 'bench' },
		correlationId: randomUUID(),
		createdAt: new Date(Date.now() + i).toISOString(),
		revision: 1
	};
}

async function relayThroughput(): Promise<{ seconds: number; batches: number }> {
	const db = await createTestDatabase();
	const sql = createSql({ url: db.url, max: 4 });
	try {
		await migrate(sql, migrationsDir);
		const boards = Array.from({ length: 20 }, () => randomUUID());
		for (let start = 0; start < eventCount; start += 1000) {
			const chunk = Array.from({ length: Math.min(1000, eventCount - start) }, (_, i) =>
				event(boards[(start + i) % boards.length]!, start + i)
			);
			await enqueueEvents(
				sql,
				chunk.map((e) => ({ event: e, openUntil: null }))
			);
		}
		const target = new PostgresEventLog({ sql, ownsPool: false, describe: 'bench' });
		const log = createLogger({ logLevel: 'warn' });
		const relay = new OutboxRelay({ sql, target, log, leader: null });
		const started = performance.now();
		relay.start();
		while ((await outboxDepth(sql)) > 0) await new Promise((r) => setTimeout(r, 20));
		const seconds = (performance.now() - started) / 1000;
		await relay.stop();
		const [row] = await sql<{ n: number }[]>`select count(*)::int as n from event_logs`;
		if (row?.n !== eventCount) throw new Error(`expected ${eventCount} events, found ${row?.n}`);
		return { seconds, batches: relay.stats.batches };
	} finally {
		await sql.end();
		await db.drop();
	}
}

const results: Record<'on' | 'off', EditSamples> = {
	on: { arrival: [], ack: [] },
	off: { arrival: [], ack: [] }
};
for (const on of [true, false, false, true, true, false]) {
	const run = await editPath(on);
	const into = results[on ? 'on' : 'off'];
	into.arrival.push(...run.arrival);
	into.ack.push(...run.ack);
}
console.log(`edit path, ${edits} title edits x 3 runs per mode (ms)`);
for (const metric of ['arrival', 'ack'] as const) {
	for (const mode of ['on', 'off'] as const) {
		const s = [...results[mode][metric]].sort((x, y) => x - y);
		console.log(
			`${metric.padEnd(8)} event log ${mode.padEnd(3)} median ${percentile(s, 50).toFixed(2)}  p90 ${percentile(s, 90).toFixed(2)}  p99 ${percentile(s, 99).toFixed(2)}`
		);
	}
	const median = (mode: 'on' | 'off') =>
		percentile(
			[...results[mode][metric]].sort((x, y) => x - y),
			50
		);
	console.log(
		`${metric.padEnd(8)} added by the event log (median): ${(median('on') - median('off')).toFixed(2)} ms`
	);
}

const relay = await relayThroughput();
console.log(
	`relay: ${eventCount} events into PostgreSQL in ${relay.seconds.toFixed(2)} s = ` +
		`${Math.round(eventCount / relay.seconds)} events/s (${relay.batches} batches)`
);
process.exit(0);
