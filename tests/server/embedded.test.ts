/**
 * The real process with no DATABASE_URL: embedded PostgreSQL (PGlite) under DATA_DIR, a clean
 * SIGTERM shutdown, and data (including sessions) surviving a restart.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { client, createBoard, signUp, type TestUser } from './support/http.ts';
import { serverNodeFlags } from '../../server/node-flags.ts';

const root = fileURLToPath(new URL('../..', import.meta.url));
const readyLine = '[taskflow] TaskFlow is running at';

/** A port that was free a moment ago: bind port 0, read it, release it. */
function freePort(): Promise<number> {
	return new Promise((resolve, reject) => {
		const server = createServer();
		server.once('error', reject);
		server.listen(0, '127.0.0.1', () => {
			const address = server.address();
			server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
		});
	});
}

interface Child {
	process: ChildProcess;
	stderr: () => string;
	stdout: () => string;
	exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

const children: Child[] = [];

/** Runs `node server/index.ts` (the process `npm start` ends in) with only `env` configured. */
function run(env: Record<string, string>): Child {
	const inherited = { ...process.env };
	// Nothing from the test runner's environment may point the child at another database.
	for (const name of [
		'DATABASE_URL',
		'REDIS_URL',
		'MONGODB_URL',
		'ORIGIN',
		'PROTOCOL_HEADER',
		'DATA_DIR',
		'PORT',
		'HOST'
	]) {
		delete inherited[name];
	}
	const child = spawn(process.execPath, [...serverNodeFlags(), 'server/index.ts'], {
		cwd: root,
		env: { ...inherited, ...env },
		stdio: ['ignore', 'pipe', 'pipe']
	});
	let stderr = '';
	let stdout = '';
	child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
	child.stdout!.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
	const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
		child.once('exit', (code, signal) => resolve({ code, signal }))
	);
	const handle = { process: child, stderr: () => stderr, stdout: () => stdout, exited };
	children.push(handle);
	return handle;
}

/** Resolves with the milliseconds until the ready line; rejects if the process exits first. */
async function ready(child: Child, started: number, timeoutMs = 60_000): Promise<number> {
	const deadline = started + timeoutMs;
	let exit: { code: number | null; signal: NodeJS.Signals | null } | null = null;
	void child.exited.then((e) => (exit = e));
	while (!child.stderr().includes(readyLine)) {
		if (exit) {
			throw new Error(
				`exited early (${JSON.stringify(exit)}):\n${child.stderr()}${child.stdout()}`
			);
		}
		if (Date.now() > deadline) {
			throw new Error(`not ready after ${timeoutMs} ms:\n${child.stderr()}${child.stdout()}`);
		}
		await new Promise((r) => setTimeout(r, 20));
	}
	return Date.now() - started;
}

async function exitWithin(child: Child, ms: number) {
	return Promise.race([
		child.exited,
		new Promise<never>((_, reject) =>
			setTimeout(() => reject(new Error(`still running ${ms} ms after SIGTERM`)), ms)
		)
	]);
}

const dataDir = mkdtempSync(path.join(tmpdir(), 'tf-embedded-'));

afterAll(async () => {
	for (const child of children) {
		if (child.process.exitCode === null && child.process.signalCode === null) {
			child.process.kill('SIGKILL');
			await child.exited;
		}
	}
	rmSync(dataDir, { recursive: true, force: true });
});

describe('embedded database (no DATABASE_URL)', () => {
	const timings: Record<string, number> = {};

	it('starts, serves, stops on SIGTERM, and keeps data and sessions across a restart', async () => {
		const port = await freePort();
		const env = {
			PORT: String(port),
			HOST: '127.0.0.1',
			DATA_DIR: dataDir,
			LOG_LEVEL: 'warn'
		};
		const url = `http://127.0.0.1:${port}`;
		const api = client(url);

		// Cold start: PGlite initialises its data directory and the migrations run.
		let started = Date.now();
		const first = run(env);
		timings.cold = await ready(first, started);
		expect(first.stderr()).toContain(`${readyLine} ${url}`);
		expect(first.stderr()).toContain(path.join(dataDir, 'pglite'));
		expect(first.stderr()).toContain('Applied migrations: 001_create_users.sql');
		expect((await api.get('/health')).body).toEqual({ status: 'ok' });

		const owner: TestUser = await signUp(api, 'Embedded Owner');
		expect(owner.role).toBe('admin');
		const board = await createBoard(api, owner, 'Survives restarts');

		let stopping = Date.now();
		first.process.kill('SIGTERM');
		const firstExit = await exitWithin(first, 10_000);
		timings.firstStop = Date.now() - stopping;
		expect(firstExit).toEqual({ code: 0, signal: null });
		expect(first.stderr()).toContain('SIGTERM received, shutting down');

		// Warm start on the same directory: nothing left to migrate, same data.
		started = Date.now();
		const second = run(env);
		timings.warm = await ready(second, started);
		expect(second.stderr()).not.toContain('Applied migrations');

		const boards = await api.get('/api/v1/boards', { token: owner.token });
		expect(boards.status).toBe(200);
		expect(boards.body.items).toEqual([
			expect.objectContaining({ id: board.id, title: 'Survives restarts', myRole: 'owner' })
		]);
		const me = await api.get('/api/v1/me', { token: owner.token });
		expect(me.status).toBe(200);
		expect(me.body.email).toBe(owner.email);
		// The account can still sign in, and a second one is not an admin.
		const login = await api.post('/api/v1/auth/login', {
			email: owner.email,
			password: 'a long enough passphrase'
		});
		expect(login.status).toBe(200);
		expect((await signUp(api, 'Second')).role).toBe('user');

		// An import writes its progress beside its transaction; on the one embedded connection
		// those writes wait for the commit, and the import still finishes.
		const csv = ['title', ...Array.from({ length: 600 }, (_, i) => `Card ${i}`)].join('\n');
		const queued = await api.post(
			'/api/v1/imports',
			{ source: 'csv', title: 'Imported here', csv, mapping: { title: 0 } },
			{ token: owner.token }
		);
		expect(queued.status, JSON.stringify(queued.body)).toBe(202);
		await expect
			.poll(
				async () =>
					(await api.get(`/api/v1/imports/${queued.body.id}`, { token: owner.token })).body.state,
				{ timeout: 30_000 }
			)
			.toBe('done');

		stopping = Date.now();
		second.process.kill('SIGTERM');
		expect(await exitWithin(second, 10_000)).toEqual({ code: 0, signal: null });
		timings.secondStop = Date.now() - stopping;
		console.info(`[embedded timings ms] ${JSON.stringify(timings)}`);
		// Nothing went wrong along the way (LOG_LEVEL=warn prints warnings and errors only).
		expect(first.stdout() + second.stdout()).toBe('');
	}, 150_000);

	it.each([
		['PORT', 'abc'],
		['PORT', '70000'],
		['DATABASE_URL', 'mysql://localhost/taskflow'],
		['LOG_LEVEL', 'loud']
	])('refuses %s=%s with one line naming it and a non-zero exit', async (name, value) => {
		const child = run({
			PORT: String(await freePort()),
			HOST: '127.0.0.1',
			DATA_DIR: dataDir,
			LOG_LEVEL: 'warn',
			[name]: value
		});
		const { code } = await exitWithin(child, 10_000);
		expect(code).not.toBe(0);
		expect(code).not.toBeNull();
		const lines = child.stderr().trim().split('\n');
		expect(lines).toHaveLength(1);
		expect(lines[0]).toContain(name);
		expect(lines[0]).toMatch(new RegExp(`^TaskFlow cannot start: ${name}: `));
		expect(child.stdout()).toBe('');
	});
});
