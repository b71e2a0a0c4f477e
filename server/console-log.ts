/**
 * What libraries print with `console.error`/`console.warn` (Hocuspocus, its Redis extension)
 * goes into the structured log instead of raw lines on stderr: one warn record each, with an
 * `Error` among the arguments as the record's `err` (its stack included). Hocuspocus printed a
 * stack trace per garbage frame and "[onAuthenticate] unauthenticated" per refused socket,
 * outside the JSON log and at no level an operator could turn down. Only the refusals our own
 * `Authorization` makes (`deny()`, already a close code the client sees) and Guard's refused
 * updates (logged by Guard itself, with board and user; Hocuspocus repeated each three times)
 * are debug records: any other hook failure Hocuspocus prints is a fault to see.
 */
import { format } from 'node:util';
import type { Logger } from '#lib/server/log.ts';
import { isRecentRefusal, RefusedUpdate } from './board-guard/refusal.ts';

const refusals =
	/^\[onAuthenticate\] (unauthenticated|not-found|origin-not-allowed|invalid-document-name|unavailable|too-many-documents|too-many-boards)$/;
/** `[hookName] message`, as Hocuspocus prints a hook's failure. */
const hookFailure = /^\[\w+\] ([\s\S]*)$/;

export function routeConsoleToLog(log: Logger): void {
	const record = (...args: unknown[]) => {
		const err = args.find((arg): arg is Error => arg instanceof Error);
		const rest = err ? args.filter((arg) => arg !== err) : args;
		const text = rest.length > 0 ? format(...rest) : (err?.message ?? '');
		// A refused update is logged by Guard itself (board, user, reason).
		const hook = hookFailure.exec(text);
		const refused =
			refusals.test(text) || err instanceof RefusedUpdate || (hook && isRecentRefusal(hook[1]!));
		if (refused) log.debug({ source: 'console' }, text);
		else log.warn({ source: 'console', err }, text);
	};
	console.error = record;
	console.warn = record;
}
