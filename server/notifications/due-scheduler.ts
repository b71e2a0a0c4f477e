/**
 * Reminds assignees of cards due today or overdue. Runs on one instance cluster-wide (a
 * leader lock), and each reminder is keyed by card, due date and assignee in the table, so even
 * two scans at once could not remind twice.
 */
import type { Sql } from '#lib/server/db/client.ts';
import type { Logger } from '#lib/server/log.ts';
import { insertDueReminders } from '#lib/server/notifications/store.ts';
import type { LeaderLock } from '../leader-lock.ts';

export interface DueSchedulerStats {
	/** Scans this instance ran (0 on every instance but the leader). */
	scans: number;
	reminders: number;
}

export class DueReminderScheduler {
	readonly stats: DueSchedulerStats = { scans: 0, reminders: 0 };
	readonly #sql: Sql;
	readonly #log: Logger;
	readonly #intervalMs: number;
	readonly #lock: LeaderLock | null;
	readonly #notified: (userIds: string[]) => void;
	#timer: ReturnType<typeof setTimeout> | null = null;
	#running: Promise<void> | null = null;
	#stopped = false;

	constructor(options: {
		sql: Sql;
		log: Logger;
		intervalMs: number;
		/** Held while scanning; null for the embedded database (one process). */
		leader: LeaderLock | null;
		onNotified(userIds: string[]): void;
	}) {
		this.#sql = options.sql;
		this.#log = options.log;
		this.#intervalMs = options.intervalMs;
		this.#lock = options.leader;
		this.#notified = options.onNotified;
	}

	start(): void {
		if (this.#intervalMs > 0) this.#schedule(0);
	}

	async stop(): Promise<void> {
		this.#stopped = true;
		if (this.#timer) clearTimeout(this.#timer);
		await this.#running;
		await this.#lock?.release();
	}

	/** One scan if this instance leads; returns how many reminders it stored. */
	async scan(): Promise<number> {
		if (this.#lock && !(await this.#lock.acquire())) return 0;
		const recipients = await insertDueReminders(this.#sql);
		this.stats.scans += 1;
		this.stats.reminders += recipients.length;
		if (recipients.length > 0) this.#notified([...new Set(recipients)]);
		return recipients.length;
	}

	#schedule(delay: number): void {
		if (this.#stopped) return;
		this.#timer = setTimeout(() => {
			this.#running = this.scan()
				.then(() => undefined)
				.catch((error: unknown) => this.#log.warn({ err: error }, 'due-date reminder scan failed'))
				.finally(() => this.#schedule(this.#intervalMs));
		}, delay);
		this.#timer.unref();
	}
}
