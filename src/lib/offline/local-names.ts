/**
 * Names of what the browser keeps between visits, shared by the pages, the logout and the
 * service worker. Board databases carry the user's id: another account signing in on the same
 * browser opens databases of its own and never reads these, even if a logout failed to clear.
 */

const boardDatabasePrefix = 'taskflow-board';

/** The IndexedDB database holding one user's copy of one board's document. */
export function boardDatabaseName(userId: string, boardId: string): string {
	return `${boardDatabasePrefix}:${userId}:${boardId}`;
}

/** Whether an IndexedDB database is one of this user's board copies. */
export function isUserDatabase(name: string, userId: string): boolean {
	return name.startsWith(`${boardDatabasePrefix}:${userId}:`);
}

/** Prefix of the service worker's cache of rendered board pages (they hold the user's data). */
export const pageCachePrefix = 'taskflow-pages-';

/** Prefix of the service worker's cache of the app's built files (the same for everyone). */
export const assetCachePrefix = 'taskflow-assets-';
