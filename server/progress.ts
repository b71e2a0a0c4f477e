/**
 * Startup progress for a person at the terminal (`npm start`): one line per phase, on stderr so
 * that stdout carries only log records (JSON when it is not a terminal).
 */
export const progressPrefix = '[taskflow]';

export function progress(message: string): void {
	// Not `console.error`, which the running server sends to the log (console-log.ts).
	process.stderr.write(`${progressPrefix} ${message}\n`);
}
