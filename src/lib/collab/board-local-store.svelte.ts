import type { HocuspocusProvider } from '@hocuspocus/provider';
import { IndexeddbPersistence } from 'y-indexeddb';
import { createSubscriber } from 'svelte/reactivity';
import type * as Y from 'yjs';
import { touchedEntries } from '../domain/board/index.ts';
import { boardDatabaseName } from '../offline/local-names.ts';

export interface BoardLocalStoreOptions {
	doc: Y.Doc;
	userId: string;
	boardId: string;
	/** False during server rendering and where IndexedDB is missing: track changes in memory. */
	persist: boolean;
}

/** The custom-store key under which the not yet acknowledged entries survive a reload. */
const pendingKey = 'pending';

interface PendingRecord {
	cards: string[];
	columns: string[];
}

/**
 * One board's document kept in the browser (y-indexeddb, one database per user and board), and
 * the cards and columns changed here that the server has not acknowledged yet. Everything the
 * document holds, edits made offline included, is written locally as it happens, so a reload
 * or a closed tab keeps it; the provider's state-vector sync sends it when the socket is back.
 *
 * The count is of entries, not updates: typing forty characters into one card is one change.
 * It is cleared when the provider has synced and has nothing unacknowledged left.
 */
export class BoardLocalStore {
	readonly #doc: Y.Doc;
	readonly #options: BoardLocalStoreOptions;
	#persistence: IndexeddbPersistence | null = null;
	#destroyed = false;
	/** Whether the database opened: local changes then outlive the page. */
	#kept = false;
	// Plain: read through the getters, which subscribe.
	// eslint-disable-next-line svelte/prefer-svelte-reactivity
	readonly #cards = new Set<string>();
	// eslint-disable-next-line svelte/prefer-svelte-reactivity
	readonly #columns = new Set<string>();
	// eslint-disable-next-line svelte/prefer-svelte-reactivity
	readonly #listeners = new Set<() => void>();
	readonly #subscribe: () => void;
	#loaded: Promise<boolean> | null = null;

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
		const { persist, userId, boardId } = this.#options;
		if (!persist || typeof indexedDB === 'undefined' || this.#destroyed) return false;
		const persistence = new IndexeddbPersistence(boardDatabaseName(userId, boardId), this.#doc);
		this.#persistence = persistence;
		try {
			// `whenSynced` never settles when the database cannot open (private modes, quota).
			await Promise.race([
				persistence.whenSynced,
				persistence._db.then(() => new Promise(() => {}))
			]);
		} catch {
			return false;
		}
		this.#kept = true;
		const stored = (await persistence.get(pendingKey).catch(() => undefined)) as unknown;
		if (typeof stored === 'string') {
			const record = JSON.parse(stored) as PendingRecord;
			for (const id of record.cards) this.#cards.add(id);
			for (const id of record.columns) this.#columns.add(id);
		}
		this.#announce();
		// Any board at all: the copy of a board opened here before, possibly with offline edits.
		return this.#doc.store.clients.size > 0;
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
		const settle = () => {
			if (provider.isSynced && !provider.hasUnsyncedChanges) this.#clear();
		};
		provider.on('unsyncedChanges', settle);
		provider.on('synced', settle);
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

	/** Only when the set grows (a new entry), so typing does not write on every keystroke. */
	#save(): void {
		const record: PendingRecord = { cards: [...this.#cards], columns: [...this.#columns] };
		void this.#persistence?.set(pendingKey, JSON.stringify(record)).catch(() => {});
	}

	#clear(): void {
		if (this.#cards.size + this.#columns.size === 0) return;
		this.#cards.clear();
		this.#columns.clear();
		void this.#persistence?.del(pendingKey).catch(() => {});
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

	destroy(): void {
		this.#destroyed = true;
		this.#doc.off('afterTransaction', this.#onTransaction);
		if (typeof window !== 'undefined') window.removeEventListener('beforeunload', this.#onUnload);
		// Closes the database; the data stays for the next visit.
		void this.#persistence?.destroy();
	}
}
