/**
 * The app as browser tests see it: the production build on a throwaway database. SIGUSR1 stops
 * the app (the process stays, the port goes dead) and SIGUSR2 starts it again on the same port
 * and database, so a test can take the server away for real; the pid is in `serverPidFile`.
 */
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { readConfig } from '../../src/lib/server/config.ts';
import { createLogger } from '../../src/lib/server/log.ts';
import { loadBuiltHandler, startApp, type App, type RequestHandler } from '../../server/app.ts';
import { createTestDatabase } from '../server/support/database.ts';
import { databaseUrlFile, serverPidFile, workerVersionFile } from './server-control.ts';

const db = await createTestDatabase();
const port = process.env.E2E_PORT ?? '4319';
const config = readConfig({
	DATABASE_URL: db.url,
	PORT: port,
	HOST: '127.0.0.1',
	LOG_LEVEL: process.env.E2E_LOG_LEVEL ?? 'warn',
	// The webhook tests' receiver listens on loopback.
	WEBHOOK_ALLOW_PRIVATE: 'true',
	// Every browser test shares this server and the address 127.0.0.1, so the whole suite would
	// spend one API budget (600 a minute) and later tests would fail with 429s. The limit itself
	// is tested on a server of its own (tests/server/api-rate-limit.test.ts).
	API_RATE_LIMIT: '1000000',
	// Browser tests make admins in SQL, behind the app's back (promoteToAdmin), which a kept
	// principal would not see for a minute. The cache has tests of its own
	// (tests/server/principal-cache.test.ts).
	PRINCIPAL_CACHE_MS: '0'
});

// A deploy as the browser sees it (deployWorkerVersion): the service worker script of the same
// build under another version name, so it installs as a new worker with caches of its own.
const versionFile = workerVersionFile(port);
rmSync(versionFile, { force: true });
// Loaded on the first request: adapter-node reads its environment on import, which startApp
// sets up first.
let built: Promise<RequestHandler> | null = null;
const buildDir = new URL('../../build/client/', import.meta.url);
const handler: RequestHandler = (req, res, next) => {
	if ((req.url ?? '').split('?')[0] !== '/service-worker.js' || !existsSync(versionFile)) {
		built ??= loadBuiltHandler();
		return void built.then((handle) => handle(req, res, next));
	}
	const { version } = JSON.parse(readFileSync(new URL('_app/version.json', buildDir), 'utf8')) as {
		version: string;
	};
	const script = readFileSync(new URL('service-worker.js', buildDir), 'utf8');
	res.writeHead(200, { 'content-type': 'text/javascript', 'cache-control': 'no-cache' });
	res.end(script.replaceAll(version, readFileSync(versionFile, 'utf8')));
};
const start = () => startApp({ config, log: createLogger(config), handler });
let app: App | null = await start();
writeFileSync(serverPidFile(port), String(process.pid));
writeFileSync(databaseUrlFile(port), db.url);
console.log(`e2e app at ${app.url}`);

// While the app is stopped nothing else keeps the event loop, and so the process, alive.
const keepAlive = setInterval(() => {}, 60_000);
let switching = Promise.resolve();
process.on('SIGUSR1', () => {
	switching = switching.then(async () => {
		await app?.close(3000);
		app = null;
	});
});
process.on('SIGUSR2', () => {
	switching = switching.then(async () => {
		app ??= await start();
	});
});

async function stop() {
	await switching;
	await app?.close(3000);
	await db.drop();
	rmSync(versionFile, { force: true });
	clearInterval(keepAlive);
	process.exit(0);
}
process.on('SIGTERM', () => void stop());
process.on('SIGINT', () => void stop());
