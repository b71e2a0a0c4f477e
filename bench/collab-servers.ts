/**
 * The two servers the collaboration benchmark compares, each a child process on 127.0.0.1
 * (restartable on the same port), and what it reads about them from /proc: CPU time and RSS
 * of the server, and CPU time of the PostgreSQL backends serving the bench's database.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type postgres from 'postgres';
import {
	freePort,
	startServerProcess,
	type ServerProcess
} from '../tests/server/support/process.ts';

const ticksPerSecond = 100;

/** utime + stime of `pid` in ms, or null once it is gone. */
export function cpuMs(pid: number): number | null {
	try {
		const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
		// Fields after the command name, which may itself hold spaces and parentheses.
		const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
		return ((Number(fields[11]) + Number(fields[12])) * 1000) / ticksPerSecond;
	} catch {
		return null;
	}
}

/** Resident set size of `pid` in KiB. */
export function rssKb(pid: number): number {
	const status = readFileSync(`/proc/${pid}/status`, 'utf8');
	return Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? NaN);
}

/** Where the servers' event-loop probes write, and the NODE_OPTIONS that load the probe. */
export const loopDelayDir = mkdtempSync(path.join(tmpdir(), 'loop-delay-'));
// However the run ends (a bad flag, a server that does not start), the directory goes.
process.once('exit', () => rmSync(loopDelayDir, { recursive: true, force: true }));
export function probedNodeOptions(): string {
	const probe = new URL('./loop-delay-probe.ts', import.meta.url).pathname;
	return [process.env.BENCH_NODE_OPTIONS, `--import ${probe}`].filter(Boolean).join(' ');
}

/** A server's event-loop delay over a stretch of time (ms), read from its probe. */
export interface LoopDelay {
	p50: number;
	p99: number;
	max: number;
}

/**
 * Starts a stretch of the server's event-loop delay (`start`), and reads it (`stop`): each
 * signals the server's probe and waits for the report it writes.
 */
export class LoopDelayProbe {
	readonly #pid: number;

	constructor(pid: number) {
		this.#pid = pid;
	}

	async start(): Promise<void> {
		await this.stop();
	}

	async stop(): Promise<LoopDelay> {
		const file = path.join(loopDelayDir, `${this.#pid}.json`);
		const read = (): LoopDelay | null => {
			try {
				return JSON.parse(readFileSync(file, 'utf8')) as LoopDelay;
			} catch {
				return null;
			}
		};
		// Gone before the signal, so the file that appears is this report (a restarted server
		// may have an earlier one's pid).
		rmSync(file, { force: true });
		process.kill(this.#pid, 'SIGUSR2');
		const deadline = performance.now() + 5_000;
		for (;;) {
			const report = read();
			if (report) return { p50: report.p50, p99: report.p99, max: report.max };
			if (performance.now() > deadline) throw new Error(`no loop delay report from ${this.#pid}`);
			await new Promise((resolve) => setTimeout(resolve, 5));
		}
	}
}

export interface Target {
	name: 'taskflow' | 'bare';
	/** The collaboration endpoint (the bare server answers on any path). */
	wsUrl: string;
	httpUrl: string;
	pid(): number;
	/** PostgreSQL backends working for this server now (none for the bare server). */
	databasePids(): Promise<number[]>;
	/** SIGTERM, wait for the exit, start again on the same port. */
	restart(): Promise<{ stopMs: number; startMs: number }>;
	stop(): Promise<void>;
}

export async function startTaskflow(
	env: Record<string, string>,
	sql: postgres.Sql,
	databaseName: string
): Promise<Target> {
	const port = String(await freePort());
	const start = () => startServerProcess({ ...env, PORT: port });
	let server: ServerProcess = await start();
	return {
		name: 'taskflow',
		wsUrl: `ws://127.0.0.1:${port}/collab`,
		httpUrl: `http://127.0.0.1:${port}`,
		pid: () => server.child.pid!,
		async databasePids() {
			const rows = await sql<{ pid: number }[]>`
				select pid from pg_stat_activity
				where datname = ${databaseName} and pid <> pg_backend_pid()`;
			return rows.map((r) => r.pid);
		},
		async restart() {
			const t0 = performance.now();
			await server.kill('SIGTERM');
			const t1 = performance.now();
			server = await start();
			return { stopMs: t1 - t0, startMs: performance.now() - t1 };
		},
		async stop() {
			await server.kill('SIGTERM');
		}
	};
}

/** Bare Hocuspocus (bench/bare-hocuspocus.ts), its documents kept in memory and in `stateDir`. */
export async function startBare(stateDir: string): Promise<Target> {
	const port = String(await freePort());
	const start = async () => {
		const child = spawn(process.execPath, ['bench/bare-hocuspocus.ts'], {
			env: {
				...process.env,
				PORT: port,
				STATE_DIR: stateDir,
				// Profiled like TaskFlow when asked, so the two profiles can be compared.
				NODE_OPTIONS: probedNodeOptions(),
				LOOP_DELAY_DIR: loopDelayDir
			},
			stdio: ['ignore', 'pipe', 'inherit']
		});
		await new Promise<void>((resolve, reject) => {
			let output = '';
			child.stdout!.on('data', (chunk: Buffer) => {
				output += chunk.toString();
				if (output.includes('listening')) resolve();
			});
			child.once('exit', (code) => reject(new Error(`bare hocuspocus exited with ${code}`)));
		});
		return child;
	};
	const stopChild = (child: ChildProcess) =>
		new Promise<void>((resolve) => {
			if (child.exitCode !== null || child.signalCode !== null) return resolve();
			child.once('exit', () => resolve());
			child.kill('SIGTERM');
		});
	let child = await start();
	return {
		name: 'bare',
		wsUrl: `ws://127.0.0.1:${port}/collab`,
		httpUrl: `http://127.0.0.1:${port}`,
		pid: () => child.pid!,
		databasePids: async () => [],
		async restart() {
			const t0 = performance.now();
			await stopChild(child);
			const t1 = performance.now();
			child = await start();
			return { stopMs: t1 - t0, startMs: performance.now() - t1 };
		},
		stop: () => stopChild(child)
	};
}

/**
 * CPU used by a server and its database backends between `start` and `stop`. Backends come
 * and go (the pool's idle timeout), so they are polled: each is counted from when it was first
 * seen (from zero if it started meanwhile) to when it was last seen.
 */
export class CpuMeter {
	readonly #target: Target;
	#server0 = 0;
	#backends = new Map<number, { first: number; last: number }>();
	#timer: NodeJS.Timeout | null = null;
	#polling: Promise<void> = Promise.resolve();

	constructor(target: Target) {
		this.#target = target;
	}

	async start(): Promise<void> {
		this.#server0 = cpuMs(this.#target.pid()) ?? 0;
		this.#backends.clear();
		await this.#poll(true);
		this.#timer = setInterval(() => {
			this.#polling = this.#poll(false);
		}, 500);
	}

	async stop(): Promise<{ serverMs: number; databaseMs: number }> {
		if (this.#timer) clearInterval(this.#timer);
		await this.#polling;
		await this.#poll(false);
		const serverMs = (cpuMs(this.#target.pid()) ?? this.#server0) - this.#server0;
		let databaseMs = 0;
		for (const { first, last } of this.#backends.values()) databaseMs += last - first;
		return { serverMs, databaseMs };
	}

	async #poll(initial: boolean) {
		for (const pid of await this.#target.databasePids()) {
			const now = cpuMs(pid);
			if (now === null) continue;
			const known = this.#backends.get(pid);
			if (known) known.last = now;
			else this.#backends.set(pid, { first: initial ? now : 0, last: now });
		}
	}
}
