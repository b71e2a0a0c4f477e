import type { RequestEvent } from '@sveltejs/kit';

/**
 * The client's address as adapter-node reports it: the socket's peer, or the ADDRESS_HEADER a
 * trusted proxy sets. Null where there is none to report (a request made inside the server).
 */
export function clientAddress(event: RequestEvent): string | null {
	try {
		return event.getClientAddress();
	} catch {
		return null;
	}
}
