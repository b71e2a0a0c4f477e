/**
 * Why an incoming board update was refused. Hocuspocus closes the connection with an error's
 * `code` and `reason` when a hook throws, so this carries both.
 */

/** Close code for a refused board update (4xxx: application-defined; 422 as in HTTP). */
export const refusedUpdateCode = 4422;

/** A websocket close reason may be at most 123 bytes of UTF-8. */
function closeReason(detail: string): string {
	let reason = `Board update refused: ${detail.slice(0, 150)}`;
	const encoder = new TextEncoder();
	while (encoder.encode(reason).length > 123) reason = `${[...reason].slice(0, -2).join('')}…`;
	return reason;
}

export class RefusedUpdate extends Error {
	readonly code = refusedUpdateCode;
	readonly reason: string;

	constructor(detail: string) {
		super(detail);
		this.name = 'RefusedUpdate';
		this.reason = closeReason(detail);
		// Moved to the end, so eviction takes the least recently refused.
		recent.delete(detail);
		recent.set(detail, Date.now() + recentMs);
		if (recent.size > maxRecent) {
			const now = Date.now();
			for (const [message, until] of recent) if (until <= now) recent.delete(message);
			while (recent.size > maxRecent) recent.delete(recent.keys().next().value!);
		}
	}
}

/**
 * Messages of refusals made in the last few seconds. Hocuspocus prints a failed hook's message
 * as `[beforeSync] <message>` once per extension after the one that threw (three lines per
 * refused update here), with nothing to tell it from a fault but the text: the console routing
 * (server/console-log.ts) asks this instead of matching wording.
 */
const recent = new Map<string, number>();
const recentMs = 5000;
const maxRecent = 100;

export function isRecentRefusal(message: string): boolean {
	const until = recent.get(message);
	return until !== undefined && until > Date.now();
}
