/**
 * Sends queued webhook deliveries: the oldest pending one of each hook and board, several hooks
 * at a time, on one instance cluster-wide (a leader lock). A failure is retried with exponential
 * backoff (base doubling to at most an hour, ±20% jitter) until the delivery is `retryForMs`
 * old; then it fails, its hook is switched off and its managers are notified. A crash between
 * sending and recording sends the delivery again: delivery is at least once, and receivers
 * de-duplicate by `X-TaskFlow-Delivery` or the event id.
 */
import type { Sql } from '#lib/server/db/client.ts';
import type { Logger } from '#lib/server/log.ts';
import {
	dueDeliveries,
	pruneDeliveries,
	recordGiveUp,
	recordRetry,
	recordSuccess,
	type DueDelivery
} from '#lib/server/webhooks/queue.ts';
import { signPayload } from '#lib/server/webhooks/signature.ts';
import type { LeaderLock } from '../leader-lock.ts';
import { postDelivery } from './sender.ts';
import { WakeableSleep } from '../wakeable-sleep.ts';

export interface DispatcherOptions {
	sql: Sql;
	log: Logger;
	leader: LeaderLock | null;
	allowPrivate: boolean;
	retryBaseMs: number;
	retryForMs: number;
	timeoutMs: number;
	logDays: number;
	onNotified(userIds: string[]): void;
	/** Deliveries in flight at once (each to a different hook or board). */
	concurrency?: number;
	idleMs?: number;
}

const maxRetryMs = 3_600_000;
const pruneEveryMs = 600_000;

export function retryDelay(baseMs: number, attempts: number, random = Math.random()): number {
	const plain = Math.min(baseMs * 2 ** Math.max(0, attempts - 1), maxRetryMs);
	return Math.round(plain * (0.8 + 0.4 * random));
}

export class WebhookDispatcher {
	readonly stats = { sent: 0, delivered: 0, failedAttempts: 0 };
	readonly #options: Required<DispatcherOptions>;
	#running: Promise<void> | null = null;
	#stopped = false;
	readonly #pause = new WakeableSleep();
	#prunedAt = 0;
	/** Deliveries being sent, by id; still pending in the table until recorded. */
	readonly #inFlight = new Map<string, Promise<void>>();

	constructor(options: DispatcherOptions) {
		this.#options = { concurrency: 8, idleMs: 1000, ...options };
	}

	start(): void {
		this.#running ??= this.#loop();
	}

	/** New deliveries were queued: look now instead of at the next poll. */
	wake(): void {
		this.#pause.wake();
	}

	async stop(): Promise<void> {
		this.#stopped = true;
		this.wake();
		await this.#running;
		await this.#options.leader?.release();
	}

	async #loop(): Promise<void> {
		while (!this.#stopped) {
			let started = 0;
			try {
				const { leader } = this.#options;
				if (!leader || (await leader.acquire())) started = await this.#fill();
			} catch (error) {
				this.#options.log.warn(
					{ err: error },
					'Webhooks: cannot read the delivery queue; retrying'
				);
			}
			// A finished send wakes the loop, so a slow receiver holds one slot, not the others.
			if (started === 0) await this.#pause.sleep(this.#options.idleMs);
		}
		await Promise.all(this.#inFlight.values());
	}

	/** Starts due deliveries in the free slots; returns how many it started. */
	async #fill(): Promise<number> {
		const { sql, concurrency, logDays, log } = this.#options;
		if (Date.now() - this.#prunedAt >= pruneEveryMs) {
			this.#prunedAt = Date.now();
			await pruneDeliveries(sql, logDays);
		}
		const free = concurrency - this.#inFlight.size;
		if (free <= 0) return 0;
		const due = await dueDeliveries(sql, free, [...this.#inFlight.keys()]);
		for (const delivery of due) {
			const sending = this.#deliver(delivery)
				.catch((error: unknown) =>
					log.warn({ err: error, deliveryId: delivery.id }, 'Webhooks: cannot record an attempt')
				)
				.finally(() => {
					this.#inFlight.delete(delivery.id);
					this.wake();
				});
			this.#inFlight.set(delivery.id, sending);
		}
		return due.length;
	}

	async #deliver(delivery: DueDelivery): Promise<void> {
		const { sql, allowPrivate, timeoutMs, retryBaseMs, retryForMs, log } = this.#options;
		const body = JSON.stringify(delivery.event);
		const timestamp = Math.floor(Date.now() / 1000);
		const attempt = await postDelivery(
			delivery.url,
			body,
			{
				'content-type': 'application/json',
				'user-agent': 'TaskFlow-Webhooks/1',
				'x-taskflow-webhook': delivery.webhookId,
				'x-taskflow-delivery': delivery.id,
				'x-taskflow-event': delivery.eventType,
				'x-taskflow-event-id': delivery.eventId,
				'x-taskflow-timestamp': String(timestamp),
				'x-taskflow-signature': signPayload(delivery.secret, timestamp, body)
			},
			{ allowPrivate, timeoutMs }
		);
		this.stats.sent += 1;
		if (attempt.error === null) {
			this.stats.delivered += 1;
			await recordSuccess(sql, delivery.id, attempt);
			return;
		}
		this.stats.failedAttempts += 1;
		const attempts = delivery.attempts + 1;
		const delay = retryDelay(retryBaseMs, attempts);
		const firstAttempt = delivery.firstAttemptAt?.getTime() ?? Date.now();
		if (Date.now() + delay - firstAttempt > retryForMs) {
			const told = await recordGiveUp(sql, delivery, attempt);
			log.warn(
				{ webhookId: delivery.webhookId, deliveryId: delivery.id, error: attempt.error },
				'Webhooks: a delivery failed for good; its hook is switched off'
			);
			if (told.length > 0) this.#options.onNotified(told);
			return;
		}
		await recordRetry(sql, delivery.id, attempt, delay);
	}
}
