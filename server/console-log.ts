/**
 * What libraries print with `console.error`/`console.warn` (Hocuspocus, its Redis extension)
 * goes into the structured log instead of raw lines on stderr: one record each, at warn, with
 * the printed text as its message. A client sending garbage made Hocuspocus print a multi-line
 * stack trace per frame and "[onAuthenticate] unauthenticated" per refused socket, outside the
 * JSON log and at no level an operator could turn down. Those refusals (already answered with a
 * close code, counted and logged by our own extensions where they matter) are debug records.
 */
import { format } from 'node:util';
import type { Logger } from '#lib/server/log.ts';

/** Hocuspocus's lines about a client's failure: a refused hook, a connection it closed. */
const clientFailures =
	/^(\[(onAuthenticate|onConnect|beforeSync|beforeHandleMessage|onTokenSync)\] |closing connection )/;

export function routeConsoleToLog(log: Logger): void {
	const record = (...args: unknown[]) => {
		const text = format(...args);
		if (clientFailures.test(text)) log.debug({ source: 'console' }, text);
		else log.warn({ source: 'console' }, text);
	};
	console.error = record;
	console.warn = record;
}
