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
	}
}
