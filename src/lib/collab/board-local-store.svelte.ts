import type { HocuspocusProvider } from '@hocuspocus/provider';
import { createSubscriber } from 'svelte/reactivity';
import type * as Y from 'yjs';
import { touchedEntries } from '../domain/board/index.ts';
import { openIndexedDbCopy, type CopySeed, type LocalCopy } from '../offline/indexeddb-copy.ts';
import { clearBoardCopy } from '../offline/clear-local-data.ts';
import { boardDatabaseName } from '../offline/local-names.ts';

export interface BoardLocalStoreOptions {
	doc: Y.Doc;
	userId: string;
	boardId: string;
	/** False during server rendering and where IndexedDB is missing: track changes in memory. */
	persist: boolean;
	/** Opens the local copy; IndexedDB unless given (specs, where Node has no IndexedDB). */
	open?: OpenLocalCopy;
	/** Deletes the local copy for good (`discard`); the IndexedDB database unless given. */
	clearCopy?: () => Promise<void>;
}

/**
 * Opens the copy named `name` into `doc`; null where there is no local storage. `pendingKey` is
 * the custom entry whose presence says the copy holds unacknowledged edits; `seed` is the
 * document as the page downloaded it, when it did.
 */
export type OpenLocalCopy = (
	name: string,
	doc: Y.Doc,
	options: { pendingKey: string; seed: CopySeed | null }
) => LocalCopy | null;

const openIndexedDb: OpenLocalCopy = (name, doc, options) =>
	typeof indexedDB === 'undefined' ? null : openIndexedDbCopy(name, doc, options);

/** The custom-store key under which the not yet acknowledged entries survive a reload. */
const pendingKey = 'pending';

interface PendingRecord {
	cards: string[];
	columns: string[];
}

/** The stored record, or an empty one when there is none or it does not parse. */
function readRecord(stored: unknown): PendingRecord {
	const empty: PendingRecord = { cards: [], columns: [] };
	if (typeof stored !== 'string') return empty;
	try {
		const record = JSON.parse(stored) as Partial<PendingRecord> | null;
		const ids = (list: unknown) =>
			Array.isArray(list) ? list.filter((id): id is string => typeof id === 'string') : [];
		return { cards: ids(record?.cards), columns: ids(record?.columns) };
	} catch {
		return empty;
	}
}

/**
 * One board's document kept in the browser (IndexedDB, one database per user and board), and
 * the cards and columns changed here that the server has not acknowledged yet. Everything the
 * document holds, edits made offline included, is written locally as it happens, so a reload
 * or a closed tab keeps it; the provider's state-vector sync sends it when the socket is back.
 *
 * The count is of entries, not updates: typing forty characters into one card is one change.
 * It is cleared when the provider has synced and has nothing unacknowledged left, and also when
 * the copy opens after that: a record left by a page that closed between the server's
 * acknowledgement and the record's removal names edits the server has, and the copy brings
 * nothing the provider must send. Entries changed before the copy opened join its record then.
 */
export class BoardLocalStore {
	readonly #doc: Y.Doc;
	readonly #options: BoardLocalStoreOptions;
	#copy: LocalCopy | null = null;
	#provider: HocuspocusProvider | null = null;
	#destroyed = false;
	/** Whether the database opened: local changes then outlive the page. */
	#kept = false;
	/**
	 * Whether the stored record has been read into the sets. Until then the record is neither
	 * written (that would drop the entries it holds) nor removed (its edits may still be on
	 * their way from the copy into the document).
	 */
	#recordRead = false;
	// Plain: read through the getters, which subscribe.
	// eslint-disable-next-line svelte/prefer-svelte-reactivity
	readonly #cards = new Set<string>();
	// eslint-disable-next-line svelte/prefer-svelte-reactivity
	readonly #columns = new Set<string>();
	// eslint-disable-next-line svelte/prefer-svelte-reactivity
	readonly #listeners = new Set<() => void>();
	readonly #subscribe: () => void;
	#loaded: Promise<boolean> | null = null;
	#seed: CopySeed | null = null;

	constructor(options: BoardLocalStoreOptions) {
		this.#doc = options.doc;
		this.#subscribe = createSubscriber((update) => {
			this.#listeners.add(update);
			return () => this.#listeners.delete(update);
		});
		this.#options = options;
		options.doc.on('afterTransaction', this.#onTransaction);
		if (typeof window !== 'undefined') window.addEventListener('beforeunload', this.#onUnload);
	}

	async #load(): Promise<boolean> {
		const { persist, userId, boardId, open = openIndexedDb } = this.#options;
		if (!persist || this.#destroyed) return false;
		const copy = open(boardDatabaseName(userId, boardId), this.#doc, {
			pendingKey,
			seed: this.#seed
		});
		if (!copy) return false;
		this.#copy = copy;
		try {
			await copy.opened;
		} catch {
			return false;
		}
		this.#kept = true;
		const record = readRecord(await copy.get(pendingKey).catch(() => undefined));
		for (const id of record.cards) this.#cards.add(id);
		for (const id of record.columns) this.#columns.add(id);
		this.#recordRead = true;
		// Changed on this page before the copy opened: only memory knew of them so far.
		if (this.#cards.size + this.#columns.size > record.cards.length + record.columns.length) {
			this.#save();
		}
		// The copy's own edits are in the document now; any the server lacked went out as
		// updates, which the provider counts until acknowledged. Nothing outstanding on a synced
		// provider means the server has every entry the record names.
		this.#settle();
		this.#announce();
		// Any board at all: the copy of a board opened here before, possibly with offline edits.
		return this.#doc.store.clients.size > 0;
	}

	/**
	 * The document as the page downloaded it (`update`) and its state vector right after: when
	 * the copy holds nothing newer, it is replaced by these bytes instead of an encoding of the
	 * whole document. Before `load`.
	 */
	seed(update: Uint8Array, stateVector: Uint8Array): void {
		this.#seed = { update, stateVector };
	}

	/**
	 * Opens the local copy (once) and resolves when it is in the document: true when it held a
	 * board, false when there was none or IndexedDB is unavailable. From then on every change of
	 * the document is written to it; changes made before are in the state it writes on opening.
	 */
	load(): Promise<boolean> {
		return (this.#loaded ??= this.#load());
	}

	/** Follows the provider's acknowledgements: once all is synced, nothing is pending. */
	attach(provider: HocuspocusProvider): void {
		this.#provider = provider;
		const settle = () => this.#settle();
		provider.on('unsyncedChanges', settle);
		provider.on('synced', settle);
	}

	#settle(): void {
		const provider = this.#provider;
		if (provider && provider.isSynced && !provider.hasUnsyncedChanges) this.#clear();
	}

	readonly #onTransaction = (transaction: Y.Transaction) => {
		// Applied updates (the server's, the local copy being read, the fetched document) are
		// not local transactions; edits made on this page are.
		if (!transaction.local) return;
		const touched = touchedEntries(this.#doc, transaction.changed);
		const before = this.#cards.size + this.#columns.size;
		for (const id of touched.cards) this.#cards.add(id);
		for (const id of touched.columns) this.#columns.add(id);
		if (this.#cards.size + this.#columns.size === before) return;
		this.#save();
		this.#announce();
	};

	/**
	 * Only when the set grows (a new entry), so typing does not write on every keystroke. Before
	 * the record is read this is left to the load, which writes the union.
	 */
	#save(): void {
		if (!this.#recordRead) return;
		const record: PendingRecord = { cards: [...this.#cards], columns: [...this.#columns] };
		void this.#copy?.set(pendingKey, JSON.stringify(record)).catch(() => {});
	}

	#clear(): void {
		if (this.#cards.size + this.#columns.size === 0) return;
		this.#cards.clear();
		this.#columns.clear();
		if (this.#recordRead) void this.#copy?.del(pendingKey).catch(() => {});
		this.#announce();
	}

	#announce(): void {
		for (const listener of this.#listeners) listener();
	}

	/** Changes that live only in this page's memory would be lost: ask before leaving. */
	readonly #onUnload = (event: BeforeUnloadEvent) => {
		if (!this.#kept && this.pending > 0) event.preventDefault();
	};

	/** Cards changed here and not yet acknowledged by the server. */
	get pendingCards(): number {
		this.#subscribe();
		return this.#cards.size;
	}

	/** Columns changed here and not yet acknowledged by the server. */
	get pendingColumns(): number {
		this.#subscribe();
		return this.#columns.size;
	}

	get pending(): number {
		return this.pendingCards + this.pendingColumns;
	}

	/** Whether unsynced changes survive a reload (the local database is open). */
	get kept(): boolean {
		this.#subscribe();
		return this.#kept;
	}

	/**
	 * Gives up the changes the server will not take (the connection became read-only, or was
	 * refused, with edits unsaved): they stop being counted and the local copy is deleted, so the
	 * reload that follows shows the board as the server has it. Without this they stayed "saving…"
	 * for good, on this device only, and went out unasked if the rights ever came back.
	 */
	async discard(): Promise<void> {
		this.#cards.clear();
		this.#columns.clear();
		this.#announce();
		this.destroy();
		const { clearCopy, persist, userId, boardId } = this.#options;
		if (clearCopy) await clearCopy();
		else if (persist) await clearBoardCopy(userId, boardId);
	}

	destroy(): void {
		this.#destroyed = true;
		this.#doc.off('afterTransaction', this.#onTransaction);
		if (typeof window !== 'undefined') window.removeEventListener('beforeunload', this.#onUnload);
		// Closes the database; the data stays for the next visit.
		void this.#copy?.destroy().catch(() => {});
	}
}
