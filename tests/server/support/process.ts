/** The real server as a child process, for tests that kill it (SIGKILL) or restart it. */
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { serverNodeFlags } from '../../../server/node-flags.ts';

export async function freePort(): Promise<number> {
	return new Promise((resolve, reject) => {
		const server = createServer();
		server.once('error', reject);
		server.listen(0, '127.0.0.1', () => {
			const address = server.address();
			server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
		});
	});
}

export interface ServerProcess {
	url: string;
	child: ChildProcess;
	output: string[];
	exited: Promise<number | null>;
	kill(signal?: NodeJS.Signals): Promise<number | null>;
}

export async function startServerProcess(
	env: Record<string, string>,
	timeoutMs = 60_000
): Promise<ServerProcess> {
	const port = env.PORT ?? String(await freePort());
	// The runner's MONGODB_URL (set in CI for the MongoDB tests) is for tests that pass it:
	// inherited, it would move every child's event log out of the PostgreSQL database the
	// test reads.
	const inherited = { ...process.env };
	delete inherited.MONGODB_URL;
	const child = spawn(process.execPath, [...serverNodeFlags(), 'server/index.ts'], {
		env: { ...inherited, HOST: '127.0.0.1', LOG_LEVEL: 'warn', ...env, PORT: port },
		stdio: ['ignore', 'pipe', 'pipe']
	});
	const output: string[] = [];
	const exited = new Promise<number | null>((resolve) =>
		child.once('exit', (code) => resolve(code))
	);
	await new Promise<void>((resolve, reject) => {
		const timer = setTimeout(
			() => reject(new Error(`server did not start:\n${output.join('')}`)),
			timeoutMs
		);
		const onData = (chunk: Buffer) => {
			output.push(chunk.toString());
			if (output.join('').includes('TaskFlow is running at')) {
				clearTimeout(timer);
				resolve();
			}
		};
		child.stdout!.on('data', onData);
		child.stderr!.on('data', onData);
		void exited.then((code) => {
			clearTimeout(timer);
			reject(new Error(`server exited with ${code}:\n${output.join('')}`));
		});
	});
	return {
		url: `http://127.0.0.1:${port}`,
		child,
		output,
		exited,
		async kill(signal = 'SIGTERM') {
			if (child.exitCode === null && child.signalCode === null) child.kill(signal);
			return exited;
		}
	};
}
