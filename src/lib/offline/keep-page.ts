import type { KeepPageMessage } from './keep-page-message.ts';

/**
 * Asks the service worker to keep this board page for offline reloads, unless the page came
 * through the worker already (a full load, which it keeps itself). A page reached by client-side
 * navigation was built from `__data.json` and the worker has never seen its HTML.
 */
export function keepPageForOffline(path: string): void {
	if (!('serviceWorker' in navigator) || !navigator.onLine) return;
	const [entry] = performance.getEntriesByType('navigation') as PerformanceNavigationTiming[];
	// workerStart is 0 when no worker took part in loading this document.
	if (entry && entry.workerStart > 0 && new URL(entry.name).pathname === path) return;
	const message: KeepPageMessage = { type: 'keep-page', path };
	void navigator.serviceWorker.ready.then((registration) => {
		registration.active?.postMessage(message);
	});
}
