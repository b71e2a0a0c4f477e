/**
 * The production server's Node flags (server/node-flags.ts): they only ever lower V8's own
 * young-generation size, everything that starts the server passes them, and they do what they
 * say.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { serverNodeFlags } from '../../server/node-flags.ts';

const root = new URL('../../', import.meta.url);
const read = (file: string) => readFileSync(new URL(file, root), 'utf8');
const gib = 1024 ** 3;
const mib = 1024 ** 2;

/** The shell command of the Dockerfile's `CMD ["sh", "-c", …]`. */
function dockerCommand(): string {
	const cmd = /^CMD\s+(\[.*\])\s*$/m.exec(read('Dockerfile'));
	expect(cmd, 'a CMD in exec form').not.toBeNull();
	const [shell, flag, command] = JSON.parse(cmd![1]!) as string[];
	expect([shell, flag]).toEqual(['sh', '-c']);
	return command!;
}

const startScript = () =>
	(JSON.parse(read('package.json')) as { scripts: Record<string, string> }).scripts.start!;

/** Runs `node <flags> -e script` without the runner's NODE_OPTIONS (an inspector would talk). */
function node(flags: string[], args: string[]) {
	const env = { ...process.env };
	delete env.NODE_OPTIONS;
	const run = spawnSync(process.execPath, [...flags, ...args], {
		cwd: new URL('.', root),
		encoding: 'utf8',
		env
	});
	expect(run.stderr).toBe('');
	expect(run.status).toBe(0);
	return run.stdout;
}

/** New space after a burst of short-lived garbage, which grows it to its cap. */
function grownNewSpace(flags: string[]): number {
	const churn = `
		const v8 = require('node:v8');
		let keep = [];
		for (let i = 0; i < 3e6; i++) { keep.push({ i, s: 'x' + i }); if (keep.length > 2e5) keep = []; }
		const space = v8.getHeapSpaceStatistics().find((s) => s.space_name === 'new_space');
		console.log(space.space_size);`;
	return Number(node(flags, ['-e', churn]).trim());
}

describe('the server’s Node flags', () => {
	it('cap the young generation only where V8 would size it above 32 MB', () => {
		expect(serverNodeFlags(23 * gib)).toEqual(['--max-semi-space-size=32']);
		expect(serverNodeFlags(8 * gib)).toEqual(['--max-semi-space-size=32']);
		// A 1 GiB container: V8's own choice is a few MB, which the flag would raise.
		expect(serverNodeFlags(1 * gib)).toEqual([]);
		expect(serverNodeFlags(6 * gib)).toEqual([]);
	});

	it('hold new space at 32 MB a semi-space where a larger one grows to 64', () => {
		// The churn really fills a large young generation, so the capped run below means something.
		expect(grownNewSpace(['--max-semi-space-size=64'])).toBeGreaterThan(100 * mib);
		const capped = grownNewSpace(serverNodeFlags(16 * gib));
		expect(capped).toBeGreaterThan(0);
		expect(capped).toBeLessThanOrEqual(2 * 32 * mib + 4 * mib);
	});

	it('are printed for shell launchers, as this process would get them', () => {
		expect(node([], ['server/node-flags.ts'])).toBe(serverNodeFlags().join(' '));
	});

	it('reach the node the launchers start, whatever NODE_OPTIONS preloads', () => {
		// A preload that prints to stdout (as some instrumentation does) must not end up in the
		// command line; the started node must get exactly the flags.
		const dir = mkdtempSync(path.join(tmpdir(), 'node-flags-'));
		const noisy = path.join(dir, 'noisy.cjs');
		writeFileSync(noisy, 'console.log("preloaded and talking");');
		const show = `-e "const a = process.execArgv; console.log(JSON.stringify(a.slice(0, a.indexOf('-e'))))"`;
		try {
			for (const command of [dockerCommand(), startScript()]) {
				const script = command.replace(/server\/index\.ts|scripts\/start\.ts/, show);
				expect(script, command).not.toBe(command);
				const run = spawnSync('sh', ['-c', script], {
					cwd: new URL('.', root),
					encoding: 'utf8',
					env: { ...process.env, NODE_OPTIONS: `--require ${noisy}` }
				});
				expect(run.status, run.stderr).toBe(0);
				const lines = run.stdout.trim().split('\n');
				// The started node loads the preload too (NODE_OPTIONS is the operator's), then shows
				// its own command-line flags.
				expect(JSON.parse(lines.at(-1)!)).toEqual(serverNodeFlags());
			}
		} finally {
			rmSync(dir, { recursive: true, force: true });
		}
	});

	it('are on the Docker image’s command and on npm start’s', () => {
		expect(dockerCommand()).toBe(
			'flags=$(NODE_OPTIONS= node server/node-flags.ts) || exit 1; exec node $flags server/index.ts'
		);
		expect(startScript()).toBe(
			'flags=$(NODE_OPTIONS= node server/node-flags.ts) && node $flags scripts/start.ts'
		);
	});
});
