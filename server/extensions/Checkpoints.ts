import type {
	afterStoreDocumentPayload,
	afterUnloadDocumentPayload,
	beforeUnloadDocumentPayload,
	Extension
} from '@hocuspocus/server';
import * as Y from 'yjs';
import {
	lastCheckpointAt,
	pruneCheckpoints,
	saveCheckpoint,
	stateOf,
	type VersionState
} from '#lib/server/board-versions.ts';
import type { Sql } from '#lib/server/db/client.ts';
import type { Logger } from '#lib/server/log.ts';
import { parseBoardDocumentName } from '../collab-names.ts';
import { sameBytes } from '../same-bytes.ts';

export interface CheckpointsOptions {
	sql: Sql;
	log: Logger;
	/** At most one automatic checkpoint per board this often (ms). */
	intervalMs: number;
	/** Automatic checkpoints older than this (days), or beyond this many, are pruned when a board takes a new one. */
	retentionDays: number;
	maxCheckpoints: number;
}

interface Board {
	boardId: string;
	/** When its newest checkpoint was taken (ms), 0 for none. */
	at: number;
	/** The document's state vector then: an unchanged board takes no new checkpoint. */
	stateVector: Uint8Array | null;
	/** A checkpoint held back until the interval has passed, and how to read its state then. */
	deferred: { timer: NodeJS.Timeout; read: () => VersionState } | null;
	/** Unloaded while a checkpoint was deferred: forgotten once it is taken. */
	unloaded: boolean;
}

/**
 * Version history's automatic checkpoints. A store runs once a burst of editing settles (the
 * debounce), so a checkpoint taken after a store is the board after a burst. At most one per
 * interval per board: a burst that settles sooner is checkpointed when the interval has passed
 * (with the state it has then, or the state it had when it was unloaded), and an unchanged board
 * takes none. The time kept here only spares queries: the rule is decided in the database
 * (`saveCheckpoint`), so instances sharing a board (Redis scale-out) take one per interval
 * between them; an instance refused because another took one comes back when the interval has
 * passed, in case its copy has changed since. At most one query per store (the newest
 * checkpoint's time is read once per load), besides one read of the newest checkpoint's state
 * by the first take after a load (see `#take`).
 */
export class Checkpoints implements Extension {
	extensionName = 'Checkpoints';
	readonly #options: CheckpointsOptions;
	readonly #boards = new Map<string, Board>();

	constructor(options: CheckpointsOptions) {
		this.#options = options;
	}

	async afterStoreDocument({ documentName, document }: afterStoreDocumentPayload): Promise<void> {
		const boardId = parseBoardDocumentName(documentName);
		if (!boardId) return;
		let board = this.#boards.get(documentName);
		if (!board) {
			try {
				const at = (await lastCheckpointAt(this.#options.sql, boardId))?.getTime() ?? 0;
				board = { boardId, at, stateVector: null, deferred: null, unloaded: false };
			} catch (error) {
				this.#options.log.warn({ err: error, boardId }, 'could not read the last checkpoint');
				return;
			}
			this.#boards.set(documentName, board);
		}
		board.unloaded = false;
		if (board.deferred) {
			// Loaded again since: the deferred checkpoint reads this copy.
			board.deferred.read = () => stateOf(document);
			return;
		}
		const wait = board.at + this.#options.intervalMs - Date.now();
		if (wait <= 0) return this.#take(documentName, board, () => stateOf(document));
		this.#defer(documentName, board, wait, () => stateOf(document));
	}

	/** Takes a checkpoint `wait` ms from now, reading the state then (see `beforeUnloadDocument`). */
	#defer(documentName: string, board: Board, wait: number, read: () => VersionState): void {
		const timer = setTimeout(() => {
			const deferred = board.deferred;
			board.deferred = null;
			void (async () => {
				// Still known while it is taken, so a refused one comes back with the state kept.
				if (deferred) await this.#take(documentName, board, deferred.read);
				if (board.unloaded && !board.deferred && this.#boards.get(documentName) === board) {
					this.#boards.delete(documentName);
				}
			})();
		}, wait);
		timer.unref();
		board.deferred = { timer, read };
	}

	/** An unloading board keeps its deferred checkpoint, with the state it has now. */
	async beforeUnloadDocument({ documentName, document }: beforeUnloadDocumentPayload) {
		const deferred = this.#boards.get(documentName)?.deferred;
		if (!deferred) return;
		const state = stateOf(document);
		deferred.read = () => state;
	}

	async afterUnloadDocument({ documentName }: afterUnloadDocumentPayload): Promise<void> {
		const board = this.#boards.get(documentName);
		if (!board) return;
		// Kept while a checkpoint is deferred (the timer forgets it once taken).
		if (board.deferred) board.unloaded = true;
		else this.#boards.delete(documentName);
	}

	async #take(documentName: string, board: Board, read: () => VersionState): Promise<void> {
		const { sql, log, intervalMs, retentionDays, maxCheckpoints } = this.#options;
		const version = read();
		const stateVector = Y.encodeStateVectorFromUpdate(version.state);
		if (sameBytes(board.stateVector, stateVector)) return;
		const previous = { at: board.at, stateVector: board.stateVector };
		// Known only by its newest checkpoint's time (read at load, or restored after a failed
		// take): what that checkpoint holds is compared in the database, or a board another
		// instance (or this one, before the board was unloaded) had just checkpointed would be
		// checkpointed again, unchanged, once the interval had passed.
		const sameAs =
			previous.stateVector === null
				? (state: Uint8Array) => sameBytes(Y.encodeStateVectorFromUpdate(state), stateVector)
				: undefined;
		board.at = Date.now();
		board.stateVector = stateVector;
		try {
			const outcome = await saveCheckpoint(sql, {
				boardId: board.boardId,
				intervalMs,
				...version,
				sameAs
			});
			if (outcome.saved) {
				// The interval runs from the time the history shows (the database's clock).
				board.at = outcome.saved.created_at.getTime();
				await pruneCheckpoints(sql, board.boardId, { days: retentionDays, keep: maxCheckpoints });
				return;
			}
			board.at = Date.now() + outcome.waitMs - intervalMs;
			// The newest checkpoint holds this state: nothing to come back for.
			if (outcome.unchanged) return;
			// Another instance took one within the interval: follow it, and try again when the
			// interval has passed (nothing is taken then if this copy still reads as that one).
			board.stateVector = Y.encodeStateVectorFromUpdate(outcome.newest.state);
			// Not for a board unloaded and forgotten meanwhile: `read` may hold its destroyed
			// document, which the timer would keep alive (its state was stored anyway).
			if (!board.deferred && this.#boards.get(documentName) === board) {
				this.#defer(documentName, board, Math.max(outcome.waitMs, 1), read);
			}
		} catch (error) {
			// History is a convenience (the board itself is stored): the next store tries again.
			Object.assign(board, previous);
			log.warn({ err: error, boardId: board.boardId }, 'could not take a board checkpoint');
		}
	}
}
