/**
 * One app instance's Prometheus metrics, in a registry of its own (tests run several instances
 * in one process, and prom-client's global registry would mix them). Created only when metrics
 * are configured (METRICS_TOKEN or METRICS_PORT); otherwise every call site holds null and pays
 * nothing.
 *
 * Per-edit figures are `Tally`s (a plain number bumped in place: no label hashing or
 * allocation per edit) copied into their counters when scraped. Gauges of live state read it
 * at scrape time; database figures come from one cached query (see `figures.ts`).
 */
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { Figures } from './figures.ts';

/** A monotonic count bumped on a hot path; its counter reads it when scraped. */
export class Tally {
	value = 0;
}

/** Live state read at scrape time. */
export interface LiveSources {
	websocketConnections(): number;
	authenticatedConnections(): number;
	boardsLoaded(): number;
}

export type UpdateSource = 'websocket' | 'api' | 'redis';
export type RateLimit = 'api' | 'websocket_rate' | 'websocket_pending';

const prefix = 'taskflow_';

export class Metrics {
	readonly registry = new Registry();
	readonly httpDuration: Histogram<'method' | 'route' | 'status_class'>;
	readonly rateLimited: Counter<'limit'>;
	readonly loginThrottled: Counter;
	readonly walCommitSeconds: Histogram;
	readonly walBatchSize: Histogram;
	readonly storeSeconds: Histogram<'outcome'>;
	readonly eventLogWriteErrors: Counter;
	readonly eventsDelivered: Counter;
	readonly updatesReceived: Record<UpdateSource, Tally> = {
		websocket: new Tally(),
		api: new Tally(),
		redis: new Tally()
	};
	readonly updatesFannedOut = new Tally();
	readonly tasksCreated = new Tally();
	readonly tasksCompleted = new Tally();
	#live: LiveSources | null = null;
	#figures: (() => Promise<Figures | null>) | null = null;

	constructor() {
		const registers = [this.registry];
		collectDefaultMetrics({ register: this.registry });
		this.httpDuration = new Histogram({
			name: `${prefix}http_request_duration_seconds`,
			help: 'HTTP requests handled by SvelteKit, by method, route template and status class.',
			labelNames: ['method', 'route', 'status_class'],
			buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
			registers
		});
		this.rateLimited = new Counter({
			name: `${prefix}rate_limit_rejections_total`,
			help: 'Requests or websockets refused by a rate limit (api, websocket_rate, websocket_pending, websocket_backlog: stopped reading).',
			labelNames: ['limit'],
			registers
		});
		this.loginThrottled = new Counter({
			name: `${prefix}login_throttled_total`,
			help: 'Login attempts refused by the per-account or per-address throttle.',
			registers
		});
		this.walCommitSeconds = new Histogram({
			name: `${prefix}wal_commit_duration_seconds`,
			help: 'Time to commit one group-commit batch of the write-ahead log (retries included).',
			buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
			registers
		});
		this.walBatchSize = new Histogram({
			name: `${prefix}wal_batch_size`,
			help: 'Updates committed together in one write-ahead log batch.',
			buckets: [1, 2, 5, 10, 25, 50, 100, 250, 500],
			registers
		});
		this.storeSeconds = new Histogram({
			name: `${prefix}board_store_duration_seconds`,
			help: 'Time of one board store attempt (snapshot, compaction, events), by outcome.',
			labelNames: ['outcome'],
			buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
			registers
		});
		this.eventLogWriteErrors = new Counter({
			name: `${prefix}event_log_write_errors_total`,
			help: 'Failed attempts to deliver outbox events to the event log (MongoDB or PostgreSQL).',
			registers
		});
		this.eventsDelivered = new Counter({
			name: `${prefix}events_delivered_total`,
			help: 'Audit events the relay delivered to the event log.',
			registers
		});
		this.#tallied(
			'board_updates_received_total',
			'Board updates applied, by where they came from.',
			[...Object.entries(this.updatesReceived).map(([source, tally]) => ({ source, tally }))]
		);
		this.#tallied(
			'board_updates_fanned_out_total',
			'Board updates sent to websocket connections (each update times the connections on its board).',
			[{ tally: this.updatesFannedOut }]
		);
		this.#tallied('tasks_created_total', 'Cards created (browser or API).', [
			{ tally: this.tasksCreated }
		]);
		this.#tallied(
			'tasks_completed_total',
			'Cards moved into a done column from another category.',
			[{ tally: this.tasksCompleted }]
		);
		this.#liveGauge('websocket_connections', 'Open collaboration websockets.', (l) =>
			l.websocketConnections()
		);
		this.#liveGauge(
			'websocket_authenticated_connections',
			'Open collaboration websockets that authenticated a board.',
			(l) => l.authenticatedConnections()
		);
		this.#liveGauge('boards_loaded', 'Board documents loaded on this instance.', (l) =>
			l.boardsLoaded()
		);
		this.#figureGauge(
			'tasks_overdue',
			'Cards past their due date, not done, on live boards.',
			'overdueTasks'
		);
		this.#figureGauge(
			'daily_active_users',
			'Users active in the last 24 hours.',
			'dailyActiveUsers'
		);
		this.#figureGauge(
			'weekly_active_users',
			'Users active in the last 7 days.',
			'weeklyActiveUsers'
		);
		this.#figureGauge('event_outbox_depth', 'Audit events waiting in the outbox.', 'outboxDepth');
		this.#figureGauge(
			'event_relay_lag_seconds',
			'Age of the oldest audit event waiting in the outbox (0 when empty).',
			'relayLagSeconds'
		);
	}

	/** Live state to report (set once the collaboration server exists). */
	watch(live: LiveSources): void {
		this.#live = live;
	}

	/** Where the database figures come from (a cached reader). */
	readFiguresWith(read: () => Promise<Figures | null>): void {
		this.#figures = read;
	}

	/** The exposition in the Prometheus text format. */
	expose(): Promise<string> {
		return this.registry.metrics();
	}

	get contentType(): string {
		return this.registry.contentType;
	}

	#tallied(name: string, help: string, series: { source?: string; tally: Tally }[]): void {
		const labelled = series.some((s) => s.source !== undefined);
		new Counter({
			name: `${prefix}${name}`,
			help,
			labelNames: labelled ? ['source'] : [],
			registers: [this.registry],
			collect() {
				// Copied whole each scrape: the tally is the truth, the counter only its picture.
				this.reset();
				for (const { source, tally } of series) {
					if (source === undefined) this.inc(tally.value);
					else this.inc({ source }, tally.value);
				}
			}
		});
	}

	#liveGauge(name: string, help: string, read: (live: LiveSources) => number): void {
		const live = () => this.#live;
		new Gauge({
			name: `${prefix}${name}`,
			help,
			registers: [this.registry],
			collect() {
				const sources = live();
				if (sources) this.set(read(sources));
			}
		});
	}

	#figureGauge(name: string, help: string, key: keyof Figures): void {
		const figuresNow = () => this.#figures?.();
		new Gauge({
			name: `${prefix}${name}`,
			help,
			registers: [this.registry],
			async collect() {
				const figures = await figuresNow();
				if (figures) this.set(figures[key]);
			}
		});
	}
}
