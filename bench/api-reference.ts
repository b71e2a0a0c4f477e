/**
 * The reference bench/api-load.ts compares the task list with: a plain `node:http` server and a
 * porsager `postgres` pool of the production size, answering `GET /boards/:id/tasks[?limit=n]`
 * with the very query and JSON the API uses (`listTasks`), and nothing else (no framework, no
 * authentication, no access check, no ETag). TaskFlow's list over this one's is what the API
 * layer costs. It also answers `GET /health` with `{"status":"ok"}`, as the app's `/health`
 * does, for what serving any request through SvelteKit and the hooks costs. Run as a child process: `DATABASE_URL=… node bench/api-reference.ts`; it prints
 * `reference listening on <url>` and stops on SIGTERM.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { listTasks } from '../src/lib/server/api/task-list.ts';
import { createSql } from '../src/lib/server/db/client.ts';

/** The production server's pool size (server/runtime.ts). */
const poolSize = 10;
const ready = 'reference listening on ';
const path = /^\/boards\/([0-9a-f-]{36})\/tasks$/;

function serve(databaseUrl: string): void {
	const sql = createSql({ url: databaseUrl, max: poolSize, applicationName: 'api-reference' });
	const server = createServer((request, response) => {
		const url = new URL(request.url ?? '/', 'http://reference');
		if (request.method === 'GET' && url.pathname === '/health') {
			const body = JSON.stringify({ status: 'ok' });
			response
				.writeHead(200, {
					'content-type': 'application/json',
					'content-length': Buffer.byteLength(body)
				})
				.end(body);
			return;
		}
		const boardId = path.exec(url.pathname)?.[1];
		if (request.method !== 'GET' || !boardId) {
			response.writeHead(404).end();
			return;
		}
		const limit = url.searchParams.get('limit');
		listTasks(sql, boardId, { limit: limit === null ? undefined : Number(limit) }).then(
			(page) => {
				const body = JSON.stringify(page);
				response
					.writeHead(200, {
						'content-type': 'application/json',
						'content-length': Buffer.byteLength(body)
					})
					.end(body);
			},
			(error: unknown) => {
				response.writeHead(500, { 'content-type': 'text/plain' }).end(String(error));
			}
		);
	});
	server.listen(0, '127.0.0.1', () => {
		const { port } = server.address() as AddressInfo;
		console.log(`${ready}http://127.0.0.1:${port}`);
	});
	process.once('SIGTERM', () => {
		server.close();
		server.closeAllConnections();
		void sql.end().then(() => process.exit(0));
	});
}

export interface ReferenceServer {
	url: string;
	pid: number;
	stop(): Promise<void>;
}

/** Starts the reference in a child process (its own event loop, like the app's). */
export async function startReference(
	databaseUrl: string,
	nodeOptions?: string
): Promise<ReferenceServer> {
	const child: ChildProcess = spawn(process.execPath, [fileURLToPath(import.meta.url)], {
		env: {
			...process.env,
			DATABASE_URL: databaseUrl,
			...(nodeOptions ? { NODE_OPTIONS: nodeOptions } : {})
		},
		stdio: ['ignore', 'pipe', 'inherit']
	});
	const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
	const url = await new Promise<string>((resolve, reject) => {
		let output = '';
		child.stdout!.on('data', (chunk: Buffer) => {
			output += chunk.toString();
			const line = output.split('\n').find((l) => l.startsWith(ready));
			if (line) resolve(line.slice(ready.length).trim());
		});
		void exited.then(() => reject(new Error(`the reference server exited:\n${output}`)));
	});
	return {
		url,
		pid: child.pid!,
		async stop() {
			if (child.exitCode === null) child.kill('SIGTERM');
			await exited;
		}
	};
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
	const url = process.env.DATABASE_URL;
	if (!url) throw new Error('Set DATABASE_URL.');
	serve(url);
}
