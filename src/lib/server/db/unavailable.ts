/**
 * Whether an error says the database could not be reached or went away mid-request (a restart,
 * a failover, a terminated backend), as opposed to refusing the statement. Such a failure is
 * the server's condition of the moment, not a defect: it is answered 503 with `Retry-After`,
 * where a refusal (a constraint, a bad statement) stays a 500.
 */

import { errorCode, isSocketError } from '../socket-errors.ts';

/** postgres.js's own codes for a connection that failed, ended or never opened. */
const clientCodes = new Set([
	'CONNECTION_CLOSED',
	'CONNECTION_DESTROYED',
	'CONNECTION_ENDED',
	'CONNECT_TIMEOUT'
]);

/**
 * SQLSTATEs of a server going away or not taking connections: admin and crash shutdown,
 * "cannot connect now" (starting up or in recovery), and too many connections; with class 08,
 * connection exceptions. Only from the server (a `PostgresError`), never another library's.
 */
const serverCodes = new Set(['57P01', '57P02', '57P03', '53300']);

/**
 * A connection that was open and died under the statement: what a restart or failover does to
 * a pool, which opens new connections at once. Not a server that refuses connections, is full
 * or cannot be reached (a second try would only wait as long again, or add to its load), nor
 * our own pool ended at shutdown.
 */
const lostCodes = new Set(['57P01', '57P02', '08006', 'CONNECTION_CLOSED', 'ECONNRESET', 'EPIPE']);

const fromServer = (error: unknown) => (error as { name?: unknown }).name === 'PostgresError';

export function isDatabaseUnavailable(error: unknown): boolean {
	const code = errorCode(error);
	if (code === null) return false;
	if (clientCodes.has(code) || isSocketError(error)) return true;
	return fromServer(error) && (serverCodes.has(code) || /^08[0-9A-Z]{3}$/.test(code));
}

/** Whether a second try could succeed at once: see `lostCodes`. */
function connectionLost(error: unknown): boolean {
	const code = errorCode(error);
	if (code === null || !lostCodes.has(code)) return false;
	return /^[0-9A-Z]{5}$/.test(code) ? fromServer(error) : true;
}

/** Seconds a client should wait before trying again. */
export const unavailableRetrySeconds = 1;

/** How long a read waits before its second try (see `readAcrossBlip`). */
const blipSettleMs = 25;

/** A first try that took longer than this met more than a blip: it is not repeated. */
const blipFailsWithinMs = 1000;

/**
 * Runs a read, and once more when its connection died under it at once: a pool whose
 * connections a restart or failover just ended opens new ones straight away, so most reads
 * caught in the blip are answered instead of refused. Only for work that is safe to repeat; a
 * second failure is thrown.
 */
export async function readAcrossBlip<T>(read: () => Promise<T>): Promise<T> {
	const started = performance.now();
	try {
		return await read();
	} catch (error) {
		if (!connectionLost(error) || performance.now() - started > blipFailsWithinMs) throw error;
		// The blip ends the pool's other connections too; their closing is seen within a turn or
		// two, and the read must not be handed to one of them.
		await new Promise((resolve) => setTimeout(resolve, blipSettleMs));
		return read();
	}
}
