import { boardDatabaseName, isUserDatabase, pageCachePrefix } from './local-names.ts';

/** A database another tab keeps open could block its deletion; logout must not hang on it. */
const deleteWait = 3000;

function deleteDatabase(name: string): Promise<void> {
	return new Promise((resolve) => {
		const request = indexedDB.deleteDatabase(name);
		// Open copies close themselves when asked (lib0 closes on `versionchange`), so "blocked"
		// is passing; an error leaves a database that only this user's id can name anyway.
		request.onsuccess = request.onerror = () => resolve();
		setTimeout(resolve, deleteWait);
	});
}

/**
 * Removes what the browser kept for `userId`: the board copies in IndexedDB and the service
 * worker's rendered pages. Runs before the logout request, while the page still knows who it
 * is. Never throws: a browser without these stores has nothing to clear.
 */
export async function clearLocalData(userId: string): Promise<void> {
	const work: Promise<unknown>[] = [];
	if (typeof indexedDB !== 'undefined' && 'databases' in indexedDB) {
		const databases = await indexedDB.databases().catch(() => []);
		for (const { name } of databases) {
			if (name && isUserDatabase(name, userId)) work.push(deleteDatabase(name));
		}
	}
	if (typeof caches !== 'undefined') {
		const names = await caches.keys().catch(() => []);
		for (const name of names) {
			if (name.startsWith(pageCachePrefix)) work.push(caches.delete(name).catch(() => false));
		}
	}
	await Promise.all(work);
}

/** Removes one board's copy (its document and its record of unsaved changes). Never throws. */
export async function clearBoardCopy(userId: string, boardId: string): Promise<void> {
	if (typeof indexedDB !== 'undefined') await deleteDatabase(boardDatabaseName(userId, boardId));
}
