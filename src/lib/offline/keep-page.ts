import {
	isBoardPagePath,
	type KeepPageMessage,
	type RenewKeptPagesMessage
} from './keep-page-message.ts';

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

/**
 * When a new service worker takes this page over (a deploy while it was open), asks it to renew
 * the kept pages of an older build, this board page among them: the old worker's copy of a page
 * rendered by the old build names scripts the new worker does not hold. Returns the unsubscriber.
 */
export function renewKeptPagesOnUpdate(): () => void {
	if (!('serviceWorker' in navigator)) return () => {};
	const container = navigator.serviceWorker;
	const onChange = () => {
		const worker = container.controller;
		if (!worker || !navigator.onLine) return;
		const renew: RenewKeptPagesMessage = { type: 'renew-kept-pages' };
		worker.postMessage(renew);
		const path = location.pathname;
		if (isBoardPagePath(path)) worker.postMessage({ type: 'keep-page', path } as KeepPageMessage);
	};
	container.addEventListener('controllerchange', onChange);
	return () => container.removeEventListener('controllerchange', onChange);
}
