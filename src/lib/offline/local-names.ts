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

/**
 * Prefix of the service worker's caches of rendered board pages (they hold the user's data):
 * a logout deletes every cache whose name starts with it. Workers before the kept-page cache
 * below had one such cache per version.
 */
export const pageCachePrefix = 'taskflow-pages-';

/**
 * The cache of board pages kept for offline reloads. One name for every version of the worker,
 * so a new version (a deploy) finds the pages the old one kept; it drops or renews those that
 * name built files it does not hold (kept-pages.ts).
 */
export const keptPageCache = `${pageCachePrefix}kept`;

/** Prefix of the service worker's cache of the app's built files (the same for everyone). */
export const assetCachePrefix = 'taskflow-assets-';

/**
 * Who the browser's pages were last rendered for, kept where the service worker can read it:
 * `current` is the signed-in user ('' while signed out), `owner` the last user who signed in.
 * The worker serves kept pages to `current` only.
 */
export const userMarkerCache = 'taskflow-user';
export const currentUserKey = '/__taskflow/current-user';
export const ownerUserKey = '/__taskflow/owner-user';

/** The cache key of a kept board page: per user, so one account's copy is never another's. */
export function keptPageKey(path: string, userId: string): string {
	return `${path}?user=${encodeURIComponent(userId)}`;
}

/** The page path and user of a kept page's cache key (a URL); null for any other key. */
export function keptPageOwner(key: string): { path: string; userId: string } | null {
	let url: URL;
	try {
		url = new URL(key, 'http://local');
	} catch {
		return null;
	}
	const userId = url.searchParams.get('user');
	return userId ? { path: url.pathname, userId } : null;
}
