/**
 * Startup progress for a person at the terminal (`npm start`): one line per phase, on stderr so
 * that stdout carries only log records (JSON when it is not a terminal).
 */
export const progressPrefix = '[taskflow]';

export function progress(message: string): void {
	console.error(`${progressPrefix} ${message}`);
}

/** How long a phase took: `37 s`, or `1.4 s` below ten seconds. */
export function seconds(ms: number): string {
	return ms < 10_000 ? `${(ms / 1000).toFixed(1)} s` : `${Math.round(ms / 1000)} s`;
}
