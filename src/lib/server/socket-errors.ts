/**
 * The codes Node gives an error of a socket that could not connect or went away, with the
 * resolver's for a host name that stops resolving (a stopped container in docker-compose.yml
 * takes its name with it). Shared by every "is the service out of reach?" test: the database
 * (`db/unavailable.ts`) and Redis (`auth/counters.ts`).
 */
const socketCodes = new Set([
	'ECONNREFUSED',
	'ECONNRESET',
	'EPIPE',
	'ETIMEDOUT',
	'EHOSTUNREACH',
	'ENETUNREACH',
	'ENOTFOUND',
	'EAI_AGAIN'
]);

/** The error's `code` when it has a string one, else null. */
export function errorCode(error: unknown): string | null {
	if (typeof error !== 'object' || error === null) return null;
	const code = (error as { code?: unknown }).code;
	return typeof code === 'string' ? code : null;
}

export function isSocketError(error: unknown): boolean {
	const code = errorCode(error);
	return code !== null && socketCodes.has(code);
}
