/**
 * Event ids and cursors. Events derived from a write-ahead log row get a name-based id (a
 * version-5-style uuid from a SHA-1 of the row id and what changed), so deriving them again
 * after a crash produces the same ids and the stores keep one copy.
 */
import { createHash, randomUUID } from 'node:crypto';

const namespace = 'taskflow.events.v1';

/** The same parts always give the same uuid. */
export function stableUuid(...parts: readonly (string | number)[]): string {
	const hash = createHash('sha1').update(namespace).update('\u001f').update(parts.join('\u001f'));
	const bytes = hash.digest().subarray(0, 16);
	bytes[6] = (bytes[6]! & 0x0f) | 0x50;
	bytes[8] = (bytes[8]! & 0x3f) | 0x80;
	const hex = bytes.toString('hex');
	return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

export function newEventId(): string {
	return randomUUID();
}

/** Position after the last item of a page: its time and the store's own tie-breaker. */
export interface CursorPosition {
	createdAt: string;
	key: string;
}

export function encodeCursor(position: CursorPosition): string {
	return Buffer.from(JSON.stringify([position.createdAt, position.key])).toString('base64url');
}

const issuedTime = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d{1,6})?Z$/;

/** Null for anything that is not a cursor we issued (callers answer 422). */
export function decodeCursor(cursor: string): CursorPosition | null {
	if (cursor.length > 200 || !/^[\w-]+$/.test(cursor)) return null;
	try {
		const value: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
		if (!Array.isArray(value) || value.length !== 2) return null;
		const [createdAt, key] = value as unknown[];
		// The exact shape we issue (ISO 8601 in UTC, up to microseconds): `Date.parse` alone
		// accepts "1", which PostgreSQL then refuses as a timestamp (a 500, not a 422).
		if (typeof createdAt !== 'string' || !issuedTime.test(createdAt)) return null;
		if (!Number.isFinite(Date.parse(createdAt))) return null;
		if (typeof key !== 'string' || key.length === 0 || key.length > 64) return null;
		return { createdAt, key };
	} catch {
		return null;
	}
}

/**
 * A session id is a bearer credential, so events carry a fingerprint of it instead: enough to
 * tell which events one session produced, useless for signing in.
 */
export function sessionFingerprint(sessionId: string | null | undefined): string | null {
	if (!sessionId) return null;
	return createHash('sha256').update(sessionId).digest('hex').slice(0, 16);
}
