/**
 * A request's path as logs may carry it: secrets that travel in the path (a password reset
 * link's token) are replaced, since anyone who can read the logs could otherwise use them.
 */
const secretSegments = /^(\/reset-password\/)[^/]+/;

export function loggablePath(pathname: string): string {
	return pathname.replace(secretSegments, '$1[token]');
}
