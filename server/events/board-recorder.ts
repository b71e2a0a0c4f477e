/**
 * Derives a board's events from its document's transactions and holds them until the store
 * that persists those updates commits them to the outbox (see `SnapshotCompanion`). Used live
 * by the EventLog extension and, without Hocuspocus, by startup recovery.
 */
import { randomUUID } from 'node:crypto';
import type * as Y from 'yjs';
import type { Sql, Tx } from '#lib/server/db/client.ts';
import { stableUuid } from '#lib/server/events/ids.ts';
import { enqueueEvents, openEvents, type OutboxEntry } from '#lib/server/events/outbox.ts';
import type { AuditEvent } from '#lib/server/events/types.ts';
import type { Tally } from '#lib/server/metrics/metrics.ts';
import { notificationsFor } from '#lib/server/notifications/derive.ts';
import { insertNotifications } from '#lib/server/notifications/store.ts';
import type { SnapshotCompanion } from '../persistence/board-store.ts';
import { classifyOrigin, type AttributionOptions, type Attribution } from './attribution.ts';
import { BoardShadow, type BoardChange } from './board-changes.ts';
import { EventBuffer } from './event-buffer.ts';

export interface BoardRecorderOptions extends AttributionOptions {
	sql: Sql;
	boardId: string;
	burstMs: number;
	/**
	 * Events still held this long after they were recorded are committed on their own. The
	 * store that persists their updates normally takes them first (within Hocuspocus's 10 s
	 * maximum debounce and the store's turn of at most 1 s, see StorePacing); with Redis it can
	 * be skipped because another instance held the store lock, and the events must not wait for
	 * this instance's next change.
	 */
	flushAfterMs?: number;
	/**
	 * Whether held events may be committed on their own now (every update applied so far is
	 * durable); checked by the backstop flush, which waits otherwise.
	 */
	canFlush?: () => boolean;
	/** Called after events were committed to the outbox (wakes the relay). */
	onQueued?: () => void;
	/** Called with the users who got new notifications, after they were committed. */
	onNotified?: (userIds: string[]) => void;
	/** Deriving or committing events failed; editing goes on regardless. */
	onError?: (error: unknown) => void;
	/** Counts of cards created and completed (metrics), bumped for live changes only. */
	taskTallies?: TaskTallies | null;
}

export interface TaskTallies {
	created: Tally;
	completed: Tally;
}

/** A log row replayed on load: its changes were counted when they were first made. */
function isReplay(origin: unknown): boolean {
	return (origin as { context?: { persistence?: unknown } } | null)?.context?.persistence === true;
}

export class BoardRecorder implements SnapshotCompanion {
	readonly #options: BoardRecorderOptions;
	readonly #doc: Y.Doc;
	readonly #shadow: BoardShadow;
	readonly #buffer: EventBuffer;
	readonly #listener: (transaction: Y.Transaction) => void;
	#backstop: ReturnType<typeof setTimeout> | null = null;

	/** Attach before any stored state is applied, so replayed log rows are observed too. */
	constructor(doc: Y.Doc, options: BoardRecorderOptions) {
		this.#options = options;
		this.#doc = doc;
		this.#shadow = new BoardShadow(doc, options.boardId);
		this.#buffer = new EventBuffer({ windowMs: options.burstMs });
		this.#listener = (transaction) => {
			// Runs inside Yjs's transaction cleanup: a failure here must never fail the edit.
			try {
				this.#record(transaction);
			} catch (error) {
				options.onError?.(error);
			}
		};
		doc.on('afterTransaction', this.#listener);
	}

	/** Picks up bursts that an earlier store left open, so a replay continues them. */
	async seed(): Promise<void> {
		this.#buffer.seed(await openEvents(this.#options.sql, this.#options.boardId));
	}

	get pending(): number {
		return this.#buffer.pending;
	}

	detach(): void {
		this.#doc.off('afterTransaction', this.#listener);
		if (this.#backstop) clearTimeout(this.#backstop);
		this.#backstop = null;
	}

	capture(): { write(tx: Tx): Promise<void>; committed(): void } | null {
		const captured = this.#buffer.capture();
		if (!captured) return null;
		let notified: string[] = [];
		return {
			write: async (tx) => {
				await enqueueEvents(tx, captured.entries);
				notified = await this.#notify(tx, captured.entries);
			},
			committed: () => {
				captured.committed();
				this.#options.onQueued?.();
				if (notified.length > 0) this.#options.onNotified?.(notified);
			}
		};
	}

	/**
	 * Stores the notifications these events cause, in the transaction that commits them. Inside
	 * a savepoint: a notification that cannot be stored must never fail the store carrying it.
	 */
	async #notify(tx: Tx, entries: readonly OutboxEntry[]): Promise<string[]> {
		const drafts = notificationsFor(entries.map((entry) => entry.event));
		if (drafts.length === 0) return [];
		try {
			return await tx.savepoint((sp) => insertNotifications(sp, drafts));
		} catch (error) {
			this.#options.onError?.(error);
			return [];
		}
	}

	/**
	 * Holds events made alongside a change (not derived from the document) with the change's
	 * own, to be committed with them.
	 */
	hold(events: readonly AuditEvent[]): void {
		if (events.length === 0) return;
		for (const event of events) this.#buffer.push(event);
		this.#armBackstop();
	}

	/** Commits what is held outside a store (the document is leaving memory without one). */
	async flush(): Promise<void> {
		const captured = this.capture();
		if (!captured) return;
		await this.#options.sql.begin((tx) => captured.write(tx));
		captured.committed();
	}

	#armBackstop(): void {
		const delay = this.#options.flushAfterMs;
		if (this.#backstop || !delay) return;
		this.#backstop = setTimeout(() => {
			this.#backstop = null;
			if (this.pending === 0) return;
			if (this.#options.canFlush && !this.#options.canFlush()) {
				this.#armBackstop();
				return;
			}
			this.flush()
				.catch((error: unknown) => this.#options.onError?.(error))
				.finally(() => {
					if (this.pending > 0) this.#armBackstop();
				});
		}, delay);
		this.#backstop.unref();
	}

	#record(transaction: Y.Transaction): void {
		const { changes, tasks } = this.#shadow.apply(transaction);
		if (changes.length === 0 && tasks.size === 0) return;
		const origin = classifyOrigin(transaction.origin, this.#options);
		if (origin.kind === 'foreign') {
			// Someone else changed these cards: a burst in progress there has ended.
			if (origin.interrupts) this.#buffer.interrupt(tasks, null);
			return;
		}
		const { who } = origin;
		const tallies = this.#options.taskTallies;
		if (tallies && !isReplay(transaction.origin)) countTasks(changes, tallies);
		this.#buffer.interrupt(tasks, who.actorId);
		let correlationId: string | null = null;
		const event = (change: BoardChange) => {
			correlationId ??=
				who.walId === null
					? randomUUID()
					: stableUuid('correlation', this.#options.boardId, who.walId);
			return this.#event(change, who, correlationId);
		};
		for (const change of changes) {
			// A new assignee is told once per change, so assignments never coalesce.
			if (change.fields && !change.fields.includes('assigneeId')) {
				const continued = this.#buffer.extend({
					taskId: change.entityId,
					fields: change.fields,
					actorId: who.actorId,
					payload: change.payload,
					at: who.at
				});
				// A keystroke that continues a burst needs no event of its own (the common case).
				if (!continued) this.#buffer.start(event(change), change.fields, who.at);
			} else {
				// A move or deletion between keystrokes ends the typing burst on that card.
				if (change.entityType === 'task') this.#buffer.interrupt([change.entityId], null);
				this.#buffer.push(event(change));
			}
		}
		this.#armBackstop();
	}

	#event(change: BoardChange, who: Attribution, correlationId: string): AuditEvent {
		const { boardId } = this.#options;
		const id =
			who.walId === null
				? randomUUID()
				: stableUuid(boardId, who.walId, change.type, change.entityId, ...(change.fields ?? []));
		return {
			id,
			type: change.type,
			actorId: who.actorId,
			entityId: change.entityId,
			entityType: change.entityType,
			boardId,
			payload: change.payload,
			metadata: who.metadata,
			correlationId,
			createdAt: new Date(who.at).toISOString(),
			revision: 1
		};
	}
}

/** Creations, and moves from another category into done, among one transaction's changes. */
function countTasks(changes: readonly BoardChange[], tallies: TaskTallies): void {
	for (const change of changes) {
		if (change.type === 'task.created') tallies.created.value += 1;
		else if (change.type === 'task.moved') {
			const { fromCategory, toCategory } = change.payload as {
				fromCategory?: string;
				toCategory?: string;
			};
			if (toCategory === 'done' && fromCategory !== 'done') tallies.completed.value += 1;
		}
	}
}
