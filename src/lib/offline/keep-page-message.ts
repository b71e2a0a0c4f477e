/**
 * The message a board page sends the service worker to keep a copy of itself for offline
 * reloads, and the check the worker makes on what it receives.
 */

const boardPage = /^\/boards\/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

export interface KeepPageMessage {
	type: 'keep-page';
	/** The board page's path, `/boards/<uuid>` (no query: one copy per board). */
	path: string;
}

/** Only board pages are kept: they are what the worker serves offline. */
export function isBoardPagePath(path: string): boolean {
	return boardPage.test(path);
}

/**
 * Sent by a page when a new service worker takes it over (a deploy): the new worker renews the
 * signed-in user's kept pages that name built files of an older build.
 */
export interface RenewKeptPagesMessage {
	type: 'renew-kept-pages';
}

export function isRenewKeptPagesMessage(message: unknown): message is RenewKeptPagesMessage {
	return (
		typeof message === 'object' &&
		message !== null &&
		(message as Record<string, unknown>).type === 'renew-kept-pages'
	);
}

export function isKeepPageMessage(message: unknown): message is KeepPageMessage {
	if (typeof message !== 'object' || message === null) return false;
	const { type, path } = message as Record<string, unknown>;
	return type === 'keep-page' && typeof path === 'string' && isBoardPagePath(path);
}
