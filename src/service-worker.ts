/// <reference types="@sveltejs/kit" />
/// <reference no-default-lib="true"/>
/// <reference lib="esnext" />
/// <reference lib="webworker" />
/**
 * The app shell offline: the built files cache-first (their names change with their content),
 * and board pages network-first with the last copy of each board's page as the fallback, so a
 * board opened before can be reloaded without a network; its document comes from IndexedDB
 * (board-local-store.svelte.ts). Every other request is left to the browser untouched.
 */
import { build, files, version } from '$service-worker';
import {
	assetCachePrefix,
	currentUserKey,
	keptPageKey,
	pageCachePrefix,
	userMarkerCache
} from '$lib/offline/local-names';
import { isBoardPagePath, isKeepPageMessage } from '$lib/offline/keep-page-message';

const worker = self as unknown as ServiceWorkerGlobalScope;
const assetCache = assetCachePrefix + version;
// Per version: a page of an older build names scripts this build's cache no longer holds.
const pageCache = pageCachePrefix + version;
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
			for (const name of await caches.keys()) {
				const ours = name.startsWith(assetCachePrefix) || name.startsWith(pageCachePrefix);
				if (ours && name !== assetCache && name !== pageCache) await caches.delete(name);
			}
			// Pages open since before the worker (the first visit) are served by it from now on.
			await worker.clients.claim();
		})()
	);
});

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
worker.addEventListener('message', (event) => {
	const message: unknown = event.data;
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
		const cache = await caches.open(pageCache);
		const cached = await cache.match(keptPageKey(path, user), { ignoreVary: true });
		if (cached) return cached;
		throw error;
	}
}

/**
 * Keeps a signed-in rendering of a board page, under the user it was rendered for; forgets it
 * when the board is gone for this user. Nothing is kept while signed out.
 */
async function remember(path: string, response: Response): Promise<void> {
	const user = await currentUser();
	if (!user) return;
	const cache = await caches.open(pageCache);
	if (response.status === 403 || response.status === 404) {
		await cache.delete(keptPageKey(path, user));
		return;
	}
	const html = response.headers.get('content-type')?.includes('text/html') ?? false;
	// A redirect (to the login page) is no copy of the board.
	if (response.status !== 200 || response.redirected || response.type !== 'basic' || !html) return;
	await cache.put(keptPageKey(path, user), response);
}
