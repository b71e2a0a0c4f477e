/**
 * Wires the event log for one instance from the configuration: the store (MongoDB when
 * MONGODB_URL is set, else PostgreSQL), the outbox relay, the service the HTTP side uses and the
 * readiness entries. Starting never waits for the event log: if it is down, the relay says so
 * once and events wait in the outbox.
 */
import type { Config } from '#lib/server/config.ts';
import type { ReadinessCheck } from '#lib/server/context.ts';
import { createSql, type Sql } from '#lib/server/db/client.ts';
import { MongoEventLog } from '#lib/server/events/mongo-log.ts';
import { enqueueEvents, outboxDepth } from '#lib/server/events/outbox.ts';
import { PostgresEventLog } from '#lib/server/events/postgres-log.ts';
import type { EventLog, EventService } from '#lib/server/events/types.ts';
import type { Logger } from '#lib/server/log.ts';
import type { Metrics } from '#lib/server/metrics/metrics.ts';
import type { LeaderLock } from '../leader-lock.ts';
import { OutboxRelay } from './relay.ts';
import { EventRetention } from './retention.ts';

export interface EventLogSetup {
	target: EventLog;
	service: EventService;
	/** Null when EVENT_LOG=off. */
	relay: OutboxRelay | null;
	/** Null when EVENT_RETENTION_DAYS is unset (events are kept forever). */
	retention: EventRetention | null;
	readiness: ReadinessCheck[];
	close(): Promise<void>;
}

function createTarget(config: Config, sql: Sql): EventLog {
	if (config.mongodbUrl) {
		return new MongoEventLog(config.mongodbUrl, { retentionDays: config.eventRetentionDays });
	}
	if (config.eventLogDatabaseUrl) {
		const url = new URL(config.eventLogDatabaseUrl);
		return new PostgresEventLog({
			sql: createSql({ url: url.href, max: 2, applicationName: 'taskflow-events' }),
			ownsPool: true,
			describe: `PostgreSQL database "${url.pathname.slice(1)}" at ${url.host}`
		});
	}
	return new PostgresEventLog({ sql, ownsPool: false, describe: 'PostgreSQL (main database)' });
}

export function setUpEventLog(options: {
	config: Config;
	sql: Sql;
	log: Logger;
	/**
	 * Held by the relay while it delivers and by the retention job while it prunes, so both run
	 * on the instance that prepared the store; null for the embedded database (one process).
	 */
	leader: LeaderLock | null;
	metrics?: Metrics | null;
}): EventLogSetup {
	const { config, sql, log } = options;
	const target = createTarget(config, sql);
	const relay = config.eventLogEnabled
		? new OutboxRelay({ sql, target, log, leader: options.leader, metrics: options.metrics })
		: null;
	// Also with EVENT_LOG=off: events recorded before still expire.
	const retention = config.eventRetentionDays
		? new EventRetention({
				target,
				retentionDays: config.eventRetentionDays,
				log,
				leader: options.leader
			})
		: null;
	retention?.start();
	const service: EventService = {
		enabled: config.eventLogEnabled,
		async record(events, tx) {
			if (!config.eventLogEnabled) return;
			await enqueueEvents(
				tx ?? sql,
				events.map((event) => ({ event, openUntil: null }))
			);
			if (!tx) relay?.wake();
		},
		wake: () => relay?.wake(),
		query: (query) => target.query(query),
		outboxDepth: () => outboxDepth(sql)
	};
	const readiness: ReadinessCheck[] = [
		{ name: 'eventOutbox', check: async () => ({ depth: await outboxDepth(sql) }) },
		{
			name: 'eventLog',
			// Down means delayed, not lost (the outbox holds the events): keep serving.
			optional: true,
			check: async () => {
				await target.ping();
				return { adapter: target.kind };
			}
		}
	];
	return {
		target,
		service,
		relay,
		retention,
		readiness,
		async close() {
			await retention?.stop();
			await relay?.stop();
			await target.close().catch(() => {});
		}
	};
}
