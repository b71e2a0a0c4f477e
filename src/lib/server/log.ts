import { pino, type Logger } from 'pino';
import type { Config } from './config.ts';

export type { Logger };

/** One JSON line per event; request-scoped children add `requestId`. */
export function createLogger(config: Pick<Config, 'logLevel'>): Logger {
	return pino({
		level: config.logLevel,
		base: { pid: process.pid },
		timestamp: pino.stdTimeFunctions.isoTime
	});
}
