/**
 * Delivers the outbox to the event log: oldest first, in batches, deleting a row only after the
 * event log acknowledged it (appends are idempotent by event id, so a crash between the two
 * delivers a row twice and stores it once). While the event log is down it retries with
 * backoff and says so once per outage.
 */
import type { Sql } from '#lib/server/db/client.ts';
import { acknowledgeOutbox, readOutbox, sweepOutbox } from '#lib/server/events/outbox.ts';
import type { AuditEvent, EventLog } from '#lib/server/events/types.ts';
import type { Logger } from '#lib/server/log.ts';
import type { Metrics } from '#lib/server/metrics/metrics.ts';
import type { LeaderLock } from '../leader-lock.ts';
import { WakeableSleep } from '../wakeable-sleep.ts';

export interface RelayOptions {
	sql: Sql;
	target: EventLog;
	log: Logger;
	/**
	 * Held while relaying, so one instance delivers at a time and events of a board cannot
	 * overtake each other. Null for the embedded database: one process, one connection.
	 */
	leader: LeaderLock | null;
	batchSize?: number;
	/** Poll interval when idle (other instances' events are not announced to this one). */
	idleMs?: number;
	maxBackoffMs?: number;
	/** Delivered events and event-log write errors; null when metrics are off. */
	metrics?: Metrics | null;
}

export interface RelayStats {
	delivered: number;
	batches: number;
	/** Consecutive failed attempts; 0 while the event log is reachable. */
	failing: number;
}

const sweepEveryMs = 10_000;
const errorText = (error: unknown) => (error instanceof Error ? error.message : String(error));

/** A failure of the event log itself, as opposed to reading or updating the outbox. */
class TargetFailure extends Error {
	constructor(cause: unknown) {
		super(errorText(cause), { cause });
		this.name = 'TargetFailure';
	}
}

async function atTarget<T>(work: () => Promise<T>): Promise<T> {
	try {
		return await work();
	} catch (error) {
		throw new TargetFailure(error);
	}
}

export class OutboxRelay {
	readonly stats: RelayStats = { delivered: 0, batches: 0, failing: 0 };
	readonly #options: Required<Omit<RelayOptions, 'leader'>>;
	readonly #leader: LeaderLock | null;
	#running: Promise<void> | null = null;
	#stopped = false;
	#prepared = false;
	readonly #pause = new WakeableSleep();
	#sweptAt = 0;
	readonly #listeners = new Set<(events: readonly AuditEvent[]) => void>();
	readonly #queuedListeners = new Set<() => void>();

	constructor(options: RelayOptions) {
		const { leader, ...rest } = options;
		this.#options = { batchSize: 500, idleMs: 1000, maxBackoffMs: 5000, metrics: null, ...rest };
		this.#leader = leader;
	}

	start(): void {
		this.#running ??= this.#loop();
	}

	/** Called after each batch the event log acknowledged; returns a function that stops it. */
	onDelivered(listener: (events: readonly AuditEvent[]) => void): () => void {
		this.#listeners.add(listener);
		return () => this.#listeners.delete(listener);
	}

	/**
	 * Called when retiring events queued webhook deliveries. Only then: the dispatcher polls on
	 * its own every second, and waking it after every batch cost a lock check and a read of the
	 * delivery queue per batch, with or without a webhook (two statements a batch, ten a second
	 * at the seed's load).
	 */
	onDeliveriesQueued(listener: () => void): () => void {
		this.#queuedListeners.add(listener);
		return () => this.#queuedListeners.delete(listener);
	}

	/** Delivers without waiting for the next poll (events were just committed). */
	wake(): void {
		this.#pause.wake();
	}

	async stop(): Promise<void> {
		this.#stopped = true;
		this.wake();
		await this.#running;
		await this.#leader?.release();
	}

	async #loop(): Promise<void> {
		while (!this.#stopped) {
			let delay = this.#options.idleMs;
			try {
				if (this.#leader && !(await this.#leader.acquire())) {
					await this.#pause.sleep(delay);
					continue;
				}
				const delivered = await this.#deliverBatch();
				if (this.stats.failing > 0) {
					this.#options.log.info(
						{ failedAttempts: this.stats.failing },
						`Event log: ${this.#options.target.describe} is reachable again; delivering queued events`
					);
					this.stats.failing = 0;
				}
				if (delivered === this.#options.batchSize) delay = 0;
			} catch (error) {
				if (error instanceof TargetFailure) this.#options.metrics?.eventLogWriteErrors.inc();
				this.#prepared = false;
				this.stats.failing += 1;
				if (this.stats.failing === 1) this.#reportOutage(error);
				delay = Math.min(250 * 2 ** (this.stats.failing - 1), this.#options.maxBackoffMs);
			}
			await this.#pause.sleep(delay);
		}
	}

	/** Returns how many events it delivered. */
	async #deliverBatch(): Promise<number> {
		const { sql, target, batchSize } = this.#options;
		// Prepared before anything is queued, so an event log that is down at startup is reported
		// at startup.
		if (!this.#prepared) {
			await atTarget(() => target.prepare());
			this.#prepared = true;
		}
		// Closed bursts linger (delivered) until their window ends, and leave (reaching the
		// webhooks) at the next sweep: on a timer, however busy the outbox, or a steady flow of
		// events would hold them back.
		if (Date.now() - this.#sweptAt >= sweepEveryMs) {
			const swept = await sweepOutbox(sql);
			this.#sweptAt = Date.now();
			if (swept.queued > 0) this.#tellQueued();
		}
		const rows = await readOutbox(sql, batchSize);
		if (rows.length === 0) return 0;
		const events = rows.map((row) => row.event);
		await atTarget(() => target.append(events));
		if ((await acknowledgeOutbox(sql, rows)) > 0) this.#tellQueued();
		this.stats.delivered += rows.length;
		this.#options.metrics?.eventsDelivered.inc(rows.length);
		this.stats.batches += 1;
		for (const listener of this.#listeners) {
			try {
				listener(events);
			} catch (error) {
				this.#options.log.warn({ err: error }, 'a delivered-events listener failed');
			}
		}
		return rows.length;
	}

	#tellQueued(): void {
		for (const listener of this.#queuedListeners) listener();
	}

	/** One line per outage, naming what is down; the events wait in the outbox meanwhile. */
	#reportOutage(error: unknown): void {
		const { target, log } = this.#options;
		if (error instanceof TargetFailure) {
			log.warn(
				{ err: error.cause },
				`Event log: ${target.describe} is unreachable (${error.message}); TaskFlow keeps ` +
					'serving and events wait in the PostgreSQL outbox until it is back'
			);
		} else {
			log.error(
				{ err: error },
				`Event log: cannot read the outbox (${errorText(error)}); retrying`
			);
		}
	}
}
