import type {
	afterUnloadDocumentPayload,
	beforeUnloadDocumentPayload,
	Extension,
	onLoadDocumentPayload
} from '@hocuspocus/server';
import type * as Y from 'yjs';
import type { Sql } from '#lib/server/db/client.ts';
import type { Logger } from '#lib/server/log.ts';
import { parseBoardDocumentName } from '../collab-names.ts';
import { BoardRecorder } from '../events/board-recorder.ts';
import type { SnapshotCompanion } from '../persistence/board-store.ts';

export interface EventLogOptions {
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
	/** The write-ahead log row a connection's current message was logged as (Persistence). */
	walIdOf(connection: unknown): number | null;
	/** Called when events were committed to the outbox, so the relay delivers them at once. */
	onQueued?: () => void;
	/** Called with the users who got new notifications from committed events. */
	onNotified?: (userIds: string[]) => void;
}

/**
 * Derives audit events from every loaded board's Yjs transactions (`task.moved`, …), attributed
 * to the connection's authenticated user, and hands them to the store that persists the same
 * updates, which commits them to the outbox in its transaction. Updates that arrive through
 * Redis are not logged here: the instance that received them from a client logs them.
 */
export class EventLogExtension implements Extension {
	extensionName = 'EventLog';
	// Above Persistence (100): the recorder must be observing before Persistence replays the
	// write-ahead log on load, so the events of rows a crash left unstored are derived again.
	priority = 200;

	readonly #options: EventLogOptions;
	readonly #recorders = new Map<string, BoardRecorder>();

	constructor(options: EventLogOptions) {
		this.#options = options;
	}

	async onLoadDocument({ documentName, document }: onLoadDocumentPayload): Promise<void> {
		const boardId = parseBoardDocumentName(documentName);
		if (!boardId) return;
		const recorder = this.recorder(document, boardId);
		this.#recorders.set(documentName, recorder);
		await recorder.seed();
	}

	/** A recorder for a document that is about to have its stored state applied. */
	recorder(document: Y.Doc, boardId: string): BoardRecorder {
		const { sql, log, instanceId, burstMs, addressHeader, walIdOf, onQueued, onNotified } =
			this.#options;
		return new BoardRecorder(document, {
			sql,
			boardId,
			instanceId,
			burstMs,
			addressHeader,
			walIdOf,
			onQueued,
			onNotified,
			flushAfterMs: this.#options.flushAfterMs ?? 12_000,
			onError: (error) => log.error({ err: error, boardId }, 'board events failed')
		});
	}

	/** What Persistence commits with this document's snapshot. */
	companion(documentName: string): SnapshotCompanion | undefined {
		return this.#recorders.get(documentName);
	}

	/** Events held for a document: those not yet committed to the outbox. */
	pending(documentName: string): number {
		return this.#recorders.get(documentName)?.pending ?? 0;
	}

	/**
	 * A document can leave memory without a store of its own (with Redis, when another instance
	 * holds the store lock; or after a load that only replayed the log): commit what is held
	 * now. Throwing keeps the document loaded, with its events, rather than dropping them.
	 */
	async beforeUnloadDocument({ documentName }: beforeUnloadDocumentPayload): Promise<void> {
		const recorder = this.#recorders.get(documentName);
		if (!recorder || recorder.pending === 0) return;
		try {
			await recorder.flush();
		} catch (error) {
			this.#options.log.error({ err: error, documentName }, 'could not queue board events');
			throw error;
		}
	}

	async afterUnloadDocument({ documentName }: afterUnloadDocumentPayload): Promise<void> {
		this.#recorders.get(documentName)?.detach();
		this.#recorders.delete(documentName);
	}
}
