/** The app as browser tests see it: the production build on a throwaway database. */
import { readConfig } from '../../src/lib/server/config.ts';
import { createLogger } from '../../src/lib/server/log.ts';
import { startApp } from '../../server/app.ts';
import { createTestDatabase } from '../server/support/database.ts';

const db = await createTestDatabase();
const config = readConfig({
	DATABASE_URL: db.url,
	PORT: process.env.E2E_PORT ?? '4319',
	HOST: '127.0.0.1',
	LOG_LEVEL: process.env.E2E_LOG_LEVEL ?? 'warn'
});
const app = await startApp({ config, log: createLogger(config) });
console.log(`e2e app at ${app.url}`);

async function stop() {
	await app.close(3000);
	await db.drop();
	process.exit(0);
}
process.on('SIGTERM', () => void stop());
process.on('SIGINT', () => void stop());
