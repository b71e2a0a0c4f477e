/**
 * Whether an error says the database could not be reached or went away mid-request (a restart,
 * a failover, a terminated backend), as opposed to refusing the statement. Such a failure is
 * the server's condition of the moment, not a defect: it is answered 503 with `Retry-After`,
 * where a refusal (a constraint, a bad statement) stays a 500.
 */

/** The client's own codes (postgres.js) and the socket's, for a connection that failed. */
const connectionCodes = new Set([
	'CONNECTION_CLOSED',
	'CONNECTION_DESTROYED',
	'CONNECTION_ENDED',
	'CONNECT_TIMEOUT',
	'ECONNREFUSED',
	'ECONNRESET',
	'EPIPE',
	'ETIMEDOUT',
	'EHOSTUNREACH',
	'ENOTFOUND'
]);

/**
 * SQLSTATEs of a server going away or not taking connections: admin and crash shutdown,
 * "cannot connect now" (starting up or in recovery), and too many connections.
 */
const serverCodes = new Set(['57P01', '57P02', '57P03', '53300']);

export function isDatabaseUnavailable(error: unknown): boolean {
	if (typeof error !== 'object' || error === null) return false;
	const code = (error as { code?: unknown }).code;
	if (typeof code !== 'string') return false;
	// Class 08: connection exceptions.
	return connectionCodes.has(code) || serverCodes.has(code) || /^08[0-9A-Z]{3}$/.test(code);
}

/** Seconds a client should wait before trying again. */
export const unavailableRetrySeconds = 1;

/** How long a read waits before its second try (see `readAcrossBlip`). */
const blipSettleMs = 25;

/**
 * Runs a read, and once more when the database went away under it: a pool whose connections a
 * restart or failover just ended opens new ones at once, so most reads caught in the blip are
 * answered instead of refused. Only for work that is safe to repeat; a second failure is thrown.
 */
export async function readAcrossBlip<T>(read: () => Promise<T>): Promise<T> {
	try {
		return await read();
	} catch (error) {
		if (!isDatabaseUnavailable(error)) throw error;
		// The blip ends the pool's other connections too; their closing is seen within a turn or
		// two, and the read must not be handed to one of them.
		await new Promise((resolve) => setTimeout(resolve, blipSettleMs));
		return read();
	}
}
