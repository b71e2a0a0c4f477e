/** Server tests drive the built SvelteKit handler: build once if the build is missing. */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

export default function setup() {
	if (existsSync('build/handler.js') && process.env.TEST_REBUILD !== '1') return;
	const result = spawnSync(
		process.execPath,
		['node_modules/vite/bin/vite.js', 'build', '--logLevel', 'warn'],
		{
			stdio: 'inherit'
		}
	);
	if (result.status !== 0) throw new Error('vite build failed');
}
