/**
 * `npm start`: builds the SvelteKit app when the build is missing or older than the sources,
 * then runs the production server. Keeps the README's first command a single line.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

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
	console.error('[taskflow] Building the web app (first start or sources changed)…');
	const started = performance.now();
	const result = spawnSync(
		process.execPath,
		[path.join(root, 'node_modules/vite/bin/vite.js'), 'build', '--logLevel', 'warn'],
		{
			cwd: root,
			stdio: 'inherit'
		}
	);
	if (result.status !== 0) {
		console.error('[taskflow] Build failed; see the messages above.');
		process.exit(result.status ?? 1);
	}
	console.error(`[taskflow] Built in ${((performance.now() - started) / 1000).toFixed(1)} s`);
}

await import('../server/index.ts');
