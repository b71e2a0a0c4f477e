/** Process entry: `node server/index.ts` after `vite build` (see scripts/start.ts). */
import { ConfigError, readConfig, type Config } from '#lib/server/config.ts';
import { createLogger } from '#lib/server/log.ts';
import { startApp } from './app.ts';
import { seconds } from '#lib/server/log-format.ts';
import { routeConsoleToLog } from './console-log.ts';
import { progress } from './progress.ts';

let config: Config;
try {
	config = readConfig();
} catch (error) {
	if (error instanceof ConfigError) {
		console.error(`TaskFlow cannot start: ${error.message}`);
		process.exit(1);
	}
	throw error;
}

const log = createLogger(config);
routeConsoleToLog(log);
const started = performance.now();
const app = await startApp({ config, log, progress }).catch((error: unknown) => {
	// A sentence for the person at the terminal, and the error with its stack in the log.
	process.stderr.write(
		`TaskFlow failed to start: ${error instanceof Error ? error.message : String(error)}\n`
	);
	log.fatal({ err: error }, 'startup failed');
	process.exit(1);
});
progress(
	`TaskFlow is running at ${config.origin ?? app.url} (started in ${seconds(performance.now() - started)})`
);

let stopping = false;
async function stop(signal: string) {
	if (stopping) return;
	stopping = true;
	progress(`${signal} received, shutting down…`);
	// Hard stop if anything hangs: the issue promises exit within 10 s.
	setTimeout(() => process.exit(1), 9500).unref();
	try {
		await app.close(8000);
		process.exit(0);
	} catch (error) {
		log.error({ err: error }, 'shutdown failed');
		process.exit(1);
	}
}
process.on('SIGTERM', () => void stop('SIGTERM'));
process.on('SIGINT', () => void stop('SIGINT'));
