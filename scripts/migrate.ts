/** `npm run migrate`: applies pending migrations to DATABASE_URL, or to the embedded database. */
import { existsSync } from 'node:fs';
import { ConfigError, readConfig } from '../src/lib/server/config.ts';
import { createSql } from '../src/lib/server/db/client.ts';
import { startEmbeddedDatabase } from '../src/lib/server/db/embedded.ts';
import { migrate } from '../src/lib/server/db/migrate.ts';
import { migrationsDir } from '../server/migrations-dir.ts';

try {
	if (existsSync('.env')) process.loadEnvFile('.env');
	const config = readConfig();
	const embedded = config.databaseUrl
		? null
		: await startEmbeddedDatabase(config.dataDir, console.error);
	const sql = createSql({ url: config.databaseUrl ?? embedded!.url, max: 1 });
	const applied = await migrate(sql, migrationsDir);
	console.log(applied.length > 0 ? `Applied: ${applied.join(', ')}` : 'Database is up to date.');
	await sql.end();
	await embedded?.close();
} catch (error) {
	console.error(error instanceof ConfigError ? `Cannot migrate: ${error.message}` : error);
	process.exit(1);
}
