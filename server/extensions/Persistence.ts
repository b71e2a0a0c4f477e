import type {
	afterHandleMessagePayload,
	afterUnloadDocumentPayload,
	beforeSyncPayload,
	Connection,
	beforeUnloadDocumentPayload,
	Document,
	Extension,
	onLoadDocumentPayload,
	onStoreDocumentPayload
} from '@hocuspocus/server';
import { isTransactionOrigin } from '@hocuspocus/server';
import * as Y from 'yjs';
import { tasksMap } from '#lib/domain/board/schema.ts';
import type { Sql } from '#lib/server/db/client.ts';
import type { AuditEvent } from '#lib/server/events/types.ts';
import type { Logger } from '#lib/server/log.ts';
import type { Metrics } from '#lib/server/metrics/metrics.ts';
import type { UserActivity } from '#lib/server/user-activity.ts';
import { parseBoardDocumentName } from '../collab-names.ts';
import type { LogRowRef } from '../events/attribution.ts';
import type { BoardEvents } from '../events/board-events.ts';
import type { BoardRecorder } from '../events/board-recorder.ts';
import {
	batchedBoardStates,
	loadBoardDoc,
	persistBoard,
	recoverBoards,
	type BoardStateSource
} from '../persistence/board-store.ts';
import { gateAcknowledgements } from '../persistence/ack-gate.ts';
import { pendingParts } from '../persistence/pending-parts.ts';
import { BoardRowSync } from '../persistence/row-sync.ts';
import { RowSyncBatcher, type RowSyncStats } from '../persistence/row-sync-batcher.ts';
import { holdsAll, lacking } from '../persistence/update-coverage.ts';
import { missedUpdate, stuck, unstick } from '../persistence/listener-fault.ts';
import {
	messageChange,
	serverError,
	type Close,
	type MessageApply,
	type MessageBoard
} from '../persistence/message-change.ts';
import { UpdateIdPool } from '../persistence/update-ids.ts';
import { WalWriter } from '../persistence/wal-writer.ts';
import { RefusedUpdate, refusedUpdateCode } from '../board-guard/refusal.ts';
import type { CollabContext } from './Authorization.ts';

export interface PersistenceOptions {
	sql: Sql;
	log: Logger;
	/**
	 * Append every update to the write-ahead log before acknowledging it (default true). Off
	 * only to measure what the log costs: then edits acknowledged in the last store window can
	 * be lost to a crash.
	 */
	wal?: boolean;
	/** Store attempts before giving up on one store (the log still holds every update). */
	maxStoreAttempts?: number;
	/**
	 * Audit events of the loaded boards (null when EVENT_LOG=off): each document's recorder is
	 * opened before its stored state is applied, and its held events commit with the snapshot
	 * (or the log rows) holding their updates.
	 */
	events?: BoardEvents | null;
	/**
	 * After an edit, the board's `tasks`/`board_columns` rows are brought up to date within this
	 * long (ms; default 2000), or by the debounced store if it comes first (a board's title:
	 * within `titleSyncMs`).
	 */
	rowSyncMs?: number;
	/** At most one log statement per this many ms (default 40; see `WalWriter`). */
	walWindowMs?: number;
	/** Log commit and store timings; null when metrics are off. */
	metrics?: Metrics | null;
	/** Told who edited, so `last_active_at` follows edits on long-lived sockets. */
	activity?: UserActivity | null;
}

interface DocState {
	boardId: string;
	readonly doc: Document;
	/** Log rows whose updates are in the in-memory document. */
	applied: number[];
	/** The snapshot revision this copy last read or wrote. */
	revision: number;
	/** Its audit events, when the event log is on. */
	recorder: BoardRecorder | null;
	/**
	 * Log appends not yet settled, and messages given a log id whose update Hocuspocus has not
	 * finished applying yet (see `beforeSync`).
	 */
	appending: number;
	/**
	 * The newest append, settled either way. The writer settles appends in order, so once it
	 * has settled every earlier one has too.
	 */
	lastAppend: Promise<void>;
	rows: BoardRowSync;
	/** What `messageChange` needs of the board, made once at load. */
	board: MessageBoard;
	/** Its listeners to the document's transactions and updates (see `#integrated`). */
	onTransaction: (transaction: Y.Transaction) => void;
	onUpdate: (update: Uint8Array, origin: unknown, doc: Y.Doc, transaction: Y.Transaction) => void;
}

/**
 * A message given a log id in `beforeSync`, while Hocuspocus applies it. What its transaction
 * integrated is collected from the document's events (`#applying`, `#integrated`), and logged
 * once Hocuspocus answers it (`#finish`, with `messageChange`).
 */
interface InFlight extends MessageApply {
	state: DocState;
	row: LogRowRef;
	actorId: string | null;
}

/** How a message in flight ended: its append (null: none), and the close it needs, if any. */
interface Finished {
	append: Promise<void> | null;
	close: Close | null;
}

/** The origin Hocuspocus applies a connection's message with. */
const connectionOf = (origin: unknown): object | null =>
	isTransactionOrigin(origin) && origin.source === 'connection' ? origin.connection : null;

/**
 * Which loaded boards' rows to bring up to date: one board, those holding a card, or every
 * board with changes (for reads over many boards).
 */
export type RowTarget = { boardId: string } | { taskId: string } | { all: true };

/**
 * A board's title reaches `boards` within this long (ms) whatever `rowSyncMs` is: the pages of
 * a board (history, webhooks) and the board API show it from there, and renames are rare.
 */
const titleSyncMs = 500;

/** Close code for a socket whose update could not be made durable (1011: server error). */
const storageUnavailable = { code: 1011, reason: 'storage-unavailable' };

const syncStep2 = 1;
const syncUpdate = 2;
/** Updates up to this size are taken for live edits (a keystroke, a move: tens of bytes). */
const liveUpdateBytes = 256;
/** An update that changes nothing encodes as two zero bytes. */
const emptyUpdateBytes = 2;

/**
 * Loads boards from snapshot + log, logs updates as they are applied and acknowledges them once
 * logged (an API write is logged with its rows), keeps the normalized rows close behind the
 * document between stores, and stores snapshots, log compaction and the normalized rows
 * together.
 */
export class Persistence implements Extension {
	extensionName = 'Persistence';
	readonly wal: WalWriter;
	readonly #options: Required<PersistenceOptions>;
	readonly #docs = new Map<string, DocState>();
	/** By Hocuspocus connection: the message it is applying, given a log id. */
	readonly #inFlight = new WeakMap<object, InFlight>();
	/** Connections whose acknowledgements wait for the log (see `ack-gate.ts`). */
	readonly #gated = new WeakSet<object>();
	/** Connections closed for an update that did not apply: their queued messages are refused. */
	readonly #refused = new WeakSet<object>();
	readonly #rowBatcher: RowSyncBatcher;
	readonly #updateIds: UpdateIdPool;
	readonly #storedStates: BoardStateSource;
	#failureStreak = 0;
	#rowFailureStreak = 0;
	#unchanged = 0;

	constructor(options: PersistenceOptions) {
		this.#options = {
			wal: true,
			maxStoreAttempts: 8,
			events: null,
			rowSyncMs: 2000,
			walWindowMs: 40,
			metrics: null,
			activity: null,
			...options
		};
		const metrics = this.#options.metrics;
		this.wal = new WalWriter(options.sql, {
			windowMs: this.#options.walWindowMs,
			onCommit: metrics
				? (seconds, size) => {
						metrics.walCommitSeconds.observe(seconds);
						metrics.walBatchSize.observe(size);
					}
				: undefined
		});
		this.#updateIds = new UpdateIdPool(options.sql);
		this.#storedStates = batchedBoardStates(options.sql);
		this.#rowBatcher = new RowSyncBatcher({
			sql: options.sql,
			delayMs: this.#options.rowSyncMs,
			soonMs: titleSyncMs,
			onError: (error) => {
				if (this.#rowFailureStreak++ === 0) {
					this.#options.log.error({ err: error }, 'syncing board rows failed; retrying');
				}
			},
			onSuccess: () => {
				if (this.#rowFailureStreak > 0) this.#options.log.info('syncing board rows recovered');
				this.#rowFailureStreak = 0;
			}
		});
	}

	async onLoadDocument({ documentName, document }: onLoadDocumentPayload): Promise<void> {
		const boardId = parseBoardDocumentName(documentName);
		if (!boardId) throw new Error(`Not a board document: ${documentName}`);
		const events = this.#options.events;
		// Observing before the stored state is applied: the events of log rows a crash left
		// unstored are derived again while they replay.
		const recorder = events
			? await events.open(
					documentName,
					document,
					boardId,
					(connection) => this.walOf(connection),
					() => state.appending === 0 && state.rows.unlogged === 0
				)
			: null;
		let loaded: Awaited<ReturnType<typeof loadBoardDoc>>;
		try {
			// A failure here must fail the connection, never leave an empty document that a later
			// store would write over the real one.
			loaded = await loadBoardDoc(this.#storedStates, boardId, document, this.#options.log);
			// Boards get their document when created; a missing one means no such board.
			if (!loaded.exists) throw new Error(`No document for board ${boardId}`);
		} catch (error) {
			events?.close(documentName, recorder ?? undefined);
			throw error;
		}
		const rows = new BoardRowSync({
			sql: this.#options.sql,
			boardId,
			doc: document,
			batcher: this.#rowBatcher,
			onLogged: (ids) => state.applied.push(...ids),
			events: recorder ?? undefined,
			// An update still being logged may never commit (its sender was not acknowledged and
			// will send it again, as a new row): its events must not commit before it does.
			eventsReady: () => state.appending === 0
		});
		const { loadedIds, revision } = loaded;
		const state: DocState = {
			boardId,
			doc: document,
			applied: loadedIds,
			revision,
			rows,
			recorder,
			appending: 0,
			lastAppend: Promise.resolve(),
			board: {
				doc: document,
				error: (what, error) => this.#options.log.error({ err: error, boardId }, what),
				recover: () => this.#recover(state)
			},
			onTransaction: (transaction) => this.#applying(state, transaction),
			onUpdate: (update, origin, _doc, transaction) =>
				this.#integrated(state, update, origin, transaction)
		};
		document.on('beforeTransaction', state.onTransaction);
		document.on('update', state.onUpdate);
		// Replayed log rows may hold edits whose rows were never written (a crash, or an instance
		// that went away before storing).
		if (loadedIds.length > 0) rows.markAll();
		// A load that failed after ours left its state behind; it must not write rows any more.
		const stale = this.#docs.get(documentName);
		if (stale) this.#forget(stale);
		this.#docs.set(documentName, state);
	}

	/**
	 * Startup recovery (see `recoverBoards`), deriving the events of the rows it replays when
	 * the event log is on.
	 */
	async recover(): Promise<number> {
		const events = this.#options.events;
		return recoverBoards(
			this.#options.sql,
			this.#options.log,
			events
				? async (doc, boardId) => {
						const recorder = events.recorder(doc, boardId, () => null);
						await recorder.seed();
						return recorder;
					}
				: undefined
		);
	}

	/**
	 * Runs an API change on a loaded document (the caller holds it open with a direct
	 * connection) and returns once it is durable and in the rows: the update the change made is
	 * committed to the log in the same transaction as the rows it touched. The snapshot is left
	 * to the debounced store, like a browser's edits. The log row's id is taken first, so the
	 * change's events name it and a replay of the row derives the same events. `events` (read
	 * after a change that was not refused) are held with the events it derives, so they commit
	 * with its log row.
	 */
	async change(
		document: Document,
		actorId: string,
		change: (doc: Y.Doc) => void,
		events?: () => readonly AuditEvent[]
	): Promise<void> {
		const state = this.#docs.get(document.name);
		if (!state) throw new Error(`Board document ${document.name} is not loaded`);
		const id = this.#options.wal ? await this.#updateIds.take() : null;
		const createdAt = new Date();
		const wal = id === null ? undefined : { id, actorId, createdAt: createdAt.getTime() };
		const origin = { source: 'local', context: { actorId, wal } } as const;
		const updates: Uint8Array[] = [];
		const capture = (update: Uint8Array, from: unknown) => {
			if (from === origin) updates.push(update);
		};
		// A board a listener left stuck earlier (a Redis update's, say) is mended first, or this
		// change's own observers (rows, events) would never run.
		if (stuck(document)) this.#recover(state);
		let refusal: { error: unknown } | null = null;
		let transaction = null as Y.Transaction | null;
		let changeError: { error: unknown } | null = null;
		document.on('update', capture);
		try {
			document.transact((tr) => {
				transaction = tr;
				try {
					change(document);
				} catch (error) {
					changeError = { error };
					throw error;
				}
			}, origin);
		} catch (error) {
			// The change's own error refuses it (even when a listener threw after it), and so does
			// a failure before it ran; a listener's after it ran (see listener-fault.ts) is ours:
			// the change is in the document, and is committed and answered as written.
			if (changeError || !transaction) refusal = changeError ?? { error };
			else
				this.#options.log.error(
					{ err: error, boardId: state.boardId },
					'an update listener failed'
				);
		} finally {
			document.off('update', capture);
		}
		const missed = transaction && updates.length === 0 ? missedUpdate(transaction, document) : null;
		if (missed) updates.push(missed);
		if (missed || stuck(document)) this.#recover(state);
		if (!refusal && events) state.recorder?.hold(events());
		// Also after a refusal (whatever it wrote before refusing must be logged too).
		if (id !== null && updates.length > 0) {
			const update = updates.length === 1 ? updates[0]! : Y.mergeUpdates(updates);
			state.rows.log({ id, boardId: state.boardId, update, actorId, createdAt });
		}
		// The change may build on browser edits still being logged: it is answered only once they
		// are durable too (the sync below also commits any that failed, and their events).
		await state.lastAppend;
		try {
			// A refused write syncs too: its answer (a 412) names the task's current version.
			await state.rows.sync();
		} catch (error) {
			// A refusal is still the answer; the rows are retried on their own.
			if (!refusal) throw error;
		}
		if (refusal) throw refusal.error;
	}

	/**
	 * Brings the rows of matching boards loaded on this instance up to date with their
	 * documents; costs nothing when they already are (or nothing matches). A board's failed
	 * write rejects, except with `all`: one board's rows must not fail a read of the others.
	 */
	async syncRows(target: RowTarget): Promise<void> {
		if ('all' in target) return this.#rowBatcher.flush();
		const syncs: Promise<void>[] = [];
		for (const state of this.#docs.values()) {
			const matches =
				'boardId' in target
					? state.boardId === target.boardId
					: tasksMap(state.doc).has(target.taskId);
			if (matches) syncs.push(state.rows.sync());
		}
		await Promise.all(syncs);
	}

	/**
	 * Gives an incoming update its log id before Hocuspocus applies it (and broadcasts it: others
	 * see an edit without waiting for the database), so the events it derives name the row, and
	 * carry the time, that a replay of the row derives them with. Logged once applied
	 * (`#finish`); Hocuspocus's acknowledgement waits for the commit (`#acknowledgeable`).
	 */
	async beforeSync({
		type,
		payload,
		connection,
		document,
		context
	}: beforeSyncPayload<CollabContext>) {
		if (!this.#options.wal) return;
		if (type !== syncStep2 && type !== syncUpdate) return;
		if (this.#refused.has(connection)) throw new RefusedUpdate('an earlier update did not apply');
		const state = this.#docs.get(document.name);
		// Never acknowledge what was not logged.
		if (!state || state.doc !== document) {
			throw new Error(`Board document ${document.name} is not loaded`);
		}
		// Stuck by an earlier listener fault (one outside any message of ours): mended before this
		// message applies, or its observers (rows, events) and its update would never run.
		if (stuck(document)) this.#recover(state);
		if (!this.#gated.has(connection)) {
			this.#gated.add(connection);
			gateAcknowledgements(connection, () => this.#acknowledgeable(state, connection));
		}
		// A read-only client changes nothing (Hocuspocus does not apply what it sends).
		if (connection.readOnly) return;
		if (payload.byteLength <= emptyUpdateBytes || this.#holdsAlready(document, type, payload)) {
			this.#unchanged += 1;
			return;
		}
		let id: number;
		try {
			id = await this.#updateIds.take();
		} catch (error) {
			this.#unavailable(state, connection, error);
			throw error;
		}
		// A message Hocuspocus never answered (its hooks cut short) is ended first.
		this.#finish(connection, false)?.append?.catch(() => {});
		// Counted from now, so the board's held events do not commit before this message's row.
		state.appending += 1;
		this.#inFlight.set(connection, {
			state,
			row: { id, at: Date.now() },
			payload,
			actorId: context.user?.id ?? null,
			pending: null,
			integrated: [],
			transactions: [],
			seen: new Set()
		});
	}

	/**
	 * Whether the board holds all of a message already. A (re)connecting client's step 2
	 * repeats what the server has (its delete set at least), and a tab that reloads a stored
	 * document sends it all again as an update: checked before anything else, so a reconnect
	 * storm takes no log ids (thousands of them, a database round trip per 256) and puts no
	 * message in flight. Live edits (small updates) are new by construction and skip the check.
	 */
	#holdsAlready(doc: Y.Doc, type: number, payload: Uint8Array): boolean {
		if (type !== syncStep2 && payload.byteLength <= liveUpdateBytes) return false;
		const found = lacking(doc, payload);
		return found !== null && holdsAll(found);
	}

	/**
	 * The document's `beforeTransaction` event: a connection's message in flight reads the
	 * store's waiting parts as its apply begins (other messages may apply between `beforeSync`
	 * and then).
	 */
	#applying(state: DocState, transaction: Y.Transaction): void {
		const connection = connectionOf(transaction.origin);
		if (!connection) return;
		const message = this.#inFlight.get(connection);
		if (message?.state !== state) return;
		message.pending ??= pendingParts(state.doc);
		message.transactions.push(transaction);
	}

	/** The document's `update` event: collects what a connection's message in flight integrated. */
	#integrated(
		state: DocState,
		update: Uint8Array,
		origin: unknown,
		transaction: Y.Transaction
	): void {
		const connection = connectionOf(origin);
		if (!connection || !this.#options.wal) return;
		const message = this.#inFlight.get(connection);
		if (message?.state === state) {
			message.integrated.push(update);
			message.seen.add(transaction);
		}
		// Every connection's update is given an id first (`beforeSync`); a change without one
		// would be a change nobody logs.
		else
			this.#options.log.error({ boardId: state.boardId }, 'a connection changed a board unlogged');
	}

	/**
	 * Ends a message in flight: appends what it changed (`messageChange`), or counts it as
	 * unchanged. `answered`: Hocuspocus applied it and is acknowledging it.
	 */
	#finish(connection: object, answered: boolean): Finished | null {
		const message = this.#inFlight.get(connection);
		if (!message) return null;
		this.#inFlight.delete(connection);
		const { state } = message;
		try {
			const { update, close } = messageChange(message, answered, state.board);
			if (!update && !close) this.#unchanged += 1;
			return { append: update ? this.#append(message, update) : null, close };
		} finally {
			// After its append is counted, so the count does not touch zero in between.
			state.appending -= 1;
		}
	}

	/**
	 * After an `update` listener threw: lets the document clean up transactions again, and
	 * closes every connection of the board with 1011, as none got the update the failed
	 * listener was to broadcast; a reconnect resyncs them with the document, which holds it.
	 * Transactions queued behind the failed one never ran their observers: the rows are
	 * compared whole at the next write, and their audit events are lost (logged as such).
	 */
	#recover(state: DocState): void {
		if (stuck(state.doc)) {
			const dropped = unstick(state.doc);
			if (dropped > 1) {
				this.#options.log.error(
					{ boardId: state.boardId, transactions: dropped - 1 },
					'transactions after a failed update listener were not cleaned up; their events are lost'
				);
			}
			state.rows.markAll();
		}
		for (const connection of state.doc.getConnections()) {
			connection.webSocket.close(serverError.code, serverError.reason);
		}
	}

	/** Appends a message's update to the log; the promise rejects when it could not be. */
	#append(message: InFlight, update: Uint8Array): Promise<void> {
		const { state, row, actorId } = message;
		const entry = {
			id: row.id,
			boardId: state.boardId,
			update,
			actorId,
			createdAt: new Date(row.at)
		};
		const append = this.wal.append(entry).then(
			() => void state.applied.push(row.id),
			(error: unknown) => {
				// Applied, so it must not be lost: the row sync commits it with its next write (and
				// `applied` learns it from there), and the board cannot leave memory before it has.
				state.rows.log(entry);
				throw error;
			}
		);
		state.appending += 1;
		const settled = () => void (state.appending -= 1);
		state.lastAppend = append.then(settled, settled);
		this.#options.activity?.seen(actorId);
		return append;
	}

	/**
	 * Whether Hocuspocus may send the acknowledgement it is sending now: once the message's own
	 * append and every earlier one have committed (a resyncing client is acknowledged for what
	 * the document holds; an edit may build on another client's). Appends settle in order, so
	 * waiting for the newest is enough. False, with the socket closed, when they cannot be, or
	 * when the message did not apply.
	 */
	async #acknowledgeable(state: DocState, connection: Connection): Promise<boolean> {
		let finished: Finished | null;
		try {
			finished = this.#finish(connection, true);
		} catch (error) {
			finished = { append: null, close: serverError };
			this.#options.log.error({ err: error, boardId: state.boardId }, 'ending a message failed');
		}
		if (finished?.close) {
			// What did integrate is logged (or queued in the row sync); nobody waits for it.
			finished.append?.catch(() => {});
			const { code, reason, detail } = finished.close;
			this.#options.log.warn(
				{ boardId: state.boardId, userId: connection.context.user?.id, reason: detail },
				'refused a board update'
			);
			// Its queued messages are refused too (a server error only closes: they are resent).
			if (code === refusedUpdateCode) this.#refused.add(connection);
			connection.webSocket.close(code, reason);
			return false;
		}
		try {
			await (finished?.append ?? state.lastAppend);
			// Appends that failed are committed by the row sync (their senders were not answered).
			if (state.rows.unlogged > 0) await state.rows.sync();
			return true;
		} catch (error) {
			this.#unavailable(state, connection, error);
			return false;
		}
	}

	/**
	 * The log cannot be written (after the writer's retries). Hocuspocus would only close the
	 * document connection, and the provider would then wait on an open socket until its idle
	 * timeout (~30 s); closing the socket makes it reconnect and resync now.
	 */
	#unavailable(state: DocState, connection: Connection, error: unknown): void {
		this.#options.log.warn({ err: error, boardId: state.boardId }, 'write-ahead log unavailable');
		connection.webSocket.close(storageUnavailable.code, storageUnavailable.reason);
	}

	/**
	 * The log row of the message `connection` is applying right now (between `beforeSync` and
	 * its acknowledgement), or null when it was not given one.
	 */
	walOf(connection: unknown): LogRowRef | null {
		return this.#inFlight.get(connection as object)?.row ?? null;
	}

	/** A message Hocuspocus did not answer (a hook after this one refused it). */
	async afterHandleMessage({ connection }: afterHandleMessagePayload): Promise<void> {
		this.#finish(connection, false)?.append?.catch(() => {
			// Not acknowledged, so nobody waits for it; the row sync commits it.
		});
	}

	async onStoreDocument({ documentName, document }: onStoreDocumentPayload): Promise<void> {
		const state = this.#docs.get(documentName);
		if (!state) return;
		// Rows first, touched cards only; a failure there must not stop the log's compaction
		// (row sync retries on its own).
		await state.rows.sync().catch((error: unknown) => {
			this.#options.log.error({ err: error, documentName }, 'syncing board rows failed');
		});
		const coveredIds = [...state.applied];
		const timed = this.#options.metrics?.storeSeconds;
		for (let attempt = 1; ; attempt++) {
			const started = performance.now();
			const took = () => (performance.now() - started) / 1000;
			try {
				const stored = await persistBoard(this.#options.sql, {
					boardId: state.boardId,
					doc: document,
					coveredIds,
					revision: state.revision,
					companion: state.recorder ?? undefined
				});
				timed?.observe({ outcome: 'ok' }, took());
				state.revision = stored.revision;
				if (stored.folded) state.rows.markAll();
				break;
			} catch (error) {
				timed?.observe({ outcome: 'error' }, took());
				// One log line per failure streak, not one per retry.
				if (this.#failureStreak++ === 0) {
					this.#options.log.error({ err: error, documentName }, 'storing a board failed; retrying');
				}
				if (attempt >= this.#options.maxStoreAttempts) throw error;
				await new Promise((r) => setTimeout(r, Math.min(100 * 2 ** attempt, 5000)));
			}
		}
		if (this.#failureStreak > 0) {
			this.#options.log.info({ documentName, failures: this.#failureStreak }, 'storing recovered');
			this.#failureStreak = 0;
		}
		const covered = new Set(coveredIds);
		state.applied = state.applied.filter((id) => !covered.has(id));
	}

	/**
	 * Every applied update must be in the log, and the rows and held events committed, before
	 * the document leaves memory; throwing keeps it loaded (it is tried again later).
	 */
	async beforeUnloadDocument({ documentName }: beforeUnloadDocumentPayload): Promise<void> {
		const state = this.#docs.get(documentName);
		if (state) {
			await state.lastAppend;
			if (state.rows.dirty || state.rows.busy) await state.rows.sync();
		}
		await this.#options.events?.flush(documentName);
	}

	async afterUnloadDocument({ documentName }: afterUnloadDocumentPayload): Promise<void> {
		const state = this.#docs.get(documentName);
		// A document loaded again under the same name meanwhile has a state of its own.
		if (!state || !state.doc.isDestroyed) return;
		this.#forget(state);
		this.#docs.delete(documentName);
	}

	#forget(state: DocState): void {
		state.doc.off('beforeTransaction', state.onTransaction);
		state.doc.off('update', state.onUpdate);
		state.rows.dispose();
		this.#rowBatcher.forget(state.rows);
		this.#options.events?.close(state.doc.name, state.recorder ?? undefined);
	}

	/** Updates received that added nothing, so were not logged (resyncs, mostly). */
	get unchangedUpdates(): number {
		return this.#unchanged;
	}

	/** Background row writes so far (see `RowSyncBatcher`). */
	get rowStats(): Readonly<RowSyncStats> {
		return this.#rowBatcher.stats;
	}

	/** Ends background row writes (after the documents' last stores). */
	async close(): Promise<void> {
		await this.#rowBatcher.close();
	}
}
