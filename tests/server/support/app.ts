/** Starts the real app (built SvelteKit handler + Hocuspocus) on port 0 against a fresh database. */
import { readConfig } from '../../../src/lib/server/config.ts';
import { createLogger } from '../../../src/lib/server/log.ts';
import { startApp, type App } from '../../../server/app.ts';
import { createTestDatabase, type TestDatabase } from './database.ts';

export interface TestApp {
	app: App;
	url: string;
	db: TestDatabase;
	stop(): Promise<void>;
}

/** With `shared`, the app uses that database and leaves dropping it to the caller. */
export async function startTestApp(
	env: Record<string, string> = {},
	shared?: TestDatabase
): Promise<TestApp> {
	const db = shared ?? (await createTestDatabase());
	const config = readConfig({
		DATABASE_URL: db.url,
		PORT: '0',
		HOST: '127.0.0.1',
		LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
		// Apps on the test Redis count the API rate limit there, per client address: all are
		// 127.0.0.1, so test files running at once would spend one budget together and fail
		// each other with 429s. The limit itself is tested on an app of its own.
		...(env.REDIS_URL ? { API_RATE_LIMIT: '1000000' } : {}),
		// The row-sync window the suite's waits for rows were written against; the default is
		// longer (2 s) and row-flush.test.ts runs with a minute.
		ROW_SYNC_MS: '500',
		...env
	});
	const app = await startApp({ config, log: createLogger(config) });
	return {
		app,
		url: app.url,
		db,
		async stop() {
			await app.close(5000);
			if (!shared) await db.drop();
		}
	};
}

export const testRedisUrl = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

export interface TestPair {
	db: TestDatabase;
	one: TestApp;
	two: TestApp;
	/** Stops both (each at most once) and drops the database. */
	stop(): Promise<void>;
}

/** Two instances on one fresh database and the test Redis, as a scaled-out deployment runs. */
export async function startPair(env: Record<string, string> = {}): Promise<TestPair> {
	const db = await createTestDatabase();
	const withRedis = { REDIS_URL: testRedisUrl, ...env };
	const one = await startTestApp(withRedis, db);
	const two = await startTestApp(withRedis, db);
	return {
		db,
		one,
		two,
		async stop() {
			await one.stop();
			await two.stop();
			await db.drop();
		}
	};
}
