/**
 * Startup progress for a person at the terminal (`npm start`): one line per phase, on stderr so
 * that stdout carries only log records (JSON when it is not a terminal).
 */
export const progressPrefix = '[taskflow]';

export function progress(message: string): void {
	console.error(`${progressPrefix} ${message}`);
}
