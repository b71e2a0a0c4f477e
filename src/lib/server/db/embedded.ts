/**
 * Embedded PostgreSQL: PGlite persisted under the data directory, served on a loopback socket
 * so the same `postgres` client code runs against it as against a real server.
 */
import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';
import { seconds } from '../log-format.ts';

export interface EmbeddedDatabase {
	url: string;
	close(): Promise<void>;
}

export async function startEmbeddedDatabase(
	dataDir: string,
	onProgress: (message: string) => void = () => {}
): Promise<EmbeddedDatabase> {
	const dir = path.join(dataDir, 'pglite');
	const fresh = !existsSync(path.join(dir, 'PG_VERSION'));
	mkdirSync(dir, { recursive: true });
	onProgress(
		fresh
			? `Creating the embedded PostgreSQL database in ${dir} (first start only, a few seconds)…`
			: `Opening the embedded PostgreSQL database in ${dir}…`
	);
	const started = performance.now();
	const db = await PGlite.create(dir);
	// PGlite opens its one session without the database's own defaults (`alter database … set`,
	// e.g. migration 025's planner setting), which a server applies to every new session.
	await db.query(`
		select set_config(split_part(setting, '=', 1), substr(setting, strpos(setting, '=') + 1), false)
		from pg_db_role_setting s join pg_database d on d.oid = s.setdatabase,
			unnest(s.setconfig) setting
		where d.datname = current_database() and s.setrole = 0`);
	onProgress(`Embedded PostgreSQL ready in ${seconds(performance.now() - started)}`);
	// One connection: the socket server serialises queries anyway, and extra pool
	// connections would be refused with ECONNRESET.
	const server = new PGLiteSocketServer({ db, host: '127.0.0.1', port: 0, maxConnections: 1 });
	await server.start();
	return {
		url: `postgres://postgres@${server.getServerConn()}/postgres?sslmode=disable`,
		async close() {
			await server.stop();
			await db.close();
		}
	};
}
