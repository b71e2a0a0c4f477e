import { clearLocalData } from './clear-local-data.ts';
import { currentUserKey, ownerUserKey, userMarkerCache } from './local-names.ts';

async function read(cache: Cache, key: string): Promise<string> {
	return (await (await cache.match(key))?.text()) ?? '';
}

/**
 * Records who this page was rendered for (null: signed out), on every page load. When someone
 * else signs in than the last user (a session that expired or ended in another tab, so no
 * logout cleared), the last user's board copies and kept pages go first: the next account on
 * this browser must never open them. Never throws.
 */
export async function markUser(userId: string | null): Promise<void> {
	if (typeof caches === 'undefined') return;
	try {
		const cache = await caches.open(userMarkerCache);
		const next = userId ?? '';
		if ((await read(cache, currentUserKey)) !== next) {
			await cache.put(currentUserKey, new Response(next));
		}
		if (!next) return;
		const owner = await read(cache, ownerUserKey);
		if (owner === next) return;
		if (owner) await clearLocalData(owner);
		await cache.put(ownerUserKey, new Response(next));
	} catch {
		// Storage refused (private mode, quota): the worker then serves no kept page.
	}
}
