/**
 * A board's document kept in IndexedDB, in y-indexeddb's layout (an `updates` store of Yjs
 * updates and a `custom` key-value store), so copies written by either read the same.
 *
 * y-indexeddb itself, on every open, encodes the whole document and stores it, then applies
 * every stored update to the document: on a 5,000-card board that is a 2 MB encode and a 2 MB
 * (or, after a few visits, several times 2 MB) decode, 300–550 ms of main thread a few moments
 * after the board became editable. Here:
 * - the stored updates are applied only when they can hold something the document lacks: the
 *   document is empty (an offline load), or edits made here are not yet acknowledged (the
 *   caller's pending record, under `pendingKey`, is present);
 * - otherwise the copy is replaced by the bytes the page downloaded (`seed`, with the state
 *   they describe) and what changed since, which costs no encoding of the whole document;
 * - after that every update is appended, and only a copy of many updates is compacted.
 */
import * as Y from 'yjs';

const updatesStore = 'updates';
const customStore = 'custom';
/** Past this many stored updates the copy is rewritten as one (as y-indexeddb does). */
const compactAfter = 500;

/** The document as downloaded, and the state vector it had right after applying it. */
export interface CopySeed {
	update: Uint8Array;
	stateVector: Uint8Array;
}

/** What `BoardLocalStore` uses of a local copy (specs give it one kept in memory). */
export interface LocalCopy {
	/**
	 * Resolves once the stored document is in the doc (where it may hold news) and the copy
	 * follows the doc; rejects when the database cannot open.
	 */
	readonly opened: Promise<unknown>;
	get(key: string): Promise<unknown>;
	set(key: string, value: string): Promise<unknown>;
	del(key: string): Promise<unknown>;
	/** Closes it; the data stays for the next visit. */
	destroy(): Promise<unknown>;
}

function done<T>(request: IDBRequest<T>): Promise<T> {
	return new Promise((resolve, reject) => {
		request.onsuccess = () => resolve(request.result);
		request.onerror = () => reject(request.error);
	});
}

function committed(transaction: IDBTransaction): Promise<void> {
	return new Promise((resolve, reject) => {
		transaction.oncomplete = () => resolve();
		transaction.onerror = () => reject(transaction.error);
		transaction.onabort = () => reject(transaction.error);
	});
}

function openDatabase(name: string): Promise<IDBDatabase> {
	const request = indexedDB.open(name);
	request.onupgradeneeded = () => {
		const db = request.result;
		if (!db.objectStoreNames.contains(updatesStore)) {
			db.createObjectStore(updatesStore, { autoIncrement: true });
		}
		if (!db.objectStoreNames.contains(customStore)) db.createObjectStore(customStore);
	};
	return done(request);
}

/**
 * Opens the copy `name` into `doc`. `pendingKey` names the custom entry whose presence means
 * the copy holds edits the server has not acknowledged; `seed` is what the page downloaded.
 */
export function openIndexedDbCopy(
	name: string,
	doc: Y.Doc,
	options: { pendingKey: string; seed: CopySeed | null }
): LocalCopy {
	let db: IDBDatabase | null = null;
	let stored = 0;
	let destroyed = false;
	let compacting = false;
	const origin = { copy: name };

	const append = (update: Uint8Array, replaceAll = false) => {
		if (!db || destroyed) return;
		const transaction = db.transaction(updatesStore, 'readwrite');
		const store = transaction.objectStore(updatesStore);
		if (replaceAll) {
			store.clear();
			stored = 0;
		}
		store.add(update);
		stored += 1;
	};

	const compact = () => {
		if (compacting || destroyed) return;
		compacting = true;
		const run = () => {
			compacting = false;
			if (!destroyed && stored >= compactAfter) append(Y.encodeStateAsUpdate(doc), true);
		};
		// The whole document is encoded: wait until the page has nothing else to do.
		if ('requestIdleCallback' in globalThis) requestIdleCallback(run, { timeout: 10_000 });
		else setTimeout(run, 0);
	};

	const onUpdate = (update: Uint8Array, from: unknown) => {
		if (from === origin) return;
		append(update);
		if (stored >= compactAfter) compact();
	};

	const opened = (async () => {
		db = await openDatabase(name);
		if (destroyed) return;
		const read = db.transaction([updatesStore, customStore], 'readonly');
		const [updates, pending] = await Promise.all([
			done(read.objectStore(updatesStore).getAll() as IDBRequest<Uint8Array[]>),
			done(read.objectStore(customStore).get(options.pendingKey))
		]);
		if (destroyed) return;
		const holdsNews = doc.store.clients.size === 0 || pending !== undefined;
		if (holdsNews) {
			Y.transact(doc, () => updates.forEach((update) => Y.applyUpdate(doc, update)), origin, false);
			stored = updates.length;
		}
		// Written from here on: what the document has that the copy may not.
		doc.on('update', onUpdate);
		if (!holdsNews) {
			// The copy holds nothing the document lacks: it becomes what the page downloaded,
			// plus what changed since (a small update), without encoding the whole document.
			const seed = options.seed;
			if (seed) {
				append(seed.update, true);
				append(Y.encodeStateAsUpdate(doc, seed.stateVector));
			} else {
				// The document came from the live sync: nothing to reuse.
				append(Y.encodeStateAsUpdate(doc), true);
			}
		} else if (stored === 0) {
			append(Y.encodeStateAsUpdate(doc));
		} else if (stored >= compactAfter) {
			compact();
		}
	})();

	const custom = async (mode: IDBTransactionMode, act: (store: IDBObjectStore) => IDBRequest) => {
		await opened;
		if (!db) throw new Error('the local copy is not open');
		const transaction = db.transaction(customStore, mode);
		const result = done(act(transaction.objectStore(customStore)));
		await committed(transaction);
		return result;
	};

	return {
		opened,
		get: (key) => custom('readonly', (store) => store.get(key)),
		set: (key, value) => custom('readwrite', (store) => store.put(value, key)),
		del: (key) => custom('readwrite', (store) => store.delete(key)),
		async destroy() {
			destroyed = true;
			doc.off('update', onUpdate);
			await opened.catch(() => {});
			db?.close();
		}
	};
}
