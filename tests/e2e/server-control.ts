/** Lets a browser test stop and restart the e2e server process (see serve.ts). */
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import postgres from 'postgres';
import { tmpdir } from 'node:os';
import path from 'node:path';

export function serverPidFile(port: string): string {
	return path.join(tmpdir(), `taskflow-e2e-${port}.pid`);
}

/** Where serve.ts writes its throwaway database's URL, for tests that must set up what no page can. */
export function databaseUrlFile(port: string): string {
	return path.join(tmpdir(), `taskflow-e2e-${port}.db`);
}

/** The e2e server's database URL (e.g. to promote an admin: the first account may be anyone's). */
export function databaseUrl(): string {
	return readFileSync(databaseUrlFile(process.env.E2E_PORT ?? '4319'), 'utf8');
}

/** Makes an account an admin: the first account of the shared e2e database may be any test's. */
export async function promoteToAdmin(email: string): Promise<void> {
	const sql = postgres(databaseUrl(), { max: 1, onnotice: () => {} });
	try {
		await sql`update users set role = 'admin' where email = ${email}`;
	} finally {
		await sql.end();
	}
}

/**
 * While this file exists, serve.ts serves the built service worker under the version it names
 * instead of the build's own: to the browser's update check, a deploy of a new version.
 */
export function workerVersionFile(port: string): string {
	return path.join(tmpdir(), `taskflow-e2e-${port}.worker-version`);
}

/** Serves the service worker as version `version` from now on (null: the build's own again). */
export function deployWorkerVersion(version: string | null): void {
	const file = workerVersionFile(process.env.E2E_PORT ?? '4319');
	if (version === null) rmSync(file, { force: true });
	else writeFileSync(file, version);
}

function signal(name: 'SIGUSR1' | 'SIGUSR2') {
	const port = process.env.E2E_PORT ?? '4319';
	process.kill(Number(readFileSync(serverPidFile(port), 'utf8')), name);
}

export const stopServer = () => signal('SIGUSR1');
export const startServer = () => signal('SIGUSR2');
