import { pino, type DestinationStream, type Logger } from 'pino';
import pinoPretty from 'pino-pretty';
import type { Config } from './config.ts';
import { formatRecord } from './log-format.ts';

export type { Logger };

/** Names this program in every record, for log collectors that gather many services. */
export const serviceName = 'taskflow';

export interface LoggerOptions {
	/**
	 * One readable line per record instead of JSON. By default as LOG_FORMAT says; with `auto`
	 * when stdout is a terminal (a person running `npm start`), never when it is a pipe or a
	 * file (a collector).
	 */
	pretty?: boolean;
	/** Where records go; stdout by default. */
	destination?: DestinationStream;
}

/** Whether a stream is a person's terminal, which gets the readable format. */
export function wantsPrettyLogs(stream: { isTTY?: boolean } = process.stdout): boolean {
	return stream.isTTY === true;
}

/** One JSON line per event (or one readable line at a terminal); request children add `requestId`. */
export function createLogger(
	config: Pick<Config, 'logLevel'> & Partial<Pick<Config, 'logFormat'>>,
	options: LoggerOptions = {}
): Logger {
	const format = config.logFormat ?? 'auto';
	const pretty = options.pretty ?? (format === 'auto' ? wantsPrettyLogs() : format === 'pretty');
	const settings = {
		level: config.logLevel,
		base: { service: serviceName, pid: process.pid },
		timestamp: pino.stdTimeFunctions.isoTime
	};
	if (!pretty) return options.destination ? pino(settings, options.destination) : pino(settings);
	const stream = pinoPretty({
		destination: options.destination ?? 1,
		// Synchronous: a line written just before process.exit must still appear.
		sync: true,
		colorize: options.destination === undefined && wantsPrettyLogs(),
		translateTime: 'SYS:HH:MM:ss',
		hideObject: true,
		ignore: 'pid,hostname',
		messageFormat: (record) => formatRecord(record)
	});
	return pino(settings, stream);
}
