/// <reference types="@sveltejs/kit" />
/// <reference no-default-lib="true"/>
/// <reference lib="esnext" />
/// <reference lib="webworker" />
/**
 * The app shell offline: the built files cache-first (their names change with their content),
 * and board pages network-first with the last copy of each board's page as the fallback, so a
 * board opened before can be reloaded without a network; its document comes from IndexedDB
 * (board-local-store.svelte.ts). Every other request is left to the browser untouched.
 *
 * Kept pages outlive a new version of this worker (a deploy): they are in one cache for every
 * version, and a new version drops or renews those that name files of another build
 * ($lib/offline/kept-pages.ts).
 */
import { build, files, version } from '$service-worker';
import {
	assetCachePrefix,
	currentUserKey,
	keptPageCache,
	keptPageKey,
	keptPageOwner,
	userMarkerCache
} from '$lib/offline/local-names';
import {
	isBoardPagePath,
	isKeepPageMessage,
	isRenewKeptPagesMessage
} from '$lib/offline/keep-page-message';
import { keptPageFate, oldCaches, runsOnBuild } from '$lib/offline/kept-pages';

const worker = self as unknown as ServiceWorkerGlobalScope;
const assetCache = assetCachePrefix + version;
const assets = new Set([...build, ...files]);

worker.addEventListener('install', (event) => {
	event.waitUntil(
		caches
			.open(assetCache)
			.then((cache) => cache.addAll([...assets]))
			.then(() => worker.skipWaiting())
	);
});

worker.addEventListener('activate', (event) => {
	event.waitUntil(
		(async () => {
			const { stale, legacyPageCaches } = oldCaches(
				await caches.keys(),
				assetCache,
				assetCachePrefix
			);
			const kept = await caches.open(keptPageCache);
			// Pages kept per version by workers before the shared cache: moved, then sorted below.
			for (const name of legacyPageCaches) {
				const legacy = await caches.open(name);
				for (const key of await legacy.keys()) {
					const response = await legacy.match(key);
					if (response && !(await kept.match(key))) await kept.put(key, response);
				}
			}
			for (const name of stale) await caches.delete(name);
			await sortKeptPages(kept, false);
			// Pages open since before the worker (the first visit, or a deploy) are served by it
			// from now on; each asks it then to renew what it kept (see renewKeptPagesOnUpdate).
			await worker.clients.claim();
		})()
	);
});

/**
 * Keeps the kept pages that run on this build and drops those that cannot be renewed. With
 * `renew`, the signed-in user's pages of another build are fetched again (when that fails they
 * are dropped); without, they are left for a later renewal (the activation does not wait for
 * the network: navigations are held until it ends).
 */
async function sortKeptPages(kept: Cache, renew: boolean): Promise<void> {
	const user = await currentUser();
	for (const key of await kept.keys()) {
		const owner = keptPageOwner(key.url);
		const response = await kept.match(key);
		const runs = response ? await runsHere(response) : false;
		const fate = keptPageFate({ runs, owner: owner?.userId ?? null, currentUser: user });
		if (fate === 'drop') {
			await kept.delete(key);
		} else if (fate === 'renew' && renew && owner) {
			const renewed = await fetch(owner.path, { credentials: 'same-origin' })
				.then((fresh) => remember(owner.path, fresh))
				.catch(() => false);
			if (!renewed) await kept.delete(key);
		}
	}
}

/** Whether a kept page names only built files this worker holds. */
async function runsHere(response: Response): Promise<boolean> {
	return runsOnBuild(await response.clone().text(), assets);
}

worker.addEventListener('fetch', (event) => {
	const { request } = event;
	if (request.method !== 'GET') return;
	const url = new URL(request.url);
	if (url.origin !== worker.location.origin) return;
	if (assets.has(url.pathname)) {
		event.respondWith(cacheFirst(request));
	} else if (request.mode === 'navigate' && isBoardPagePath(url.pathname)) {
		event.respondWith(boardPage(event, url.pathname));
	}
});

// A board reached by client-side navigation never passed its HTML through here: the page asks.
// After a deploy, the pages this worker took over ask it to renew what an older build kept.
worker.addEventListener('message', (event) => {
	const message: unknown = event.data;
	if (isRenewKeptPagesMessage(message)) {
		event.waitUntil(
			caches
				.open(keptPageCache)
				.then((kept) => sortKeptPages(kept, true))
				.catch(() => {})
		);
		return;
	}
	if (!isKeepPageMessage(message)) return;
	event.waitUntil(
		fetch(message.path, { credentials: 'same-origin' })
			.then((response) => remember(message.path, response))
			.catch(() => {})
	);
});

async function cacheFirst(request: Request): Promise<Response> {
	const cached = await caches.match(request, { cacheName: assetCache });
	return cached ?? fetch(request);
}

/** Who the pages say is signed in ('' when signed out or unknown). */
async function currentUser(): Promise<string> {
	const marker = await caches.open(userMarkerCache);
	return (await (await marker.match(currentUserKey))?.text()) ?? '';
}

async function boardPage(event: FetchEvent, path: string): Promise<Response> {
	try {
		const response = await fetch(event.request);
		event.waitUntil(remember(path, response.clone()));
		return response;
	} catch (error) {
		// Offline: the page as last rendered for the signed-in user, with the headers it came
		// with. Its Content-Security-Policy names the nonce of its own inline script, so it runs.
		const user = await currentUser();
		if (!user) throw error;
		const cache = await caches.open(keptPageCache);
		const cached = await cache.match(keptPageKey(path, user), { ignoreVary: true });
		// A copy of another build would show without ever starting: the browser's error is
		// clearer than a board that looks live and ignores every click.
		if (cached && (await runsHere(cached))) return cached;
		throw error;
	}
}

/**
 * Keeps a signed-in rendering of a board page, under the user it was rendered for; forgets it
 * when the board is gone for this user. Nothing is kept while signed out. True when kept.
 */
async function remember(path: string, response: Response): Promise<boolean> {
	const user = await currentUser();
	if (!user) return false;
	const cache = await caches.open(keptPageCache);
	if (response.status === 403 || response.status === 404) {
		await cache.delete(keptPageKey(path, user));
		return false;
	}
	const html = response.headers.get('content-type')?.includes('text/html') ?? false;
	// A redirect (to the login page) is no copy of the board.
	if (response.status !== 200 || response.redirected || response.type !== 'basic' || !html) {
		return false;
	}
	await cache.put(keptPageKey(path, user), response);
	return true;
}
