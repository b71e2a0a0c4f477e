/**
 * The event side of each loaded board: a `BoardRecorder` per document, which derives audit
 * events from its Yjs transactions (attributed to the connection's authenticated user) and holds
 * them until the store or row sync that persists the same updates commits them. Owned by
 * `Persistence`, which opens a recorder before it applies a board's stored state (so replayed
 * log rows are observed too) and tells it which log row each message was written as. Updates
 * that arrive through Redis are not logged here: the instance that received them logs them.
 */
import type * as Y from 'yjs';
import type { Sql } from '#lib/server/db/client.ts';
import type { Logger } from '#lib/server/log.ts';
import type { LogRowRef } from './attribution.ts';
import { BoardRecorder, type TaskTallies } from './board-recorder.ts';

export interface BoardEventsOptions {
	sql: Sql;
	log: Logger;
	/** Named in every event's metadata. */
	instanceId: string;
	/** One actor's edits to the same fields of a card within this window make one event. */
	burstMs: number;
	/** ADDRESS_HEADER: where a trusted proxy puts the client address. */
	addressHeader: string | null;
	/** Held events are committed on their own after this long without a store (default 12 s). */
	flushAfterMs?: number;
	/** Called when events were committed to the outbox, so the relay delivers them at once. */
	onQueued?: () => void;
	/** Called with the users who got new notifications from committed events. */
	onNotified?: (userIds: string[]) => void;
	/** Cards created and completed, for the metrics (null when they are off). */
	taskTallies?: TaskTallies | null;
}

export class BoardEvents {
	readonly #options: BoardEventsOptions;
	readonly #open = new Map<string, BoardRecorder>();

	constructor(options: BoardEventsOptions) {
		this.#options = options;
	}

	/**
	 * A recorder for a document that is about to have its stored state applied. `walOf` names
	 * the log row of the message a connection is applying right now (null when not logged);
	 * `canFlush` says whether every update applied so far is durable, so held events may be
	 * committed on their own (without it, an event could outlive an update that never commits).
	 */
	recorder(
		document: Y.Doc,
		boardId: string,
		walOf: (connection: unknown) => LogRowRef | null,
		canFlush: () => boolean = () => true
	): BoardRecorder {
		const { sql, log, instanceId, burstMs, addressHeader, onQueued, onNotified } = this.#options;
		return new BoardRecorder(document, {
			sql,
			boardId,
			instanceId,
			burstMs,
			addressHeader,
			walOf,
			canFlush,
			onQueued,
			onNotified,
			flushAfterMs: this.#options.flushAfterMs ?? 12_000,
			taskTallies: this.#options.taskTallies,
			onError: (error) => log.error({ err: error, boardId }, 'board events failed')
		});
	}

	/** Opens (and seeds) the recorder of a loaded document, known by name until `close`. */
	async open(
		documentName: string,
		document: Y.Doc,
		boardId: string,
		walOf: (connection: unknown) => LogRowRef | null,
		canFlush: () => boolean
	): Promise<BoardRecorder> {
		const recorder = this.recorder(document, boardId, walOf, canFlush);
		try {
			await recorder.seed();
		} catch (error) {
			recorder.detach();
			throw error;
		}
		this.#open.set(documentName, recorder);
		return recorder;
	}

	/** Events held for a document: those not yet committed to the outbox. */
	pending(documentName: string): number {
		return this.#open.get(documentName)?.pending ?? 0;
	}

	/**
	 * A document can leave memory without a store of its own (with Redis, when another instance
	 * holds the store lock; or after a load that only replayed the log): commit what is held
	 * now. Throwing keeps the document loaded, with its events, rather than dropping them.
	 */
	async flush(documentName: string): Promise<void> {
		const recorder = this.#open.get(documentName);
		if (!recorder || recorder.pending === 0) return;
		try {
			await recorder.flush();
		} catch (error) {
			this.#options.log.error({ err: error, documentName }, 'could not queue board events');
			throw error;
		}
	}

	/** The document left memory (or its load failed). */
	close(documentName: string, recorder?: BoardRecorder): void {
		const open = this.#open.get(documentName);
		if (recorder && open !== recorder) {
			recorder.detach();
			return;
		}
		open?.detach();
		this.#open.delete(documentName);
	}
}
