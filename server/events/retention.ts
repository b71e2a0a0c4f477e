/**
 * EVENT_RETENTION_DAYS: deletes events older than the retention from the event log, on one
 * instance cluster-wide (the event log's leader lock, the one the relay holds), in bounded
 * batches so no single statement holds locks or grows the WAL for long. Deleting by age is
 * idempotent, so two instances pruning at once (a lock lost mid-run) only repeat work.
 * MongoDB with its TTL index expires events by itself and is skipped; FerretDB refuses TTL
 * indexes, so there this job does the deleting too.
 */
import type { EventLog } from '#lib/server/events/types.ts';
import type { Logger } from '#lib/server/log.ts';
import type { LeaderLock } from '../leader-lock.ts';

const dayMs = 24 * 60 * 60 * 1000;

export interface EventRetentionOptions {
	target: EventLog;
	/** Events older than this many days go. */
	retentionDays: number;
	log: Logger;
	/** Held while pruning; null for the embedded database (one process). */
	leader: LeaderLock | null;
	/** Between runs; an hour by default (a day's events expire within an hour of their time). */
	intervalMs?: number;
	/** Events per delete statement. */
	batchSize?: number;
}

export interface EventRetentionStats {
	/** Runs this instance made as leader. */
	runs: number;
	deleted: number;
}

export class EventRetention {
	readonly stats: EventRetentionStats = { runs: 0, deleted: 0 };
	readonly #target: EventLog;
	readonly #retentionMs: number;
	readonly #log: Logger;
	readonly #lock: LeaderLock | null;
	readonly #intervalMs: number;
	readonly #batchSize: number;
	#timer: ReturnType<typeof setTimeout> | null = null;
	#running: Promise<unknown> | null = null;
	#stopped = false;

	constructor(options: EventRetentionOptions) {
		this.#target = options.target;
		this.#retentionMs = options.retentionDays * dayMs;
		this.#log = options.log;
		this.#lock = options.leader;
		this.#intervalMs = options.intervalMs ?? 60 * 60 * 1000;
		this.#batchSize = options.batchSize ?? 1000;
	}

	start(): void {
		// The first run a minute after start: not in the way of startup and recovery.
		this.#schedule(60_000);
	}

	/** Stops scheduling and waits for a run in progress (which ends after its current batch). */
	async stop(): Promise<void> {
		this.#stopped = true;
		if (this.#timer) clearTimeout(this.#timer);
		await this.#running;
	}

	/**
	 * One run if this instance leads: deletes every event older than the retention, a batch at
	 * a time. Returns how many it deleted, or null when another instance leads.
	 */
	async prune(now = Date.now()): Promise<number | null> {
		if (this.#lock && !(await this.#lock.acquire())) return null;
		this.stats.runs += 1;
		if (this.#target.expiresOnItsOwn) return 0;
		const cutoff = new Date(now - this.#retentionMs);
		let total = 0;
		for (;;) {
			const deleted = await this.#target.deleteBefore(cutoff, this.#batchSize);
			total += deleted;
			this.stats.deleted += deleted;
			if (deleted < this.#batchSize || this.#stopped) break;
		}
		if (total > 0) {
			this.#log.info({ deleted: total, before: cutoff.toISOString() }, 'expired events deleted');
		}
		return total;
	}

	#schedule(delay: number): void {
		if (this.#stopped) return;
		this.#timer = setTimeout(() => {
			this.#running = this.prune()
				.catch((error: unknown) => this.#log.warn({ err: error }, 'event retention run failed'))
				.finally(() => this.#schedule(this.#intervalMs));
		}, delay);
		this.#timer.unref();
	}
}
