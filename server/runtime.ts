/**
 * Builds one instance's services: database (embedded or real), migrations, Redis, auth and the
 * collaboration server. Used by the production entry, the dev server plugin and the tests.
 */
import { randomUUID } from 'node:crypto';
import { MemoryCounters, RedisCounters, type CounterStore } from '#lib/server/auth/counters.ts';
import { AuthService } from '#lib/server/auth/service.ts';
import type { Config } from '#lib/server/config.ts';
import type { AppContext, CollabControl, ReadinessCheck } from '#lib/server/context.ts';
import { createSql, type Sql } from '#lib/server/db/client.ts';
import { failAbandonedImports } from '#lib/server/import-rows.ts';
import { startEmbeddedDatabase, type EmbeddedDatabase } from '#lib/server/db/embedded.ts';
import { migrate } from '#lib/server/db/migrate.ts';
import { createLogger, type Logger } from '#lib/server/log.ts';
import { cachedFigures, readFigures } from '#lib/server/metrics/figures.ts';
import { Metrics } from '#lib/server/metrics/metrics.ts';
import { SystemMonitor } from '#lib/server/system/monitor.ts';
import { UserActivity } from '#lib/server/user-activity.ts';
import type { Extension } from '@hocuspocus/server';
import { createCollab, type Collab } from './collab.ts';
import { BoardEvents } from './events/board-events.ts';
import { boardEventNotifier } from './events/notify-board.ts';
import { setUpEventLog } from './events/setup.ts';
import { Authorization } from './extensions/Authorization.ts';
import { Checkpoints } from './extensions/Checkpoints.ts';
import { Guard } from './extensions/Guard.ts';
import { Persistence } from './extensions/Persistence.ts';
import { Presence } from './extensions/Presence.ts';
import { RedisSync } from './extensions/RedisSync.ts';
import { StorePacing } from './extensions/StorePacing.ts';
import { UpdateMetrics } from './extensions/UpdateMetrics.ts';
import { leaderClient, LeaderLock } from './leader-lock.ts';
import { DueReminderScheduler } from './notifications/due-scheduler.ts';
import { notificationHub } from './notifications/hub.ts';
import { RedisConnections } from './redis-connections.ts';
import { clusterControl } from './revocations.ts';
import { WebhookDispatcher } from './webhooks/dispatcher.ts';
import { WsLimits } from './ws-limits.ts';
import { migrationsDir } from './migrations-dir.ts';

export interface Runtime {
	ctx: AppContext;
	collab: Collab;
	persistence: Persistence;
	/** The loaded boards' audit events; null when EVENT_LOG=off. */
	eventLog: BoardEvents | null;
	events: ReturnType<typeof setUpEventLog>;
	dueReminders: DueReminderScheduler;
	/** Null when the event log is off (webhooks are fed by it). */
	webhooks: WebhookDispatcher | null;
	/** Flushes documents, then closes pools; bounded by `timeoutMs`. */
	close(timeoutMs?: number): Promise<void>;
}

export interface RuntimeOptions {
	config: Config;
	log?: Logger;
	/** Human-readable startup progress (the first embedded start takes seconds). */
	progress?: (message: string) => void;
}

export async function startRuntime({
	config,
	log = createLogger(config),
	progress = () => {}
}: RuntimeOptions): Promise<Runtime> {
	let embedded: EmbeddedDatabase | null = null;
	if (!config.databaseUrl) embedded = await startEmbeddedDatabase(config.dataDir, progress);
	const instanceId = `${process.pid}-${randomUUID().slice(0, 8)}`;
	const sql = createSql({ url: config.databaseUrl ?? embedded!.url, max: embedded ? 1 : 10 });
	const applied = await migrate(sql, migrationsDir);
	if (applied.length > 0) {
		// First and last only: the full list of eleven-plus files filled the first start's screen.
		const range = applied.length > 1 ? `${applied[0]} … ${applied.at(-1)}` : applied[0];
		progress(`Applied migrations: ${range} (${applied.length})`);
	}
	await warnOnDiskPageCost(sql, log);

	const redisConnections = config.redisUrl
		? new RedisConnections({ url: config.redisUrl, log, instanceId })
		: null;
	const redis = redisConnections?.open('app', { maxRetriesPerRequest: 2 }) ?? null;
	const counters: CounterStore = redis ? new RedisCounters(redis) : new MemoryCounters();
	// Owned by this instance (tests run several in one process); off unless a scrape is configured.
	const metrics =
		config.metricsToken !== null || config.metricsPort !== null ? new Metrics() : null;
	// One cached query for the scrape and the admin System tab.
	const figures = cachedFigures({ read: () => readFigures(sql), log });
	metrics?.readFiguresWith(figures);
	const system = new SystemMonitor({ instanceId, redis, log, figures });
	const activity = new UserActivity({ sql, log });
	const auth = new AuthService(sql, counters, {
		...config,
		onThrottled: metrics ? () => metrics.loginThrottled.inc() : undefined,
		onSignedIn: (userId) => activity.record(userId)
	});

	// Cluster-wide leadership (relay, due-date scan) on a connection of its own; the embedded
	// database serves one process, which leads alone.
	const leaders = config.databaseUrl ? leaderClient(config.databaseUrl) : null;
	const leader = (key: string) => (leaders ? new LeaderLock(leaders, key) : null);
	const events = setUpEventLog({
		config,
		sql,
		log,
		leader: leader('taskflow.event-outbox-relay'),
		metrics
	});
	const notifications = await notificationHub({ redis: redisConnections, instanceId, log });
	const notify = (userIds: string[]) => notifications.publish({ userIds, reason: 'new' });
	const boardEvents = config.eventLogEnabled
		? new BoardEvents({
				sql,
				log,
				instanceId,
				burstMs: config.eventBurstMs,
				addressHeader: config.addressHeader,
				onQueued: () => events.relay?.wake(),
				onNotified: notify,
				taskTallies: metrics && { created: metrics.tasksCreated, completed: metrics.tasksCompleted }
			})
		: null;
	const persistence = new Persistence({
		sql,
		log,
		wal: config.walEnabled,
		walWindowMs: config.walWindowMs,
		rowSyncMs: config.rowSyncMs,
		events: boardEvents,
		metrics,
		activity
	});
	const abandoned = await failAbandonedImports(sql);
	if (abandoned > 0)
		log.warn({ abandoned }, 'imports left unfinished by a stopped process marked failed');
	const recovered = await persistence.recover();
	if (recovered > 0) progress(`Recovered ${recovered} board(s) from the write-ahead log`);
	events.relay?.start();

	const limits = new WsLimits({
		authTimeoutMs: config.wsAuthTimeoutMs,
		maxPendingPerAddress: config.wsMaxPendingPerAddress,
		messageRate: config.wsMessageRate,
		messageBurst: config.wsMessageBurst,
		byteRate: config.wsByteRate,
		byteBurst: config.wsByteBurst,
		maxDocumentsPerSocket: config.wsMaxDocumentsPerSocket,
		maxBoardsPerUser: config.wsMaxBoardsPerUser
	});
	const extensions: Extension[] = [
		new Authorization({ sql, auth, origin: config.origin, activity, log, sockets: limits }),
		new Presence(),
		new Guard({
			log,
			contract: config.boardUpdateChecks,
			maxCards: config.boardMaxCards,
			maxColumns: config.boardMaxColumns
		}),
		persistence,
		new Checkpoints({
			sql,
			log,
			intervalMs: config.versionCheckpointMs,
			retentionDays: config.versionRetentionDays,
			maxCheckpoints: config.versionMaxCheckpoints
		})
	];
	extensions.push(new UpdateMetrics(metrics, system.ring));
	// 50 boards stored together spread over one second; none waits more than one, so a store
	// still comes about when the events' 12 s backstop expects it (late only costs a statement).
	const storePacing = new StorePacing({ intervalMs: 20, maxWaitMs: 1000 });
	extensions.push(storePacing);
	if (config.redisUrl) {
		extensions.push(
			new RedisSync({
				// Few retries a command: RedisSync sends nothing while disconnected, so what is queued
				// is the constructor's reply SUBSCRIBE (taken up again on reconnection) and a store
				// lock asked just as Redis went away, which should give up quickly.
				createClient: () => redisConnections!.open('collab', { maxRetriesPerRequest: 2 }),
				prefix: 'tf:collab',
				identifier: instanceId,
				lockTimeout: config.storeLockMs
			})
		);
	}
	const collab = createCollab({
		log,
		maxPayload: config.wsMaxPayload,
		sendBacklog: { limitBytes: config.wsSendBacklog, stallMs: config.wsSendStallMs },
		limits,
		addressHeader: config.addressHeader,
		extensions,
		persistence,
		storePacing,
		metrics
	});
	// Revoking access also ends the notification streams it opened and forgets the principals
	// kept for it, on every instance.
	const local: CollabControl = {
		...collab.control,
		// Forgotten first: a socket closed here reconnects and must be checked against the database.
		disconnectUser(userId, boardId) {
			if (boardId === undefined) auth.principals.forgetUser(userId);
			collab.control.disconnectUser(userId, boardId);
			if (boardId === undefined) notifications.endUser(userId);
		},
		disconnectSession(sessionId) {
			auth.principals.forgetSession(sessionId);
			collab.control.disconnectSession(sessionId);
			notifications.endSession(sessionId);
		}
	};
	const cluster = config.redisUrl
		? await clusterControl(local, {
				redis: redisConnections!,
				instanceId,
				log,
				onListening: (on) => auth.principals.listening(on)
			})
		: null;
	// Open activity panels re-read the feed when their board's events reach the event log.
	const notifier = events.relay
		? await boardEventNotifier({
				hocuspocus: collab.hocuspocus,
				log,
				redis: redisConnections,
				instanceId
			})
		: null;
	if (notifier) events.relay?.onDelivered((delivered) => notifier.delivered(delivered));
	// Webhooks are fed by the outbox as it retires events, so they need the event log on.
	const webhooks = events.relay
		? new WebhookDispatcher({
				sql,
				log,
				leader: leader('taskflow.webhook-dispatch'),
				allowPrivate: config.webhookAllowPrivate,
				retryBaseMs: config.webhookRetryBaseMs,
				retryForMs: config.webhookRetryForMs,
				timeoutMs: config.webhookTimeoutMs,
				logDays: config.webhookLogDays,
				onNotified: notify
			})
		: null;
	if (webhooks) {
		events.relay?.onDeliveriesQueued(() => webhooks.wake());
		webhooks.start();
	}
	const dueReminders = new DueReminderScheduler({
		sql,
		log,
		intervalMs: config.dueScanMs,
		leader: leader('taskflow.due-reminders'),
		onNotified: notify
	});
	dueReminders.start();
	system.watch(collab.live);
	system.start();

	const readiness: ReadinessCheck[] = [
		{ name: 'postgres', check: async () => void (await sql`select 1`) }
	];
	// Reported, not required: without Redis an instance still serves its own clients, counts
	// limits in memory and catches up with the others when Redis is back (RedisSync), so taking
	// every instance out of rotation would make a Redis outage a full one.
	if (redis) {
		readiness.push({ name: 'redis', optional: true, check: async () => void (await redis.ping()) });
	}
	readiness.push(...events.readiness);

	const ctx: AppContext = {
		config,
		log,
		sql,
		auth,
		counters,
		collab: cluster?.control ?? local,
		readiness,
		events: events.service,
		instanceId,
		notifications,
		metrics,
		activity,
		system,
		webhooks
	};

	let closing: Promise<void> | null = null;
	return {
		ctx,
		collab,
		persistence,
		eventLog: boardEvents,
		events,
		dueReminders,
		webhooks,
		close(timeoutMs = 8000) {
			closing ??= (async () => {
				// Open notification streams first: the http server waits for them to end.
				notifications.endStreams();
				await dueReminders.stop();
				await system.stop();
				await collab.shutdown(timeoutMs);
				await persistence.close();
				await cluster?.close();
				await notifier?.close();
				// After the documents' last stores, which commit their events to the outbox.
				await events.close();
				await webhooks?.stop();
				// After the last stores: their notifications still reach other instances' tabs.
				await notifications.close();
				await activity.close();
				await leaders?.end({ timeout: 2 });
				await sql.end({ timeout: 2 });
				redis?.disconnect();
				await embedded?.close();
			})();
			return closing;
		}
	};
}

/**
 * Migration 025 sets the planner's page cost for this database unless the role may not; then
 * big boards' task pages read whole columns (docs/architecture.md, "REST reads"), and only the
 * log can say so to whoever runs the server.
 */
async function warnOnDiskPageCost(sql: Sql, log: Logger): Promise<void> {
	const [row] = await sql<{ source: string }[]>`
		select source from pg_settings where name = 'random_page_cost'`;
	if (row?.source !== 'default') return;
	log.warn(
		"random_page_cost is PostgreSQL's default (4) here: the database role could not set 1.1 " +
			'(migration 025). On SSDs, have its owner run: alter database <name> set random_page_cost = 1.1'
	);
}
