/** Lets a browser test stop and restart the e2e server process (see serve.ts). */
import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

export function serverPidFile(port: string): string {
	return path.join(tmpdir(), `taskflow-e2e-${port}.pid`);
}

function signal(name: 'SIGUSR1' | 'SIGUSR2') {
	const port = process.env.E2E_PORT ?? '4319';
	process.kill(Number(readFileSync(serverPidFile(port), 'utf8')), name);
}

export const stopServer = () => signal('SIGUSR1');
export const startServer = () => signal('SIGUSR2');
