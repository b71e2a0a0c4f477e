/**
 * `npm start`: builds the SvelteKit app when the build is missing or older than the sources,
 * then runs the production server. Keeps the README's first command a single line.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { seconds } from '#lib/server/log-format.ts';
import { progressPrefix } from '../server/progress.ts';

const root = fileURLToPath(new URL('..', import.meta.url));
const built = path.join(root, 'build', 'handler.js');

function newestMtime(entry: string): number {
	const stat = statSync(entry);
	if (!stat.isDirectory()) return stat.mtimeMs;
	let newest = stat.mtimeMs;
	for (const name of readdirSync(entry))
		newest = Math.max(newest, newestMtime(path.join(entry, name)));
	return newest;
}

function buildIsStale(): boolean {
	if (!existsSync(built)) return true;
	const sources = ['src', 'static', 'svelte.config.js', 'vite.config.ts', 'package-lock.json']
		.map((p) => path.join(root, p))
		.filter((p) => existsSync(p));
	return Math.max(...sources.map(newestMtime)) > statSync(built).mtimeMs;
}

// Optional local settings; the environment wins over the file.
if (existsSync(path.join(root, '.env'))) process.loadEnvFile(path.join(root, '.env'));

if (buildIsStale()) {
	// One line for the phase, not the bundler's: its chunk timings, adapter banner and "run npm
	// run preview" hint (wrong here: this script is the server) mean nothing to someone starting
	// the app. The output is kept and shown only if the build fails.
	process.stderr.write(`${progressPrefix} Building the web app (first start or sources changed)… `);
	const started = performance.now();
	const result = spawnSync(
		process.execPath,
		[path.join(root, 'node_modules/vite/bin/vite.js'), 'build', '--logLevel', 'warn'],
		{ cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 64 * 1024 * 1024 }
	);
	if (result.status !== 0) {
		process.stderr.write('failed:\n');
		process.stderr.write(
			`${result.stdout ?? ''}${result.stderr ?? ''}${result.error?.message ?? ''}\n`
		);
		process.exit(result.status ?? 1);
	}
	process.stderr.write(`done in ${seconds(performance.now() - started)}\n`);
}

await import('../server/index.ts');
