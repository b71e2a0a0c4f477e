import type {
	afterHandleMessagePayload,
	afterUnloadDocumentPayload,
	beforeSyncPayload,
	Extension,
	onLoadDocumentPayload,
	onStoreDocumentPayload
} from '@hocuspocus/server';
import type { Sql } from '#lib/server/db/client.ts';
import type { Logger } from '#lib/server/log.ts';
import { parseBoardDocumentName } from '../collab-names.ts';
import { loadBoardDoc, persistBoard, type SnapshotCompanion } from '../persistence/board-store.ts';
import { WalWriter } from '../persistence/wal-writer.ts';
import type { CollabContext } from './Authorization.ts';

export interface PersistenceOptions {
	sql: Sql;
	log: Logger;
	/**
	 * Append every update to the write-ahead log before applying it (default true). Off only
	 * to measure what the log costs: then edits acknowledged in the last store window can be
	 * lost to a crash.
	 */
	wal?: boolean;
	/** Store attempts before giving up on one store (the log still holds every update). */
	maxStoreAttempts?: number;
	/** Writes that must commit with a document's snapshot (its audit events), if any. */
	companion?: (documentName: string) => SnapshotCompanion | undefined;
}

interface DocState {
	boardId: string;
	/** Log rows whose updates are in the in-memory document. */
	applied: number[];
}

const syncStep2 = 1;
const syncUpdate = 2;
/** An update that changes nothing encodes as two zero bytes. */
const emptyUpdateBytes = 2;

/**
 * Loads boards from snapshot + log, logs updates before they are applied, and stores
 * snapshots, log compaction and the normalized rows together.
 */
export class Persistence implements Extension {
	extensionName = 'Persistence';
	readonly wal: WalWriter;
	readonly #options: Required<PersistenceOptions>;
	readonly #docs = new Map<string, DocState>();
	readonly #pending = new WeakMap<object, number[]>();
	#failureStreak = 0;

	constructor(options: PersistenceOptions) {
		this.#options = { wal: true, maxStoreAttempts: 8, companion: () => undefined, ...options };
		this.wal = new WalWriter(options.sql);
	}

	async onLoadDocument({ documentName, document }: onLoadDocumentPayload): Promise<void> {
		const boardId = parseBoardDocumentName(documentName);
		if (!boardId) throw new Error(`Not a board document: ${documentName}`);
		// A failure here must fail the connection, never leave an empty document that a later
		// store would write over the real one.
		const { exists, loadedIds } = await loadBoardDoc(
			this.#options.sql,
			boardId,
			document,
			this.#options.log
		);
		// Boards get their document when created; a missing one means no such board.
		if (!exists) throw new Error(`No document for board ${boardId}`);
		this.#docs.set(documentName, { boardId, applied: loadedIds });
	}

	async beforeSync({
		type,
		payload,
		connection,
		documentName,
		context
	}: beforeSyncPayload<CollabContext>) {
		if (!this.#options.wal || connection.readOnly) return;
		if ((type !== syncStep2 && type !== syncUpdate) || payload.byteLength <= emptyUpdateBytes)
			return;
		const state = this.#docs.get(documentName);
		if (!state) return;
		const id = await this.wal.append({
			boardId: state.boardId,
			update: payload,
			actorId: context.user?.id ?? null
		});
		const ids = this.#pending.get(connection) ?? [];
		ids.push(id);
		this.#pending.set(connection, ids);
	}

	/**
	 * The log row of the message `connection` is applying right now (between `beforeSync` and
	 * `afterHandleMessage`), or null when it was not logged.
	 */
	walIdOf(connection: unknown): number | null {
		return this.#pending.get(connection as object)?.at(-1) ?? null;
	}

	async afterHandleMessage({ connection, documentName }: afterHandleMessagePayload): Promise<void> {
		const ids = this.#pending.get(connection);
		if (!ids) return;
		this.#pending.delete(connection);
		this.#docs.get(documentName)?.applied.push(...ids);
	}

	async onStoreDocument({ documentName, document }: onStoreDocumentPayload): Promise<void> {
		const state = this.#docs.get(documentName);
		if (!state) return;
		const coveredIds = [...state.applied];
		for (let attempt = 1; ; attempt++) {
			try {
				await persistBoard(this.#options.sql, {
					boardId: state.boardId,
					doc: document,
					coveredIds,
					companion: this.#options.companion(documentName)
				});
				break;
			} catch (error) {
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

	async afterUnloadDocument({ documentName }: afterUnloadDocumentPayload): Promise<void> {
		this.#docs.delete(documentName);
	}
}
